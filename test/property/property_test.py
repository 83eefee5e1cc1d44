#!/usr/bin/python3
"""test/property/property_test.py: random-schema property test of seedkit.

Hypothesis draws a schema (tables, keys, foreign keys, partitions,
inheritance, sequences) and data consistent with its constraints; each
example is built in a fresh schema of the test database and checked:

  closure    an oracle (a recursive SQL query written here, independent of
             seedkit) computes the rows a snapshot must take; the document
             must hold exactly those, with reset_keys true and false; some
             examples take a seedkit_subset with a second root and a whole
             table, and some foreign keys are relations declared with
             seedkit_relate instead of constraints (issue 15)
  document   repeated snapshots are byte-identical; every value equals its
             source row; reset ordinals are 1..n in original key order; every
             foreign key value in the document names the row's real parent
  restore    into the emptied tables: append, append again, replace after
             append, replace into empty tables: the right rows, every
             non-key value equal to the source, every reference pointing at
             the copy of the source row's parent, no orphans, every
             sequence ahead of every key it feeds

Rows are told apart by a payload column ("note") whose values are unique
across the whole schema, so the checks never depend on key values.

A failing example is shrunk by Hypothesis and printed as SQL (DDL, data and
the seedkit calls) ready for a pg_regress test.

Arguments: --seed N (repeatable: one test each, --examples examples),
--random-seed N --seconds S (the time-seeded part: examples from seed N
while S seconds last).  Prints "N passed, M failed" last.
Environment: PGHOST, PGPORT, PGUSER; PROPERTY_DB (default seedkit_property);
SEEDKIT_PROPERTY_OFF: comma-separated generator features to switch off
(see FEATURES); SEEDKIT_PROPERTY_SHRINK_SECONDS: time a failing run may
spend shrinking.  Exit status 0 when every test passed.
"""

import argparse
import json
import os
import re
import sys
import time
import traceback

import psycopg2
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

FEATURES = ["quoted", "serial", "identity", "unowned", "uuid", "chain",
            "composite", "compositeserial", "partition", "perpart", "partroot", "inherit",
            "unique", "generated", "selfref", "cycle", "notnullcycle",
            "deferrable", "nochildren", "multiroot", "whole", "virtual"]
OFF = set(f for f in os.environ.get("SEEDKIT_PROPERTY_OFF", "").split(",") if f)
unknown = OFF - set(FEATURES)
if unknown:
    sys.exit("SEEDKIT_PROPERTY_OFF: unknown feature(s) %s; known: %s"
             % (", ".join(sorted(unknown)), ", ".join(FEATURES)))


def on(feature):
    """Whether the generator may use a feature."""
    return feature not in OFF


def qi(name):
    """Quote an identifier as quote_ident does (our names are never keywords)."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def lit(v):
    """An SQL literal for a Python value."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


class Failure(Exception):
    """A property did not hold."""


def check(cond, msg):
    if not cond:
        raise Failure(msg)


# --------------------------------------------------------------------------
# The model of a generated schema


class Table:
    def __init__(self, idx, name):
        self.idx = idx
        self.name = name
        self.kind = "plain"          # plain | partitioned | inherits
        self.parent = None           # inherits: index of the parent table
        self.key_kind = "natural"
        self.keycols = []            # names of the primary key columns
        self.cols = []               # [name, ddl type, extra ddl]
        self.types = {}              # column name -> key type (int, bigint, uuid, text)
        self.seqcols = {}            # column name -> qualified sequence feeding it
        self.fresh = set()           # columns that get fresh values in append mode
        self.note = "note"
        self.unique_col = None
        self.unique_kind = None
        self.identity_always = False
        self.rows = []               # [{column: value}]
        self.parts = []              # partition names (partitioned)

    def q(self, schema):
        return qi(schema) + "." + qi(self.name)

    def colnames(self):
        return [c for c, ty, extra in self.cols]


class FK:
    def __init__(self, name, table, cols, target, tcols, nullable,
                 deferrable, structural, declared_on=None):
        self.name = name
        self.table = table           # index of the referencing table
        self.cols = cols
        self.target = target
        self.tcols = tcols
        self.nullable = nullable
        self.deferrable = deferrable
        self.structural = structural
        self.declared_on = declared_on   # None: the table; else partition indexes
        self.virtual = False             # declared with seedkit_relate, no constraint


