/*-------------------------------------------------------------------------
 *
 * plan.c
 *	  seedkit_plan and seedkit_plan_graph: what seedkit_snapshot would
 *	  write, without building the document.
 *
 * src/snapshot/plan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"

#include "snapshot/graph.h"
#include "snapshot/closure.h"
#include "snapshot/subset.h"
#include "snapshot/writer.h"
#include "core/core.h"

/* The columns of a seedkit_plan row. */
#define SK_PLAN_COLS 5

PG_FUNCTION_INFO_V1(seedkit_plan);
PG_FUNCTION_INFO_V1(seedkit_plan_graph);
PG_FUNCTION_INFO_V1(seedkit_subset_plan);
PG_FUNCTION_INFO_V1(seedkit_subset_plan_graph);

static Datum sk_plan_rows(FunctionCallInfo fcinfo, bool subset);
static Datum sk_plan_graph(FunctionCallInfo fcinfo, bool subset);

/*
 * sk_plan_compute
 *		The closure for seedkit_snapshot's arguments in fcinfo (seedkit_subset's
 *		when subset), counted but not written; max_rows does not stop a
 *		plan.  Returns the graph and the tables in document order; the
 *		caller runs SPI_finish.
 */
static SkGraph *
sk_plan_compute(FunctionCallInfo fcinfo, List **order, bool subset)
{
	SkOptions	opt;
	SkGraph    *g;
	Snapshot	snap;
	int			level;

	if (subset)
	{
		sk_spi_connect();
		sk_subset_options(fcinfo, &opt);
		g = sk_subset_take(&opt, &snap, PG_INT64_MAX, &level);
	}
	else
	{
		sk_options_from_args(fcinfo, &opt);
		sk_spi_connect();
		g = sk_closure_take(&opt, &snap, PG_INT64_MAX, &level);
	}
	*order = sk_graph_order(g);
	sk_closure_drop(g);
	sk_unpin_settings(level);
	UnregisterSnapshot(snap);
	return g;
}

/*
 * sk_plan_name
 *		The qualified name of a table of the graph, loaded or not.
 */
static char *
sk_plan_name(SkTable *t)
{
	return t->qname ? t->qname : sk_qualified_name(t->relid);
}

/*
 * seedkit_plan
 *		SQL: seedkit_plan(<seedkit_snapshot's arguments>) RETURNS
 *		TABLE(table_name regclass, rows bigint, reached_as text, via text,
 *		depth int): the tables in document order, then the excluded tables
 *		that were reached.  sk_plan_rows does it, for seedkit_subset_plan
 *		too.
 */
Datum
seedkit_plan(PG_FUNCTION_ARGS)
{
	return sk_plan_rows(fcinfo, false);
}

/*
 * seedkit_subset_plan
 *		SQL: seedkit_subset_plan(<seedkit_subset's arguments>): seedkit_plan
 *		for a subset (reached_as "whole" for a whole table).
 */
Datum
seedkit_subset_plan(PG_FUNCTION_ARGS)
{
	return sk_plan_rows(fcinfo, true);
}

/*
 * sk_plan_rows
 *		The rows of seedkit_plan or seedkit_subset_plan.
 */
static Datum
sk_plan_rows(FunctionCallInfo fcinfo, bool subset)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SkGraph    *g;
	List	   *order;
	ListCell   *lc;
	int			pass;

	SetSingleFuncCall(fcinfo, 0);
	g = sk_plan_compute(fcinfo, &order, subset);

	for (pass = 0; pass < 2; pass++)
	{
		List	   *tables = pass == 0 ? order : g->tables;

		foreach(lc, tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			Datum		values[SK_PLAN_COLS];
			bool		nulls[SK_PLAN_COLS] = {0};

			if (pass == 1 && !(t->excluded && t->reached_as != NULL))
				continue;
			values[0] = ObjectIdGetDatum(t->relid);
			values[1] = Int64GetDatum(t->nrows);
			values[2] = CStringGetTextDatum(t->reached_as);
			if (t->via)
				values[3] = CStringGetTextDatum(t->via);
			else
				nulls[3] = true;
			values[4] = Int32GetDatum(t->depth);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * sk_dot_id
 *		Append a table's name as a DOT identifier (a quoted string).
 */
static void
sk_dot_id(StringInfo buf, const char *name)
{
	sk_json_string(buf, name, strlen(name));
}

/*
 * seedkit_plan_graph
 *		SQL: seedkit_plan_graph(<seedkit_snapshot's arguments>) RETURNS
 *		text: the plan as a Graphviz DOT graph.  Tables are boxes labelled
 *		with their row counts (the root bold, excluded tables dashed); each
 *		followed foreign key is an edge from the referencing to the
 *		referenced table, blue where children were followed along it, black
 *		where only parents were.  A subset's roots and whole tables are
 *		bold.  sk_plan_graph does it, for seedkit_subset_plan_graph too.
 */
Datum
seedkit_plan_graph(PG_FUNCTION_ARGS)
{
	return sk_plan_graph(fcinfo, false);
}

/*
 * seedkit_subset_plan_graph
 *		SQL: seedkit_subset_plan_graph(<seedkit_subset's arguments>):
 *		seedkit_plan_graph for a subset.
 */
Datum
seedkit_subset_plan_graph(PG_FUNCTION_ARGS)
{
	return sk_plan_graph(fcinfo, true);
}

/*
 * sk_plan_graph
 *		The DOT graph of seedkit_plan_graph or seedkit_subset_plan_graph.
 */
static Datum
sk_plan_graph(FunctionCallInfo fcinfo, bool subset)
{
	SkGraph    *g;
	List	   *order;
	ListCell   *lc;
	StringInfoData buf;
	MemoryContext outer = CurrentMemoryContext;
	text	   *result;

	g = sk_plan_compute(fcinfo, &order, subset);

	initStringInfo(&buf);
	appendStringInfoString(&buf, "digraph seedkit {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		char	   *name;

		if (t->reached_as == NULL)
			continue;
		name = sk_plan_name(t);
		appendStringInfoString(&buf, "  ");
		sk_dot_id(&buf, name);
		appendStringInfoString(&buf, " [label=");
		if (t->excluded)
		{
			sk_dot_id(&buf, psprintf("%s\nexcluded", name));
			appendStringInfoString(&buf, ", style=dashed];\n");
		}
		else
		{
			sk_dot_id(&buf, psprintf("%s\n%lld %s", name, (long long) t->nrows,
									 t->nrows == 1 ? "row" : "rows"));
			appendStringInfoString(&buf, t->seeded ? ", style=bold];\n" : "];\n");
		}
	}
	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		bool		child = g->children && fk->from->childable && fk->to->childable;

		appendStringInfoString(&buf, "  ");
		sk_dot_id(&buf, sk_plan_name(fk->from));
		appendStringInfoString(&buf, " -> ");
		sk_dot_id(&buf, sk_plan_name(fk->to));
		appendStringInfoString(&buf, " [label=");
		sk_dot_id(&buf, fk->conname);
		if (fk->to->excluded)
			appendStringInfoString(&buf, ", style=dashed");
		else if (child)
			appendStringInfoString(&buf, ", color=blue");
		appendStringInfoString(&buf, "];\n");
	}
	appendStringInfoString(&buf, "}\n");

	MemoryContextSwitchTo(outer);
	result = cstring_to_text_with_len(buf.data, buf.len);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}
