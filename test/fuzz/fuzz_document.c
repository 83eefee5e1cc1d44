/*-------------------------------------------------------------------------
 *
 * fuzz_document.c
 *	  libFuzzer target for the seedkit/1 document reader of src/restore/reader.c.
 *
 * Each input is read as restore reads a document: sk_doc_parse for the
 * structure, then every row of every table through sk_rows_next, each value
 * decoded with sk_val_text, sk_val_append_copy and sk_val_int64 (and
 * unwrapped with sk_json_unwrap when it is a json wrapper).  The same
 * bytes are then read as restore overrides (sk_overrides_parse).  The input
 * sits in a buffer of exactly its size, so AddressSanitizer catches any read
 * past the end.  An ERROR must carry a SQLSTATE other than XX000 and leave
 * nothing behind once the top memory context is reset (LeakSanitizer
 * checks the json-c objects); anything else aborts, which libFuzzer reports
 * as a crash.
 *
 * test/fuzz/fuzz_document.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "restore/reader.h"
#include "shim.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * read_document
 *		Everything restore does with a document's text before COPY.
 */
static void
read_document(const char *text, int len)
{
	SkDoc	   *doc = sk_doc_parse(text, len);
	int			t;

	for (t = 0; t < doc->ntables; t++)
	{
		SkDocTable *table = &doc->tables[t];
		SkRowIter	it;
		SkVal	   *vals = palloc(sizeof(SkVal) * (table->ncols + 1));
		StringInfoData line;

		initStringInfo(&line);
		sk_rows_begin(&it, table);
		while (sk_rows_next(&it, vals))
		{
			int			c;

			resetStringInfo(&line);
			for (c = 0; c < table->ncols; c++)
			{
				int64		v;
				SkVal		inner;
				char	   *s = sk_val_text(&vals[c]);

				if (s)
					pfree(s);
				(void) sk_val_int64(&vals[c], &v);
				sk_val_append_copy(&line, &vals[c]);
				/* a json or jsonb column's wrapper, as restore reads it */
				if (vals[c].kind == SK_VAL_COMPOSITE &&
					sk_json_unwrap(vals[c].text, vals[c].len, &inner))
					sk_val_append_copy(&line, &inner);
			}
		}
		pfree(line.data);
		pfree(vals);
	}
}

/*
 * check_error
 *		An ERROR was raised: it must say what went wrong, with a SQLSTATE.
 */
static void
check_error(void)
{
	if (!shim_error.raised || shim_error.sqlerrcode == 0 ||
		shim_error.sqlerrcode == ERRCODE_INTERNAL_ERROR ||
		shim_error.message[0] == '\0')
	{
		fprintf(stderr, "ERROR without a proper SQLSTATE: code %d, \"%s\" (%s)\n",
				shim_error.sqlerrcode, shim_error.message, shim_error.detail);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sigjmp_buf	jmp;
	MemoryContext top;
	char	   *text;
	char	   *cstring;

	if (size > 1024 * 1024)
		return 0;
	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	cstring = malloc(size + 1);
	memcpy(cstring, data, size);
	cstring[size] = '\0';

	top = AllocSetContextCreate(NULL, "fuzz top", ALLOCSET_DEFAULT_SIZES);
	CurrentMemoryContext = top;
	shim_error_jmp = &jmp;

	/* as a document */
	if (sigsetjmp(jmp, 0) == 0)
		read_document(text, (int) size);
	else
		check_error();
	CurrentMemoryContext = top;
	MemoryContextReset(top);

	/* as overrides (a NUL-terminated jsonb text) */
	memset(&shim_error, 0, sizeof(shim_error));
	if (sigsetjmp(jmp, 0) == 0)
		(void) sk_overrides_parse(cstring);
	else
		check_error();
	CurrentMemoryContext = top;

	shim_error_jmp = NULL;
	MemoryContextDelete(top);
	CurrentMemoryContext = NULL;
	free(cstring);
	free(text);
	return 0;
}