class Schema:
    def __init__(self, name):
        self.name = name
        self.tables = []
        self.fks = []
        self.sequences = []          # un-owned sequences (qualified names)
        self.root = 0
        self.root_part = None        # index of a partition used as the root
        self.filter_notes = None     # None: no filter
        self.children = True
        self.root2 = None            # a second root (seedkit_subset), or None
        self.filter2_notes = None    # its filter (never None with root2)
        self.whole = None            # a whole table (seedkit_subset), or None

    # ---- SQL
    def ddl(self):
        s = self.name
        out = ["CREATE SCHEMA %s;" % qi(s)]
        for seqname in self.sequences:
            out.append("CREATE SEQUENCE %s;" % seqname)
        for t in self.tables:
            cols = ", ".join("%s %s%s" % (qi(c), ty, extra) for c, ty, extra in t.cols
                             if t.kind != "inherits" or c not in self.tables[t.parent].colnames())
            if t.kind == "inherits":
                out.append("CREATE TABLE %s (%s) INHERITS (%s);"
                           % (t.q(s), cols, self.tables[t.parent].q(s)))
                out.append("ALTER TABLE %s ADD PRIMARY KEY (%s);"
                           % (t.q(s), ", ".join(qi(c) for c in t.keycols)))
                continue
            cons = ", PRIMARY KEY (%s)" % ", ".join(qi(c) for c in t.keycols)
            if t.unique_col:
                cons += ", UNIQUE (%s)" % qi(t.unique_col)
            part = ""
            if t.kind == "partitioned":
                part = " PARTITION BY LIST (part)"
            out.append("CREATE TABLE %s (%s%s)%s;" % (t.q(s), cols, cons, part))
            for k, p in enumerate(t.parts):
                out.append("CREATE TABLE %s.%s PARTITION OF %s FOR VALUES IN (%d);"
                           % (qi(s), qi(p), t.q(s), k))
        for t in self.tables:
            if not t.rows:
                continue
            names = [c for c, ty, extra in t.cols if "GENERATED ALWAYS AS (" not in extra]
            ov = " OVERRIDING SYSTEM VALUE" if t.identity_always else ""
            vals = ",\n  ".join("(" + ", ".join(lit(r[c]) for c in names) + ")" for r in t.rows)
            out.append("INSERT INTO %s (%s)%s VALUES\n  %s;"
                       % (t.q(s), ", ".join(qi(c) for c in names), ov, vals))
        for t in self.tables:
            for c, seqname in sorted(t.seqcols.items()):
                if t.kind == "inherits" and c in self.tables[t.parent].seqcols:
                    continue
                mx = max([r[c] for tt in self.tables if tt is t or tt.parent == t.idx
                          for r in tt.rows if c in r] + [0])
                if mx > 0:
                    out.append("SELECT setval(%s, %d);" % (seqname, mx))
        for f in self.fks:
            t = self.tables[f.table]
            tgt = self.tables[f.target]
            where = [t.q(s)] if f.declared_on is None else \
                ["%s.%s" % (qi(s), qi(t.parts[k])) for k in f.declared_on]
            if f.virtual:
                out.append("SELECT seedkit_relate(%s, ARRAY[%s]::name[], %s, ARRAY[%s]::name[]);"
                           % (lit(t.q(s)), ", ".join(lit(c) for c in f.cols), lit(tgt.q(s)),
                              ", ".join(lit(c) for c in f.tcols)))
                continue
            for k, w in enumerate(where):
                cname = f.name if f.declared_on is None else "%s_%d" % (f.name, f.declared_on[k])
                out.append("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)%s;"
                           % (w, qi(cname), ", ".join(qi(c) for c in f.cols), tgt.q(s),
                              ", ".join(qi(c) for c in f.tcols),
                              " DEFERRABLE INITIALLY DEFERRED" if f.deferrable else ""))
        return out

    def root_q(self):
        t = self.tables[self.root]
        if self.root_part is not None:
            return "%s.%s" % (qi(self.name), qi(t.parts[self.root_part]))
        return t.q(self.name)

    def filter_sql(self):
        if self.filter_notes is None:
            return None
        t = self.tables[self.root]
        return "%s IN (%s)" % (qi(t.note), ", ".join(lit(n) for n in self.filter_notes))

    def root2_sql(self):
        t = self.tables[self.root2]
        return "%s IN (%s)" % (qi(t.note), ", ".join(lit(n) for n in self.filter2_notes))

    def subset_spec(self):
        """The seedkit_subset spec of a multi-root or whole-table example."""
        roots = [{"table": self.root_q(), "filter": self.filter_sql()}]
        if self.root2 is not None:
            roots.append({"table": self.tables[self.root2].q(self.name), "filter": self.root2_sql()})
        spec = {"roots": roots, "children": self.children}
        if self.whole is not None:
            spec["whole"] = [self.tables[self.whole].q(self.name)]
        return json.dumps(spec)

    def snapshot_sql(self, reset):
        f = self.filter_sql()
        if self.root2 is not None or self.whole is not None:
            return "SELECT seedkit_subset(%s, name => 'prop', reset_keys => %s)" % (
                lit(self.subset_spec()), "true" if reset else "false")
        return "SELECT seedkit_snapshot(%s, filter => %s, name => 'prop', children => %s, reset_keys => %s)" % (
            lit(self.root_q()), lit(f), "true" if self.children else "false",
            "true" if reset else "false")




# --------------------------------------------------------------------------
# The generator

KEY_KINDS = ["natural", "serial", "identity", "identity_always", "unowned",
             "uuid", "chain", "composite"]
KIND_FEATURE = {"serial": "serial", "identity": "identity", "identity_always": "identity",
                "unowned": "unowned", "uuid": "uuid", "chain": "chain",
                "composite": "composite"}


