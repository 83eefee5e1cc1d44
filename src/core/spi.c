/*-------------------------------------------------------------------------
 *
 * spi.c
 *	  The start of an SQL-callable function's work through SPI: the
 *	  connection, the result tuplestore of a set-returning function, and
 *	  the tables of a regclass[] argument.
 *
 * src/core/spi.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"

#include "core/core.h"

/*
 * sk_spi_connect
 *		Connect to SPI; the caller calls SPI_finish.
 */
void
sk_spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*
 * sk_srf_begin
 *		Set up the result tuplestore of a set-returning function (flags as
 *		SetSingleFuncCall takes them) and connect to SPI; returns the
 *		function's ReturnSetInfo.
 */
ReturnSetInfo *
sk_srf_begin(FunctionCallInfo fcinfo, bits32 flags)
{
	SetSingleFuncCall(fcinfo, flags);
	sk_spi_connect();
	return (ReturnSetInfo *) fcinfo->resultinfo;
}

/*
 * sk_regclass_list
 *		The tables of a regclass[] argument as a list of OIDs, each once, in
 *		the order given; null elements are skipped.
 */
List *
sk_regclass_list(ArrayType *arr)
{
	List	   *relids = NIL;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			relids = list_append_unique_oid(relids, DatumGetObjectId(elems[i]));
	return relids;
}
