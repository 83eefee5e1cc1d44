/*-------------------------------------------------------------------------
 *
 * document.h
 *	  Writing a seedkit/1 document.
 *
 * src/document.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_DOCUMENT_H
#define SEEDKIT_DOCUMENT_H

#include "catalog.h"
#include "seedkit.h"
#include "utils/snapshot.h"

extern void sk_json_string(StringInfo buf, const char *s, int len);
extern void sk_document_maps(SkGraph *g, Snapshot snap);
extern void sk_document_table(StringInfo buf, SkGraph *g, SkTable *t,
							  Snapshot snap, bool anonymise, bool last,
							  SkProgress *progress);

#endif							/* SEEDKIT_DOCUMENT_H */