@st.composite
def schemas(draw, schema_name):
    d = draw
    quoted = on("quoted") and d(st.booleans())
    sname = ("Prop %s" % schema_name) if quoted else "prop_%s" % schema_name
    S = Schema(sname)
    n = d(st.integers(1, 6))
    counter = [1000]

    def nextkey():
        counter[0] += d(st.integers(1, 40))
        return counter[0]

    for i in range(n):
        style = d(st.integers(0, 2)) if on("quoted") else 0
        name = ["t%d" % i, "T%d" % i, "t%d x" % i][style]
        t = Table(i, name)
        t.note = "note" if style == 0 else "Note"
        kinds = [k for k in KEY_KINDS if k not in KIND_FEATURE or on(KIND_FEATURE[k])]
        kind = d(st.sampled_from(kinds))
        # chains and composite keys reference an earlier table with a
        # single-column integer key
        int_keyed = [u for u in S.tables if len(u.keycols) == 1
                     and u.types[u.keycols[0]] in ("int", "bigint")]
        if kind in ("chain", "composite") and not int_keyed:
            kind = "natural"
        # inheritance from an earlier plain table with a simple key
        parents = [u for u in S.tables if u.kind == "plain"
                   and u.key_kind in ("natural", "serial", "unowned", "uuid")]
        if on("inherit") and parents and d(st.integers(0, 4)) == 0:
            par = d(st.sampled_from(parents))
            t.kind = "inherits"
            t.parent = par.idx
            t.key_kind = par.key_kind
            t.keycols = list(par.keycols)
            t.cols = [list(c) for c in par.cols]
            t.types = dict(par.types)
            t.seqcols = dict(par.seqcols)
            t.note = par.note
            t.fresh = set(par.fresh) & set(par.keycols)
            t.parent_fk_cols = {}
            S.tables.append(t)
            continue
        t.key_kind = kind
        idname = "id" if style == 0 else "Id"
        if kind == "natural":
            t.keycols = [idname]
            t.cols.append([idname, "int", ""])
            t.types[idname] = "int"
        elif kind == "serial":
            t.keycols = [idname]
            t.cols.append([idname, "serial", ""])
            t.types[idname] = "int"
            t.seqcols[idname] = "pg_get_serial_sequence(%s, %s)" % (lit(t.q(sname)), lit(idname))
            t.fresh.add(idname)
        elif kind in ("identity", "identity_always"):
            t.keycols = [idname]
            t.cols.append([idname, "bigint", " GENERATED %s AS IDENTITY"
                           % ("ALWAYS" if kind == "identity_always" else "BY DEFAULT")])
            t.types[idname] = "bigint"
            t.identity_always = kind == "identity_always"
            t.seqcols[idname] = "pg_get_serial_sequence(%s, %s)" % (lit(t.q(sname)), lit(idname))
            t.fresh.add(idname)
        elif kind == "unowned":
            seqname = "%s.%s" % (qi(sname), qi("seq %d" % i if style else "seq_%d" % i))
            S.sequences.append(seqname)
            t.keycols = [idname]
            t.cols.append([idname, "bigint", " NOT NULL DEFAULT nextval(%s)" % lit(seqname)])
            t.types[idname] = "bigint"
            t.seqcols[idname] = lit(seqname)
            t.fresh.add(idname)
        elif kind == "uuid":
            t.keycols = [idname]
            t.cols.append([idname, "uuid", " DEFAULT gen_random_uuid()"])
            t.types[idname] = "uuid"
            t.fresh.add(idname)
        elif kind == "chain":
            tgt = d(st.sampled_from(int_keyed))
            tc = tgt.keycols[0]
            t.keycols = [idname]
            t.cols.append([idname, tgt.types[tc], ""])
            t.types[idname] = tgt.types[tc]
            if tc in tgt.fresh:
                t.fresh.add(idname)
            S.fks.append(FK("%s_chain" % name, i, [idname], tgt.idx, [tc], False, False, True))
        elif kind == "composite":
            tgt = d(st.sampled_from(int_keyed))
            tc = tgt.keycols[0]
            tenant = "tenant" if style == 0 else "Tenant"
            local_serial = on("compositeserial") and d(st.booleans())
            t.keycols = [tenant, idname]
            t.cols.append([tenant, tgt.types[tc], ""])
            t.types[tenant] = tgt.types[tc]
            if tc in tgt.fresh:
                t.fresh.add(tenant)
            if local_serial:
                t.cols.append([idname, "serial", ""])
                t.seqcols[idname] = "pg_get_serial_sequence(%s, %s)" % (lit(t.q(sname)), lit(idname))
                t.fresh.add(idname)
            else:
                t.cols.append([idname, "int", ""])
            t.types[idname] = "int"
            S.fks.append(FK("%s_tenant" % name, i, [tenant], tgt.idx, [tc], False, False, True))
        t.cols.append([t.note, "text", " NOT NULL"])
        t.cols.append(["val", "int", ""])
        if on("generated") and d(st.booleans()):
            t.cols.append(["gen", "text", " GENERATED ALWAYS AS (upper(%s)) STORED" % qi(t.note)])
        if on("partition") and d(st.integers(0, 2)) == 0 \
                and (on("compositeserial") or not t.fresh):
            # rows never move between partitions when keys are reset
            t.kind = "partitioned"
            t.parts = ["%s_p%d" % (name, k) for k in range(2)]
            t.cols.append(["part", "int", " NOT NULL"])
            t.types["part"] = "int"
            t.keycols.append("part")
            # a column of a composite key is a surrogate when a sequence
            # or an identity feeds it, not a volatile default (README)
            t.fresh -= set(c for c in t.keycols if t.types[c] == "uuid")
        elif on("unique") and d(st.integers(0, 2)) == 0:
            t.unique_kind = d(st.sampled_from(["text", "serial"]))
            t.unique_col = "code"
            if t.unique_kind == "text":
                t.cols.append(["code", "text", " NOT NULL"])
                t.types["code"] = "text"
            else:
                t.cols.append(["code", "bigserial", ""])
                t.types["code"] = "bigint"
                t.seqcols["code"] = "pg_get_serial_sequence(%s, %s)" % (lit(t.q(sname)), lit("code"))
                t.fresh.add("code")
        S.tables.append(t)

    # extra foreign keys, to any table (earlier, itself, later: cycles)
    for t in S.tables:
        if t.kind == "inherits":
            continue
        for k in range(d(st.integers(0, 2))):
            choices = [u for u in S.tables if u.idx < t.idx]
            if on("selfref"):
                choices.append(t)
            if on("cycle"):
                choices += [u for u in S.tables if u.idx > t.idx]
            if not choices:
                break
            tgt = d(st.sampled_from(choices))
            via_unique = tgt.unique_col is not None and d(st.booleans())
            tcols = [tgt.unique_col] if via_unique else list(tgt.keycols)
            nullable = True
            if tgt.idx >= t.idx and tgt is not t:
                nullable = not on("notnullcycle") or d(st.booleans())
            elif tgt is t or tgt.idx < t.idx:
                nullable = d(st.booleans())
            deferrable = on("deferrable") and d(st.integers(0, 3)) == 0
            declared_on = None
            if t.kind == "partitioned" and on("perpart"):
                declared_on = d(st.sampled_from([None, [0, 1], [0], [1]]))
            cols = []
            for c in tcols:
                cn = ("r%d_%s" % (k, c)) if t.note == "note" else ("R%d %s" % (k, c))
                cols.append(cn)
                ty = tgt.types[c]
                t.cols.append([cn, ty, "" if nullable else " NOT NULL"])
                t.types[cn] = ty
                if c in tgt.fresh:
                    t.fresh.add(cn)
            S.fks.append(FK("%s_fk%d" % (t.name, k), t.idx, cols, tgt.idx, tcols,
                            nullable, deferrable, False, declared_on))
            # issue 15: a relation declared with seedkit_relate instead of a constraint
            if declared_on is None and on("virtual") and d(st.integers(0, 3)) == 0:
                S.fks[-1].virtual = True
    # inheriting tables copy their parent's columns as they are now
    for t in S.tables:
        if t.kind == "inherits":
            par = S.tables[t.parent]
            t.cols = [list(c) for c in par.cols]
            t.types = dict(par.types)

    # ---- data
    for t in S.tables:
        chain = [f for f in S.fks if f.table == t.idx and f.structural]
        nrows = d(st.integers(0, 5))
        if chain:
            f = chain[0]
            tgt_vals = [r[f.tcols[0]] for r in S.tables[f.target].rows]
            if not tgt_vals:
                nrows = 0
            if t.key_kind == "chain":
                pick = d(st.lists(st.sampled_from(tgt_vals), unique=True, max_size=nrows)) if tgt_vals else []
                t.rows = [{f.cols[0]: v} for v in pick]
            else:
                t.rows = [{f.cols[0]: d(st.sampled_from(tgt_vals)), t.keycols[1]: nextkey()}
                          for _ in range(nrows)]
        else:
            for _ in range(nrows):
                c = t.keycols[0]
                if t.types[c] == "uuid":
                    v = "%08x-0000-4000-8000-%012x" % (d(st.integers(0, 2 ** 32 - 1)), nextkey())
                else:
                    v = nextkey()
                t.rows.append({c: v})
        for k, r in enumerate(t.rows):
            if t.kind == "partitioned":
                r["part"] = (k + t.idx) % 2
            r[t.note] = "t%dr%d" % (t.idx, k)
            r["val"] = d(st.one_of(st.none(), st.integers(-5, 5)))
            if t.unique_kind == "text":
                r["code"] = "c-" + r[t.note]
            elif t.unique_kind == "serial":
                r["code"] = nextkey()
    for f in S.fks:
        if f.structural:
            continue
        t = S.tables[f.table]
        tgt = S.tables[f.target]
        if not tgt.rows and not f.nullable:
            f.nullable = True
            for c in t.cols:
                if c[0] in f.cols:
                    c[2] = ""
        for r in t.rows:
            if not tgt.rows or (f.nullable and d(st.booleans())):
                for c in f.cols:
                    r[c] = None
            else:
                p = tgt.rows[d(st.integers(0, len(tgt.rows) - 1))]
                for c, tc in zip(f.cols, f.tcols):
                    r[c] = p[tc]
    # inheriting tables: the parent's columns (its constraints are not
    # inherited: a NOT NULL reference column gets some valid value)
    for t in S.tables:
        if t.kind != "inherits":
            continue
        par = S.tables[t.parent]
        for r in t.rows:
            if par.unique_kind == "text":
                r["code"] = "c-" + r[t.note]
            elif par.unique_kind == "serial":
                r["code"] = nextkey()
            for f in S.fks:
                if f.table != par.idx:
                    continue
                tgt = S.tables[f.target]
                for c, tc in zip(f.cols, f.tcols):
                    r[c] = None if f.nullable else tgt.rows[0][tc]

    # ---- the snapshot
    nonempty = [t for t in S.tables if t.rows] or S.tables
    root = d(st.sampled_from(nonempty))
    S.root = root.idx
    if root.kind == "partitioned" and on("partroot") and d(st.integers(0, 2)) == 0:
        S.root_part = d(st.integers(0, 1))
    if root.rows and d(st.booleans()):
        S.filter_notes = d(st.lists(st.sampled_from([r[root.note] for r in root.rows]),
                                    unique=True, min_size=1))
        S.filter_notes.sort()
    S.children = not (on("nochildren") and d(st.integers(0, 4)) == 0)
    # issue 15: a second root and a whole table (seedkit_subset)
    withrows = [t for t in S.tables if t.rows]
    if on("multiroot") and withrows and d(st.integers(0, 2)) == 0:
        t2 = d(st.sampled_from(withrows))
        S.root2 = t2.idx
        S.filter2_notes = sorted(d(st.lists(st.sampled_from([r[t2.note] for r in t2.rows]),
                                            unique=True, min_size=1)))
    if on("whole") and d(st.integers(0, 3)) == 0:
        S.whole = d(st.sampled_from(S.tables)).idx
    return S


