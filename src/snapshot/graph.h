/*-------------------------------------------------------------------------
 *
 * graph.h
 *	  The table graph a document is taken along: tables, keys and foreign
 *	  keys.
 *
 * src/snapshot/graph.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_GRAPH_H
#define SEEDKIT_GRAPH_H

#include "postgres.h"

#include "nodes/pg_list.h"

struct SkTable;

/* One foreign key constraint, as declared (conparentid = 0). */
typedef struct SkFk
{
	Oid			conoid;
	char	   *conname;
	Oid			relid;			/* referencing relation as declared */
	Oid			refrelid;		/* referenced relation as declared */
	int			nkeys;
	char	  **cols;			/* referencing column names, quoted */
	char	  **rawcols;		/* the same, unquoted */
	char	  **refcols;		/* referenced column names, quoted */
	char	  **rawrefcols;		/* the same, unquoted */
	char	  **eqops;			/* "OPERATOR(nsp.=)" per column pair */
	bool		notnull;		/* some referencing column is NOT NULL */
	bool		deferrable;
	bool		validated;		/* every row is known to satisfy it */
	bool		matchfull;		/* MATCH FULL: its columns are all null or
								 * none is */
	bool		indexed;		/* an index leads with the referencing columns */
	char	   *relfilter;		/* tableoid condition when declared on some
								 * partitions only, else "" */
	char	   *reffilter;		/* the same for the referenced side */
	List	   *declared;		/* the declaring partitions and their
								 * descendants when they are not the whole
								 * referencing unit (sk_fk_coverage), else NIL */
	char	   *fromrel;		/* the referencing rows as a FROM item: the
								 * unit, or only the declaring partitions */
	char	   *condition;		/* a virtual reference's condition on the
								 * referencing rows (seedkit_relate), else
								 * NULL */
	bool		isvirtual;		/* declared with seedkit_relate: no
								 * constraint checks it (conoid invalid) */
	int64		viaid;			/* names the reference in the key tables'
								 * via column: conoid, or a negative number
								 * of its own for a virtual one */
	struct SkTable *from;		/* unit of relid */
	struct SkTable *to;			/* unit of refrelid */
	bool		after;			/* filled in after the rows exist (cycle) */
	int			pwm;			/* generation its parent step last ran in */
	int			cwm;			/* the same for its child step */
} SkFk;

/*
 * A unit: a plain table, or a partitioned table read through its root.
 * Rows are identified by "key" columns, or by (tableoid, ctid) when the
 * table has no usable key.
 */
typedef struct SkTable
{
	Oid			relid;
	char	   *qname;			/* schema-qualified, quoted */
	char	   *from;			/* "ONLY qname" or "qname" */
	bool		partitioned;
	int			ncols;			/* written columns */
	AttrNumber *attnums;
	char	  **cols;			/* quoted names */
	char	  **rawcols;		/* unquoted names */
	Oid		   *typids;
	char	  **typnames;		/* format_type output */
	bool	   *reset;			/* reset surrogate key column */
	bool	   *rownum;			/* reset column of the key: its ordinal is
								 * the row's number in key order */
	int		   *odepth;			/* foreign keys from the column to a reset
								 * column: 0 reset, -1 holds no ordinal */
	struct SkFk **osrc;			/* an ordinal reference's foreign key ... */
	int		   *osrck;			/* ... and the column's position in it */
	bool	   *carry;			/* kept in the key table, for parent steps */
	bool		carries;		/* some column is carried */
	int			nkey;			/* 0: keyless, identified by ctid */
	int		   *keyidx;			/* key column -> index in cols */
	char	  **keyeqops;		/* equality operator per key column */
	bool		entered;		/* in the closure's table set */
	bool		childable;		/* children are followed into it */
	bool		excluded;
	bool		seeded;			/* filled before the closure: a root or a
								 * whole table of a subset (or the root) */
	bool		whole;			/* copied entirely: its rows are followed
								 * down only from those the roots reach as
								 * children */
	bool		complete;		/* every row of the unit is in its key
								 * table (seeded whole): parent steps into it
								 * add nothing */
	List	   *fks_out;		/* SkFk * from this unit */
	List	   *fks_in;			/* SkFk * to this unit */
	int			knum;			/* temp key table number */
	bool		single_path;	/* filled by one child step only: no
								 * duplicates, no unique index */
	int64		nrows;
	const char *tidcol;			/* see sk_tid_col */
	bool		tid_partial;	/* some key table rows lack their ctid */
	bool		key_indexed;	/* its key table has its unique index */
	struct SkOrdMap **ordmaps;	/* per column: its value-to-ordinal map held
								 * in memory (writer.c), else NULL */
	int64		analyzed;		/* rows when its key table was last analyzed */
	int64		prev_new;		/* rows seeded before the closure */
	int64		prev_child;		/* of which children */
	int			last_new;		/* generation of its newest rows, -1: none */
	int			last_child;		/* the same for its newest children */
	List	   *gens;			/* generations its rows were written in */
	int			rank;			/* order of its steps (sk_closure_steps) */
	int			order;			/* position in the document */
	const char *reached_as;		/* "root", "whole", "child", "parent" or
								 * "excluded" */
	char	   *via;			/* constraint first followed into it */
	int			depth;			/* foreign keys followed from the root */
	bool		placed;
} SkTable;

typedef struct SkGraph
{
	List	   *tables;			/* every SkTable looked at */
	List	   *fks;			/* every SkFk between entered units */
	SkTable    *root;			/* the root; a subset's first root or whole
								 * table */
	Oid			rootrel;		/* as given; may be a partition */
	List	   *roots;			/* a subset's root relids as given (OIDs) */
	List	   *wholes;			/* a subset's whole relids (OIDs) */
	const char *spec;			/* a subset's spec, as its document's root
								 * member (NULL for a snapshot) */
	bool		children;
	bool		reset_keys;
} SkGraph;

extern SkGraph *sk_graph_build(Oid rootrel, bool children, Oid *exclude,
							   int nexclude, bool reset_keys);
extern SkGraph *sk_graph_build_subset(List *roots, List *wholes, bool children,
									  Oid *exclude, int nexclude,
									  bool reset_keys);
extern SkTable *sk_graph_table(SkGraph *g, Oid relid);
extern Oid	sk_graph_unit(Oid relid);
extern int	sk_table_col(SkTable *t, const char *raw);
extern int	sk_fk_col(SkFk *fk, const char *raw);
extern char *sk_fk_unenforced(SkFk *fk, int k, const char *alias);
extern char *sk_keyjoin(SkTable *t, const char *talias, const char *kalias);
extern char *sk_leaf_filter(Oid relid, const char *alias);
extern char *sk_fk_declared_filter(SkFk *fk, const char *alias);
extern List *sk_graph_order(SkGraph *g);
extern List *sk_graph_relids(SkGraph *g);

#endif							/* SEEDKIT_GRAPH_H */
