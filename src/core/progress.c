/*-------------------------------------------------------------------------
 *
 * progress.c
 *	  Progress of one long operation (snapshot, restore, anonymise): shown
 *	  in pg_stat_activity, and reported as NOTICEs with seedkit.progress.
 *
 * src/core/progress.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "pgstat.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/timestamp.h"

#include "core/core.h"

/* Milliseconds between periodic progress reports on a big table. */
#define SK_PROGRESS_INTERVAL_MS 5000

/*
 * sk_progress_activity
 *		Show what is being done in pg_stat_activity.query, ahead of the
 *		statement's own text, for a DBA watching from another session.
 */
static void
sk_progress_activity(SkProgress *p, const char *table, int64 rows)
{
	char	   *msg;

	msg = psprintf("/* seedkit %s: %s, %lld rows */ %s",
				   p->op, table, (long long) rows,
				   debug_query_string ? debug_query_string : "");
	pgstat_report_activity(STATE_RUNNING, msg);
	pfree(msg);
}

/*
 * sk_progress_begin
 *		Start timing an operation.
 */
void
sk_progress_begin(SkProgress *p, const char *op)
{
	p->op = op;
	p->start = GetCurrentTimestamp();
	p->table_start = p->start;
	p->last = p->start;
}

/*
 * sk_progress_table_begin
 *		A table's work starts: shown in pg_stat_activity.
 */
void
sk_progress_table_begin(SkProgress *p, const char *table)
{
	p->table_start = GetCurrentTimestamp();
	p->last = p->table_start;
	sk_progress_activity(p, table, 0);
}

/*
 * sk_progress_tick
 *		Called every batch of rows: about every five seconds, update
 *		pg_stat_activity and, with seedkit.progress on, report a NOTICE.
 */
void
sk_progress_tick(SkProgress *p, const char *table, int64 rows)
{
	TimestampTz now = GetCurrentTimestamp();

	if (!TimestampDifferenceExceeds(p->last, now, SK_PROGRESS_INTERVAL_MS))
		return;
	p->last = now;
	sk_progress_activity(p, table, rows);
	if (sk_progress)
		ereport(NOTICE,
				(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
				 errmsg("%s: table \"%s\", %lld rows so far", p->op, sk_message_name(table), (long long) rows),
				 errdetail("Elapsed %ld ms.",
						   (long) (TimestampDifferenceMilliseconds(p->table_start, now)))));
}

/*
 * sk_progress_table_end
 *		A table is done: with seedkit.progress on, a NOTICE with its rows;
 *		the elapsed time is in the detail.
 */
void
sk_progress_table_end(SkProgress *p, const char *table, int64 rows)
{
	TimestampTz now = GetCurrentTimestamp();

	sk_progress_activity(p, table, rows);
	if (sk_progress)
		ereport(NOTICE,
				(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
				 errmsg("%s: table \"%s\", %lld rows", p->op, sk_message_name(table), (long long) rows),
				 errdetail("Elapsed %ld ms.",
						   (long) (TimestampDifferenceMilliseconds(p->table_start, now)))));
}

/*
 * sk_progress_end
 *		The operation is done: pg_stat_activity shows the statement again.
 */
void
sk_progress_end(SkProgress *p)
{
	pgstat_report_activity(STATE_RUNNING, debug_query_string);
}