# --------------------------------------------------------------------------
# Running an example


class Runner:
    def __init__(self, conn):
        self.conn = conn
        self.cur = conn.cursor()

    def q(self, sql, args=None):
        self.cur.execute(sql, args)
        if self.cur.description is None:
            return []
        return self.cur.fetchall()


def table_rows(R, S, t, only=True):
    """Every row of a table as {column: json value}, keyed by payload."""
    src = t.q(S.name)
    o = "ONLY " if (only and t.kind != "partitioned") else ""
    rows = R.q("SELECT to_jsonb(x), tableoid::regclass::text FROM %s%s x" % (o, src))
    out = {}
    for j, rel in rows:
        j["__rel"] = rel
        out.setdefault(j[t.note], []).append(j)
    return out


def fk_sources(S, f):
    """The relations declaring a foreign key: the table or some partitions."""
    t = S.tables[f.table]
    if f.declared_on is None:
        return [(t.q(S.name), t.kind != "partitioned")]
    return [("%s.%s" % (qi(S.name), qi(t.parts[k])), False) for k in f.declared_on]


def fk_pairs(R, S, f):
    """(child payload, parent payload or None) for every row with a non-null reference."""
    t = S.tables[f.table]
    tgt = S.tables[f.target]
    out = []
    for rel, only in fk_sources(S, f):
        on_ = " AND ".join("c.%s = p.%s" % (qi(a), qi(b)) for a, b in zip(f.cols, f.tcols))
        notnull = " AND ".join("c.%s IS NOT NULL" % qi(a) for a in f.cols)
        sql = "SELECT c.%s, p.%s FROM %s%s c LEFT JOIN %s%s p ON %s WHERE %s" % (
            qi(t.note), qi(tgt.note), "ONLY " if only else "", rel,
            "ONLY " if tgt.kind != "partitioned" else "", tgt.q(S.name), on_, notnull)
        out += R.q(sql)
    return out


