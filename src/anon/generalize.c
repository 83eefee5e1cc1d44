/*-------------------------------------------------------------------------
 *
 * generalize.c
 *	  Strategy generalize: coarser values for small domains where exact
 *	  values identify people.  A date or timestamp becomes the first
 *	  instant of its month or year (option to); a number becomes the lower
 *	  bound of its range of width step (37 -> 30 with step 10).  No key:
 *	  the same value always gives the same coarse value, and many values
 *	  give one.
 *
 * src/anon/generalize.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "anon/generalize.h"

/*
 * sk_generalize_time
 *		The first instant of the month or year of a date or timestamp (a
 *		timestamptz in local time under the session's time zone);
 *		infinities stay.
 */
static Datum
sk_generalize_time(SkFakeState *st, Datum value)
{
	bool		year = strcmp(st->gen_to, "year") == 0;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	Timestamp	r;

	if (st->basetype == DATEOID)
	{
		DateADT		d = DatumGetDateADT(value);

		if (DATE_NOT_FINITE(d))
			return value;
		j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		return DateADTGetDatum(date2j(tm.tm_year, year ? 1 : tm.tm_mon, 1) -
							   POSTGRES_EPOCH_JDATE);
	}
	if (TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value)))
		return value;
	if (timestamp2tm(DatumGetTimestamp(value), st->basetype == TIMESTAMPTZOID ? &tz : NULL,
					 &tm, &fsec, NULL, NULL) != 0)
		return value;
	if (year)
		tm.tm_mon = 1;
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	fsec = 0;
	if (st->basetype == TIMESTAMPTZOID)
	{
		tz = DetermineTimeZoneOffset(&tm, session_timezone);
		if (tm2timestamp(&tm, fsec, &tz, &r) != 0)
			return value;
	}
	else if (tm2timestamp(&tm, fsec, NULL, &r) != 0)
		return value;
	return TimestampGetDatum(r);
}

/*
 * sk_floor_within
 *		v rounded down to a multiple of step, the next multiple up when that
 *		would fall below the type's minimum.
 */
static double
sk_floor_within(double v, double step, double min)
{
	double		r = floor(v / step) * step;

	return r < min ? r + step : r;
}

/*
 * sk_generalize
 *		The generalized value of value (a non-null Datum of st's base type).
 */
Datum
sk_generalize(SkFakeState *st, Datum value)
{
	double		step = st->gen_step;

	switch (st->basetype)
	{
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return sk_generalize_time(st, value);
		case INT2OID:
			return Int16GetDatum((int16) sk_floor_within(DatumGetInt16(value), step, PG_INT16_MIN));
		case INT4OID:
			return Int32GetDatum((int32) sk_floor_within(DatumGetInt32(value), step, PG_INT32_MIN));
		case INT8OID:
			{
				int64		v = DatumGetInt64(value);
				int64		w = (int64) step;

				/* whole steps in integer arithmetic: no rounding of big values */
				if (w >= 1 && (double) w == step)
					return Int64GetDatum(v - (((v % w) + w) % w));
				return Int64GetDatum((int64) (floor((double) v / step) * step));
			}
		case FLOAT4OID:
			return Float4GetDatum((float4) (floor(DatumGetFloat4(value) / step) * step));
		case FLOAT8OID:
			return Float8GetDatum(floor(DatumGetFloat8(value) / step) * step);
		default:
			{
				/* numeric: floor(value / step) * step, exactly */
				Numeric		num = DatumGetNumeric(value);
				Datum		s;
				Datum		q;

				if (numeric_is_nan(num) || numeric_is_inf(num))
					return value;
				s = DirectFunctionCall1(float8_numeric, Float8GetDatum(step));
				q = DirectFunctionCall2(numeric_div, value, s);
				q = DirectFunctionCall1(numeric_floor, q);
				q = DirectFunctionCall2(numeric_mul, q, s);
				if (st->typmod >= (int32) VARHDRSZ)
					q = DirectFunctionCall2(numeric, q, Int32GetDatum(st->typmod));
				return q;
			}
	}
}
