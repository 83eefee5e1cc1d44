/* test/style/bad/bad.c: messages the checker must refuse (never built). */
static void
bad(const char *name, long long n)
{
	ereport(ERROR, (errmsg("no errcode here")));
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("Upper case start"),
			 errdetail("lower case detail."),
			 errhint("No final period")));
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("ends with a period."),
			 errdetail("Table %s unquoted, " INT64_FORMAT " rows.", name, n)));
}