def oracle_closure(R, S):
    """The payloads a snapshot must take, by a recursive query over all foreign keys."""
    edges = []
    for f in S.fks:
        t = S.tables[f.table]
        tgt = S.tables[f.target]
        for rel, only in fk_sources(S, f):
            on_ = " AND ".join("c.%s = p.%s" % (qi(a), qi(b)) for a, b in zip(f.cols, f.tcols))
            edges.append("SELECT c.%s AS child, p.%s AS parent FROM %s%s c JOIN %s%s p ON %s" % (
                qi(t.note), qi(tgt.note), "ONLY " if only else "", rel,
                "ONLY " if tgt.kind != "partitioned" else "", tgt.q(S.name), on_))
    if not edges:
        edges.append("SELECT NULL::text, NULL::text WHERE false")
    root = S.tables[S.root]
    rel = S.root_q()
    only = "ONLY " if (root.kind != "partitioned" and S.root_part is None) else ""
    filt = S.filter_sql()
    rootsql = "SELECT %s FROM %s%s%s" % (qi(root.note), only, rel,
                                        (" WHERE " + filt) if filt else "")
    if S.root2 is not None:
        t2 = S.tables[S.root2]
        rootsql = "%s UNION SELECT %s FROM %s%s WHERE %s" % (
            rootsql, qi(t2.note), "ONLY " if t2.kind != "partitioned" else "",
            t2.q(S.name), S.root2_sql())
    # a whole table: every row, followed to its parents only
    wholesql = "SELECT NULL::text WHERE false"
    if S.whole is not None:
        tw = S.tables[S.whole]
        wholesql = "SELECT %s FROM %s%s" % (qi(tw.note), "ONLY " if tw.kind != "partitioned" else "",
                                            tw.q(S.name))
    if S.children:
        down_cte = "down(n) AS (%s UNION SELECT e.child FROM edges e JOIN down d ON e.parent = d.n)" % rootsql
    else:
        down_cte = "down(n) AS (%s)" % rootsql
    sql = ("WITH RECURSIVE edges(child, parent) AS (%s), %s, "
           "up(n) AS (SELECT n FROM down UNION %s UNION SELECT e.parent FROM edges e JOIN up u ON e.child = u.n) "
           "SELECT n FROM up" % (" UNION ALL ".join(edges), down_cte, wholesql))
    return set(r[0] for r in R.q(sql))


