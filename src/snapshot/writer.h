/*-------------------------------------------------------------------------
 *
 * writer.h
 *	  Writing a seedkit/1 document.
 *
 * src/snapshot/writer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_WRITER_H
#define SEEDKIT_WRITER_H

#include "snapshot/graph.h"
#include "core/core.h"
#include "utils/snapshot.h"
#include "utils/tuplestore.h"

/* Where a streamed document's complete lines go (seedkit_snapshot_lines). */
typedef struct SkSink
{
	Tuplestorestate *store;
	TupleDesc	desc;
} SkSink;

extern void sk_sink_flush(StringInfo buf, SkSink *sink, bool all);
extern void sk_json_string(StringInfo buf, const char *s, int len);
extern const char *sk_document_format(List *order);
extern void sk_document_maps(SkGraph *g, Snapshot snap);
extern void sk_document_table(StringInfo buf, SkGraph *g, SkTable *t,
							  Snapshot snap, bool anonymise, bool last,
							  SkProgress *progress, SkSink *sink);

#endif							/* SEEDKIT_WRITER_H */
