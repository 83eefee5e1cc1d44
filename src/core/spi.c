/*-------------------------------------------------------------------------
 *
 * spi.c
 *	  The start of an SQL-callable function's work through SPI: the
 *	  connection, and the result tuplestore of a set-returning function.
 *
 * src/core/spi.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "funcapi.h"

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