def doc_tables(R, doc):
    """The document's table elements keyed by regclass oid."""
    out = {}
    for el in doc["tables"]:
        oid = R.q("SELECT %s::regclass::oid", (el["table"],))[0][0]
        out[oid] = el
    return out


def oid_of(R, S, t):
    return R.q("SELECT %s::regclass::oid", (t.q(S.name),))[0][0]


class Example:
    """The checks of one generated schema."""

    def __init__(self, R, S):
        self.R = R
        self.S = S
        self.sql = S.ddl()
        self.log = []
        self.log_snap = None

    def run_sql(self, sql):
        self.log.append(sql if sql.endswith(";") else sql + ";")
        return self.R.q(sql)

    def build(self):
        R = self.R
        R.q("SET search_path = public")
        for stmt in self.sql:
            R.q(stmt)
        self.oids = {t.idx: oid_of(R, self.S, t) for t in self.S.tables}
        self.source = {}
        for t in self.S.tables:
            for note, rs in table_rows(R, self.S, t).items():
                self.source[note] = (t, rs[0])
        self.parent_of = {}
        for f in self.S.fks:
            for c, p in fk_pairs(R, self.S, f):
                self.parent_of[(f.name, c)] = p

    def clear(self):
        S = self.S
        names = ", ".join(t.q(S.name) for t in S.tables)
        self.run_sql("TRUNCATE %s RESTART IDENTITY CASCADE" % names)
        for seqname in S.sequences:
            self.run_sql("ALTER SEQUENCE %s RESTART" % seqname)

    def snapshot(self, reset):
        sql = self.S.snapshot_sql(reset)
        self.log_snap = sql + ";"
        self.logged_doc = None
        text = self.R.q(sql + "::text")[0][0]
        return text

    # ---- checks on a document
    def check_doc(self, text, reset, closure, what):
        S, R = self.S, self.R
        doc = json.loads(text)
        els = doc_tables(R, doc)
        by_table = {}
        seen = set()
        for t in S.tables:
            if t.kind == "partitioned" or t.kind == "plain" or t.kind == "inherits":
                el = els.get(self.oids[t.idx])
                if el is None:
                    continue
                cols = el["columns"]
                check(t.note in cols, "%s: table %s has no column %s" % (what, el["table"], t.note))
                ni = cols.index(t.note)
                rows = {}
                for row in el["rows"]:
                    rows[row[ni]] = dict(zip(cols, row))
                    check(row[ni] not in seen, "%s: row %s twice in the document" % (what, row[ni]))
                    seen.add(row[ni])
                by_table[t.idx] = (el, rows)
        check(len(els) == len(by_table),
              "%s: document holds tables the schema does not: %s" % (what, sorted(e["table"] for e in doc["tables"])))
        missing = sorted(closure - seen)
        extra = sorted(seen - closure)
        check(not missing and not extra,
              "%s: closure differs from the oracle: missing rows %s, extra rows %s" % (what, missing, extra))
        # values
        for t in S.tables:
            if t.idx not in by_table:
                continue
            el, rows = by_table[t.idx]
            reset_cols = set(el.get("reset", []))
            if not reset:
                check(not reset_cols, "%s: table %s has reset columns %s with reset_keys false"
                      % (what, el["table"], sorted(reset_cols)))
            fkcols = set(c for f in S.fks if f.table == t.idx for c in f.cols)
            for note, row in rows.items():
                src = self.source[note][1]
                for c, v in row.items():
                    if reset and (c in reset_cols or c in fkcols):
                        continue
                    check(src.get(c) == v, "%s: %s row %s column %s is %r in the document, %r in the source"
                          % (what, el["table"], note, c, v, src.get(c)))
            # ordinals 1..n in the original key order
            for c in reset_cols:
                vals = sorted(rows.values(), key=lambda r: r[c])
                check([r[c] for r in vals] == list(range(1, len(vals) + 1)),
                      "%s: reset column %s of %s holds %s, not 1..%d"
                      % (what, c, el["table"], sorted(r[c] for r in vals), len(vals)))
                if len(el["key"]) == 1 and el["key"][0] == c and t.types.get(c) != "uuid":
                    orig = [self.source[r[t.note]][1][c] for r in vals]
                    check(orig == sorted(orig), "%s: ordinals of %s.%s are not in the original key order"
                          % (what, el["table"], c))
        # every reference in the document names the source row's parent
        for f in S.fks:
            if f.table not in by_table or f.target not in by_table:
                continue
            t = S.tables[f.table]
            trows = by_table[f.target][1]
            index = {}
            for note, row in trows.items():
                index.setdefault(tuple(row.get(c) for c in f.tcols), []).append(note)
            for note, row in by_table[f.table][1].items():
                if (f.name, note) not in self.parent_of and f.declared_on is not None:
                    continue     # a row of a partition that does not declare it
                want = self.parent_of.get((f.name, note))
                vals = tuple(row.get(c) for c in f.cols)
                if want is None:
                    if self.source[note][1].get(f.cols[0]) is None:
                        check(all(v is None for v in vals), "%s: %s row %s: %s null in the source, %s in the document"
                              % (what, t.name, note, f.name, vals))
                    continue
                got = index.get(vals, [])
                check(got == [want], "%s: %s row %s: foreign key %s holds %s, which names %s in the document; its parent is %s"
                      % (what, by_table[f.table][0]["table"], note, f.name, list(vals), got or "no row", want))
        return doc

    # ---- checks on the restored tables
    def check_restored(self, closure, copies, doc, reset, exact, what):
        S, R = self.S, self.R
        els = doc_tables(R, doc)
        count = {}
        for t in S.tables:
            el = els.get(self.oids[t.idx])
            reset_cols = set(el.get("reset", [])) if el else set()
            fkcols = set(c for f in S.fks if f.table == t.idx for c in f.cols)
            docrows = {}
            if el:
                ni = el["columns"].index(t.note)
                docrows = {row[ni]: dict(zip(el["columns"], row)) for row in el["rows"]}
            for note, rs in table_rows(R, S, t).items():
                count[note] = count.get(note, 0) + len(rs)
                check(note in self.source, "%s: restored row %s is not a source row" % (what, note))
                src = self.source[note][1]
                for r in rs:
                    for c, v in r.items():
                        if c == "__rel":
                            continue
                        if exact is not True and (c in reset_cols or c in fkcols or c in t.fresh):
                            continue
                        check(src.get(c) == v, "%s: %s row %s column %s restored as %r, source %r"
                              % (what, t.name, note, c, v, src.get(c)))
                    if exact == "ordinals":
                        for c in reset_cols:
                            if t.types.get(c) == "uuid":
                                continue
                            check(r[c] == docrows[note][c], "%s: %s row %s reset column %s restored as %r, document %r"
                                  % (what, t.name, note, c, r[c], docrows[note][c]))
        want = {n: copies for n in closure}
        if count != want:
            missing = sorted(n for n in want if count.get(n, 0) < copies)
            extra = sorted(n for n in count if count[n] > want.get(n, 0))
            raise Failure("%s: restored rows differ (%d copies expected): missing %s, extra %s"
                          % (what, copies, missing, extra))
        for f in S.fks:
            pairs = fk_pairs(R, S, f)
            got = {}
            for c, p in pairs:
                got[c] = got.get(c, 0) + 1
            for (fname, c), p in self.parent_of.items():
                if fname == f.name and c in closure:
                    check(got.get(c, 0) == copies, "%s: %s row %s: foreign key %s lost its reference (source parent %s)"
                          % (what, S.tables[f.table].name, c, f.name, p))
            for c, p in pairs:
                check(p is not None, "%s: orphan: %s row %s, foreign key %s references no row"
                      % (what, S.tables[f.table].name, c, f.name))
                check(self.parent_of.get((f.name, c)) == p,
                      "%s: %s row %s: foreign key %s points at %s, its source parent is %s"
                      % (what, S.tables[f.table].name, c, f.name, p, self.parent_of.get((f.name, c))))
        # sequences ahead of every key they feed
        for t in S.tables:
            for c, seqexpr in t.seqcols.items():
                if t.kind == "inherits":
                    continue
                seqname = R.q("SELECT %s" % seqexpr)[0][0]
                mx = R.q("SELECT max(%s) FROM %s" % (qi(c), t.q(S.name)))[0][0]
                if mx is None:
                    continue
                nxt = R.q("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s"
                          % seqname)[0][0]
                check(nxt > mx, "%s: sequence %s would give %d next, but %s.%s holds %d"
                      % (what, seqname, nxt, t.name, c, mx))

    def restore(self, text, mode, reset):
        self.log.append("SELECT * FROM seedkit_restore('prop', %s);" % lit(mode))
        return self.R.q("SELECT * FROM seedkit_restore(%s::json, %s)", (text, mode))

    def append_twice_ok(self, doc):
        """Whether every unique key of every document table gets fresh values in append mode."""
        els = doc_tables(self.R, doc)
        # keys a foreign key declared on some partitions only references
        # are not reset (README, limits)
        for f in self.S.fks:
            if f.declared_on is not None and len(f.declared_on) < 2:
                return False
        for t in self.S.tables:
            if self.oids[t.idx] not in els or not t.rows:
                continue
            if not (set(t.keycols) & t.fresh):
                return False
            if t.unique_col and t.unique_col not in t.fresh:
                return False
        return True

    def run(self):
        R, S = self.R, self.S
        self.build()
        closure = oracle_closure(R, S)
        results = {}
        for reset in (False, True):
            what = "snapshot(reset_keys => %s)" % ("true" if reset else "false")
            a = self.snapshot(reset)
            b = self.snapshot(reset)
            check(a == b, "%s: two snapshots differ" % what)
            results[reset] = (a, self.check_doc(a, reset, closure, what))
            self.log_snap = None
        # restores
        text, doc = results[True]
        self.log.append(S.snapshot_sql(True) + ";")
        self.clear()
        self.restore(text, "append", True)
        self.check_restored(closure, 1, doc, True, False, "append into empty tables")
        if self.append_twice_ok(doc):
            self.restore(text, "append", True)
            self.check_restored(closure, 2, doc, True, False, "append a second time")
        self.restore(text, "replace", True)
        self.check_restored(closure, 1, doc, True, "ordinals", "replace after append")
        self.clear()
        self.restore(text, "replace", True)
        self.check_restored(closure, 1, doc, True, "ordinals", "replace into empty tables")
        text, doc = results[False]
        self.log = [S.snapshot_sql(False) + ";"]
        self.clear()
        self.restore(text, "replace", False)
        self.check_restored(closure, 1, doc, False, True, "replace, reset_keys false")
        self.clear()
        self.restore(text, "append", False)
        self.check_restored(closure, 1, doc, False, True, "append, reset_keys false")
        self.check_bad_override(text, doc)

    def check_bad_override(self, text, doc):
        """An override pointing a foreign key at a row that does not exist
        must fail and write nothing, whichever way the table is loaded
        (replica-role loads included); tried for every foreign key."""
        S, R = self.S, self.R
        els = doc_tables(R, doc)
        for f in S.fks:
            t = S.tables[f.table]
            el = els.get(self.oids[f.table])
            if f.declared_on is not None or el is None or not el["rows"] \
                    or self.oids[f.target] not in els:
                continue
            bogus = {}
            for c in f.cols:
                ty = t.types[c]
                bogus[c] = -999999 if ty in ("int", "bigint") else \
                    "00000000-0000-0000-0000-000000000000" if ty == "uuid" else "no such row"
            over = json.dumps({el["table"]: bogus})
            self.clear()
            self.log.append("SELECT * FROM seedkit_restore('prop', 'replace', %s);" % lit(over))
            try:
                R.q("SELECT * FROM seedkit_restore(%s::json, 'replace', %s::jsonb)", (text, over))
            except psycopg2.Error:
                pass
            else:
                raise Failure("override of %s.%s to a missing row: restore succeeded; %d orphans"
                              % (t.name, f.name, sum(1 for c, p in fk_pairs(R, S, f) if p is None)))
            n = sum(R.q("SELECT count(*) FROM %s" % u.q(S.name))[0][0] for u in S.tables)
            check(n == 0, "override of %s.%s to a missing row: restore failed but left %d rows"
                  % (t.name, f.name, n))
            self.log.pop()

    def script(self):
        """The example as SQL to paste into a pg_regress test."""
        return "\n".join(self.sql + self.log + ([self.log_snap] if self.log_snap else []))


# --------------------------------------------------------------------------
# The driver


def run_seed(R, seed_value, examples, label, until=None):
    """One Hypothesis run of `examples` examples from a seed (examples after
    time `until` pass without running); returns (ok, examples run)."""
    shrink_budget = float(os.environ.get("SEEDKIT_PROPERTY_SHRINK_SECONDS", "20"))
    state = {"n": 0, "fails": [], "first_fail": None, "ran": 0}
    start = time.time()

    @settings(max_examples=examples, database=None, deadline=None,
              derandomize=False, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck), print_blob=False,
              report_multiple_bugs=False)
    @seed(seed_value)
    @given(st.data())
    def prop(data):
        # Shrinking runs an example per step: past its budget every example
        # passes, which ends it; the smallest failure seen is reported.
        if state["first_fail"] is not None and time.time() - state["first_fail"] > shrink_budget:
            return
        if state["first_fail"] is None and until is not None and time.time() > until:
            return
        state["n"] += 1
        S = data.draw(schemas("s%d" % state["n"]))
        ex = Example(R, S)
        R.q("DROP SCHEMA IF EXISTS %s CASCADE" % qi(S.name))
        try:
            state["ran"] += 1
            ex.run()
        except (Failure, psycopg2.Error) as e:
            msg = str(e).strip()
            if isinstance(e, psycopg2.Error):
                msg = "error: " + msg
            if state["first_fail"] is None:
                state["first_fail"] = time.time()
            state["fails"].append((len(ex.script()), msg, ex.script()))
            raise Failure(msg.splitlines()[0][:120])
        finally:
            R.q("SET search_path = public")
            R.q("DROP SCHEMA IF EXISTS %s CASCADE" % qi(S.name))

    try:
        prop()
    except (Failure, Flaky):
        pass
    except Exception:
        traceback.print_exc()
        if not state["fails"]:
            print("%s: FAILED: harness error" % label)
            return False, state["ran"]
    elapsed = time.time() - start
    if state["fails"]:
        size, msg, script = min(state["fails"], key=lambda x: x[0])
        print("%s: FAILED (%d examples, %d failed, %.0f s); the smallest failing example:"
              % (label, state["ran"], len(state["fails"]), elapsed))
        print("-- failure: " + msg.replace("\n", "\n--   "))
        print(script)
        print("-- end of example")
        return False, state["ran"]
    print("%s: %d examples passed (%.0f s)" % (label, state["ran"], elapsed))
    return True, state["ran"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, action="append", default=[],
                    help="a fixed seed: one test of --examples examples (repeatable)")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--random-seed", type=int, default=None,
                    help="the time-seeded part: seeds from this one on, while --seconds last")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()

    conn = psycopg2.connect(dbname=os.environ.get("PROPERTY_DB", "seedkit_property"))
    conn.autocommit = True
    R = Runner(conn)
    R.q("SET client_min_messages = error")
    passed = failed = 0
    for s in args.seed:
        ok, _ = run_seed(R, s, args.examples, "seed %d" % s)
        passed += ok
        failed += not ok
    if args.random_seed is not None and args.seconds > 0:
        # the time-seeded part: one test, as many examples as the time allows
        s = args.random_seed
        ok, n = run_seed(R, s, 100000, "time-seeded part, seed %d, %.0f s" % (s, args.seconds),
                         until=time.time() + args.seconds)
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
