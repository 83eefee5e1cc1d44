#!/usr/bin/env python3
# test/bench/bench.py: the benchmark driver behind test/bench/run.
#
# Runs each seedkit operation against PostgreSQL's own floor on the same rows
# in the same run (medians of --runs after one warm-up), reads each measured
# backend's peak memory from /proc, prints a table and writes one JSON line
# per operation to test/bench/results/.  Expects PGHOST/PGPORT/PGUSER of a
# superuser connection and SK_BENCH_DIR, a directory the server can write.
#
# Each measured operation runs in a fresh psql session (so VmHWM is that
# operation's), timed by psql's \timing around the statement: connection
# set-up is never timed.  Only the standard library is used.

import argparse
import datetime
import json
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(TOP, "test", "bench")
PSQL = os.environ.get("SK_PSQL", "psql")
SENTINEL = "__SK_BENCH_END__"

# Targets from issues 5 and 12 (ratio = seedkit / floor unless said otherwise).
TARGET = {
    "snapshot": 1.2,
    "small": 1.5,		# snapshot of 3 books (fixed costs)
    "restore": 1.0,
    "reset": 5.0,		# median ms per call
    "anonymise": 1.0,
    "fake": 1.5,
    "linear": 1.3,		# time per row, larger scale / scale 10
    "mem_growth": 64,	# MB of snapshot private memory beyond the document, scale 10 to 1000
    "mem_doc": 2.0,		# restore private memory / document size
}


def log(msg):
    print("== " + msg, file=sys.stderr, flush=True)


class SqlError(Exception):
    pass


class Session:
    """One psql process = one backend, driven statement by statement."""

    def __init__(self, db):
        self.db = db
        self.p = subprocess.Popen(
            [PSQL, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        self.err = []
        self.t = threading.Thread(target=self._drain, daemon=True)
        self.t.start()
        self.pid = int(self.q("SELECT pg_backend_pid();")[0])
        self.q("\\timing on")

    def _drain(self):
        for line in self.p.stderr:
            self.err.append(line)

    def run(self, sql):
        """Run sql; return (output lines, total ms of its statements)."""
        self.p.stdin.write(sql.rstrip() + "\n\\echo " + SENTINEL + "\n")
        self.p.stdin.flush()
        out = []
        ms = 0.0
        while True:
            line = self.p.stdout.readline()
            if line == "":
                self.p.wait()
                time.sleep(0.05)
                raise SqlError("".join(self.err[-20:]).strip() or "psql exited")
            line = line.rstrip("\n")
            if line == SENTINEL:
                break
            m = re.match(r"^Time: ([0-9.]+) ms", line)
            if m:
                ms += float(m.group(1))
            elif line != "Timing is on.":
                out.append(line)
        return out, ms

    def q(self, sql):
        return self.run(sql)[0]

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait()


class MemWatch:
    """Peak memory of one backend: VmHWM (resident, shared buffers it
    touched included) and its private (anonymous) memory, sampled every
    10 ms and bounded below by VmHWM minus the shared/file pages at the end."""

    def __init__(self, pid):
        self.pid = pid
        self.stop_ev = threading.Event()
        self.anon = 0
        self.t = threading.Thread(target=self._loop, daemon=True)
        self.t.start()

    def _status(self):
        d = {}
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if v.strip().endswith("kB"):
                        d[k] = int(v.split()[0])
        except OSError:
            pass
        return d

    def _loop(self):
        while not self.stop_ev.is_set():
            self.anon = max(self.anon, self._status().get("RssAnon", 0))
            self.stop_ev.wait(0.01)

    def stop(self):
        self.stop_ev.set()
        self.t.join()
        s = self._status()
        hwm = s.get("VmHWM", 0)
        floor_est = hwm - s.get("RssShmem", 0) - s.get("RssFile", 0)
        return {"hwm_kb": hwm, "anon_kb": max(self.anon, s.get("RssAnon", 0), floor_est)}


def measure(db, sql, setup=None):
    """Run sql in a fresh session; return (ms, output, memory)."""
    s = Session(db)
    try:
        if setup:
            s.q(setup)
        w = MemWatch(s.pid)
        try:
            out, ms = s.run(sql)
        finally:
            mem = w.stop()
    finally:
        s.close()
    return ms, out, mem


def psql_exec(db, sql):
    """Run sql (no timing) in a throwaway session; return output lines."""
    s = Session(db)
    try:
        return s.q(sql)
    finally:
        s.close()


def psql_file(db, path, variables=None, text=None):
    cmd = [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db]
    for k, v in (variables or {}).items():
        cmd += ["-v", "%s=%s" % (k, v)]
    if text is None:
        cmd += ["-f", path]
    r = subprocess.run(cmd, input=text, text=True, capture_output=True)
    if r.returncode != 0:
        raise SqlError(r.stderr.strip())


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def has_function(db, name, first_arg=None, nargs=None):
    """Whether function name exists, by name and optionally the type of its
    first argument or its number of arguments (later optional arguments
    added by colleagues do not hide it)."""
    cond = "proname = %s" % lit(name)
    if first_arg:
        cond += " AND pronargs > 0 AND proargtypes[0] = %s::regtype" % lit(first_arg)
    if nargs is not None:
        cond += " AND pronargs = %d" % nargs
    return psql_exec(db, "SELECT count(*) > 0 FROM pg_proc WHERE %s;" % cond)[0] == "t"


def median(xs):
    return statistics.median(xs) if xs else None


def p95(xs):
    ys = sorted(xs)
    return ys[max(0, math.ceil(0.95 * len(ys)) - 1)] if ys else None


class Bench:
    def __init__(self, args):
        self.args = args
        self.dir = os.environ["SK_BENCH_DIR"]
        self.results = []
        self.docs = {}			# scale -> document bytes
        self.started = datetime.datetime.now(datetime.timezone.utc)

    # ------------------------------------------------------------------
    # results

    def add(self, op, rows=None, sk=None, fl=None, mem=None, target=None,
            kind="ratio", note="", status="ok", **extra):
        r = {"op": op, "rows": rows, "status": status, "note": note,
             "seedkit_ms": median(sk) if sk else None,
             "floor_ms": median(fl) if fl else None,
             "seedkit_all_ms": [round(x, 3) for x in sk or []],
             "floor_all_ms": [round(x, 3) for x in fl or []],
             "target": target, "target_kind": kind}
        if r["seedkit_ms"] is not None and r["floor_ms"]:
            r["ratio"] = r["seedkit_ms"] / r["floor_ms"]
        else:
            r["ratio"] = None
        if mem:
            r["peak_hwm_kb"] = max(m["hwm_kb"] for m in mem)
            r["peak_anon_kb"] = max(m["anon_kb"] for m in mem)
        r.update(extra)
        if status == "ok" and target is not None:
            val = r["ratio"] if kind == "ratio" else r.get(kind)
            r["met"] = None if val is None else val <= target
        self.results.append(r)
        self.print_row(r)
        return r

    def skip(self, op, why):
        return self.add(op, status="skipped", note=why)

    def print_row(self, r):
        if r["status"] != "ok":
            print("%-28s %s: %s" % (r["op"], r["status"], r["note"]), flush=True)
            return
        print(self.fmt(r), flush=True)

    HEADER = "%-28s %10s %12s %12s %7s %9s %9s  %s" % (
        "operation", "rows", "seedkit ms", "floor ms", "ratio", "RSS MB", "anon MB", "target")

    def fmt(self, r):
        def ms(x):
            return "-" if x is None else ("%.1f" % x if x >= 10 else "%.3f" % x)

        def mb(kb):
            return "-" if kb is None else "%.0f" % (kb / 1024.0)

        tgt = ""
        if r.get("target") is not None:
            if r["target_kind"] == "ratio":
                tgt = "<= %.1fx" % r["target"]
            else:
                tgt = "%s <= %g" % (r["target_kind"], r["target"])
            tgt += {True: " met", False: " NOT MET", None: ""}[r.get("met")]
        if r.get("note"):
            tgt = (tgt + "  " if tgt else "") + r["note"]
        return "%-28s %10s %12s %12s %7s %9s %9s  %s" % (
            r["op"], "-" if r["rows"] is None else r["rows"], ms(r["seedkit_ms"]),
            ms(r["floor_ms"]), "-" if r["ratio"] is None else "%.2f" % r["ratio"],
            mb(r.get("peak_hwm_kb")), mb(r.get("peak_anon_kb")), tgt)

    def write_results(self):
        os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
        stamp = self.started.strftime("%Y%m%dT%H%M%SZ")
        path = os.path.join(BENCH, "results", "bench-%s.jsonl" % stamp)
        git = subprocess.run(["git", "-C", TOP, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        common = {"run": stamp, "git": git, "host": socket.gethostname(),
                  "machine": machine(), "scale": self.args.scale, "runs": self.args.runs}
        with open(path, "w") as f:
            for r in self.results:
                f.write(json.dumps(dict(common, **r)) + "\n")
        return path

    # ------------------------------------------------------------------
    # datasets

    def db_exists(self, db):
        return psql_exec("postgres", "SELECT count(*) FROM pg_database WHERE datname = %s;" % lit(db))[0] == "1"

    def marker(self, db):
        return psql_exec(db, "SELECT coalesce((SELECT obj_description('public'::regnamespace)), '');")[0]

    def fresh_db(self, db, tag):
        """Create db unless it exists with the same tag (--no-cluster reuse);
        returns True when it must be filled."""
        if self.db_exists(db):
            if self.marker(db) == tag:
                # Kept data, but the extension as installed now.
                psql_exec(db, "DROP EXTENSION IF EXISTS seedkit CASCADE; CREATE EXTENSION seedkit;")
                return False
            psql_exec("postgres", "DROP DATABASE %s;" % db)
        psql_exec("postgres", "CREATE DATABASE %s;" % db)
        return True

    def tag_db(self, db, tag):
        psql_exec(db, "COMMENT ON SCHEMA public IS %s;" % lit(tag))

    def bookstore(self, db, scale, schema="shop"):
        text = open(os.path.join(TOP, "test", "lib", "bookstore.sql")).read()
        if schema != "shop":
            text = re.sub(r"\bshop\b", schema, text)
        psql_file(db, None, {"scale": scale}, text=text)

    def source_db(self, scale):
        db = "bench_s%d" % scale
        if self.fresh_db(db, "bookstore %d" % scale):
            log("building bookstore at scale %d (%d books) in %s" % (scale, scale * 1000, db))
            t = time.time()
            self.bookstore(db, scale)
            psql_exec(db, "CREATE EXTENSION seedkit; CREATE SCHEMA bench;")
            self.tag_db(db, "bookstore %d" % scale)
            log("built in %.0f s" % (time.time() - t))
        return db

    def target_db(self, scale):
        """Empty copies of the schema: shop (seedkit restores here) and
        floor (COPY FROM), same constraints, indexes and FKs."""
        db = "bench_t%d" % scale
        if self.fresh_db(db, "empty"):
            self.bookstore(db, 0)
            self.bookstore(db, 0, "floor")
            psql_exec(db, "CREATE EXTENSION seedkit; CREATE SCHEMA bench;")
            self.tag_db(db, "empty")
        return db

    # ------------------------------------------------------------------
    # the rows of a snapshot, for the floors

    def closure_keys(self, db, name):
        """From the stored snapshot name (taken with reset_keys => false),
        one key table per document table: bench.<name>_k<i>.  Returns the
        tables as dicts: qname, columns, types, key, rows, keytab."""
        meta = psql_exec(db, """
            SELECT json_build_object('table', e.t->'table', 'columns', e.t->'columns',
                                     'types', e.t->'types', 'key', e.t->'key',
                                     'rows', json_array_length(e.t->'rows'))
            FROM seedkit.snapshots s,
                 json_array_elements(s.document->'tables') WITH ORDINALITY AS e(t, n)
            WHERE s.name = %s ORDER BY e.n;""" % lit(name))
        tables = [json.loads(x) for x in meta]
        stmts = []
        for i, t in enumerate(tables):
            if not t["key"]:
                raise SqlError("table %s has no key; the floor needs one" % t["table"])
            sel = []
            for k in t["key"]:
                j = t["columns"].index(k)
                sel.append("(r->>%d)::%s AS %s" % (j, t["types"][j], qi(k)))
            t["keytab"] = "bench.%s_k%d" % (name, i)
            stmts.append("DROP TABLE IF EXISTS %s;" % t["keytab"])
            stmts.append("CREATE TABLE %s AS SELECT %s FROM seedkit.snapshots s, "
                         "json_array_elements(s.document->'tables'->%d->'rows') r WHERE s.name = %s;"
                         % (t["keytab"], ", ".join(sel), i, lit(name)))
            stmts.append("ANALYZE %s;" % t["keytab"])
        psql_exec(db, "\n".join(stmts))
        return tables

    def in_closure(self, t, alias="t"):
        keys = ", ".join("%s.%s" % (alias, qi(k)) for k in t["key"])
        return "(%s) IN (SELECT %s FROM %s)" % (keys, ", ".join(qi(k) for k in t["key"]), t["keytab"])

    def export_copy(self, db, tables, prefix):
        """COPY text files of the closure's rows, one per table (untimed)."""
        stmts = []
        for i, t in enumerate(tables):
            t["file"] = os.path.join(self.dir, "%s_%d.copy" % (prefix, i))
            stmts.append("COPY (SELECT %s FROM %s t WHERE %s) TO %s;" % (
                ", ".join("t." + qi(c) for c in t["columns"]), t["table"],
                self.in_closure(t), lit(t["file"])))
        psql_exec(db, "\n".join(stmts))

    # ------------------------------------------------------------------
    # 1, 2, 6: snapshot and restore at one scale

    def snapshot_restore(self, scale, runs, label, restore=True, books=None):
        """Snapshot of 10% of the books (or of the first books) vs COPY
        (row_to_json) TO files, then restore of that document vs COPY FROM.
        Returns the two results."""
        src = self.source_db(scale)
        filt = "book_id <= %d" % (books or scale * 100)
        call = ("seedkit_snapshot('shop.books', filter => %s, name => %%s, "
                "max_rows => 1000000000000)" % lit(filt))
        keys = "bench_keys" if books is None else "bench_keys_b%d" % books
        out = {}

        # Keys of the closure (untimed; also the warm-up).
        log("%s: closure keys and floor files" % label)
        psql_exec(src, "SELECT octet_length(%s::text);" % (
            call.replace("max_rows", "reset_keys => false, max_rows") % lit(keys)))
        tables = self.closure_keys(src, keys)
        nrows = sum(t["rows"] for t in tables)
        self.export_copy(src, tables, "rows_s%d" % scale)

        floor_sql = []
        for i, t in enumerate(tables):
            floor_sql.append("COPY (SELECT row_to_json(t) FROM %s t WHERE %s) TO %s;" % (
                t["table"], self.in_closure(t), lit(os.path.join(self.dir, "floor_snap_%d.json" % i))))
        floor_sql = "\n".join(floor_sql)
        # IS NOT NULL: json has no cast to text but I/O conversion, and
        # octet_length(...::text) held two more copies of the document.
        name = "bench" if books is None else "bench_b%d" % books
        sk_sql = "SELECT %s IS NOT NULL;" % (call % lit(name))
        doclen_sql = "SELECT octet_length(document::text) FROM seedkit.snapshots WHERE name = %s;" % lit(name)

        log("%s: snapshot of %d rows, %d runs" % (label, nrows, runs))
        sk, fl, mem = [], [], []
        measure(src, floor_sql)
        for r in range(runs):
            psql_exec(src, "CHECKPOINT;")
            ms, o, m = measure(src, sk_sql)
            sk.append(ms)
            mem.append(m)
            ms, o, m = measure(src, floor_sql)
            fl.append(ms)
        doclen = int(psql_exec(src, doclen_sql)[0])
        counts = json.loads(psql_exec(src, "SELECT row_counts FROM seedkit.snapshots WHERE name = %s;" % lit(name))[0])
        sk_rows = sum(counts.values())
        note = "doc %.1f MB" % (doclen / 1048576.0)
        if sk_rows != nrows:
            note += "; row count differs from the keys' %d" % nrows
        if books is None:
            self.docs[scale] = doclen
        out["snapshot"] = self.add("%s snapshot" % label, sk_rows, sk, fl, mem,
                                   TARGET["snapshot" if books is None else "small"],
                                   note=note, scale=scale,
                                   doc_bytes=doclen, per_row_us=median(sk) * 1000.0 / sk_rows)

        # Restore.
        if not restore:
            return out
        if not has_function(src, "seedkit_restore", "json"):
            out["restore"] = self.skip("%s restore" % label,
                                       "function seedkit_restore(json, ...) not installed")
            return out
        tgt = self.target_db(scale)
        docfile = os.path.join(self.dir, "doc_s%d.copy" % scale)
        psql_exec(src, "COPY (SELECT document FROM seedkit.snapshots WHERE name = 'bench') TO %s;" % lit(docfile))
        psql_exec(tgt, "DROP TABLE IF EXISTS bench.doc; CREATE TABLE bench.doc (d json);"
                  "ALTER TABLE bench.doc ALTER d SET STORAGE EXTERNAL;"
                  "COPY bench.doc FROM %s;" % lit(docfile))
        shop_tabs = ", ".join(t["table"] for t in tables)
        floor_tabs = ", ".join(floortab(t["table"]) for t in tables)
        reset_sql = ("TRUNCATE %s RESTART IDENTITY; TRUNCATE %s RESTART IDENTITY; CHECKPOINT;"
                     % (shop_tabs, floor_tabs))
        sk_sql = "SELECT sum(rows) FROM seedkit_restore((SELECT d FROM bench.doc), 'append');"
        floor_sql = ["BEGIN;"]
        for t in tables:
            floor_sql.append("COPY %s (%s) FROM %s;" % (
                floortab(t["table"]), ", ".join(qi(c) for c in t["columns"]), lit(t["file"])))
        floor_sql.append("COMMIT;")
        floor_sql = "\n".join(floor_sql)

        log("%s: restore of %d rows, %d runs" % (label, nrows, runs))
        sk, fl, mem = [], [], []
        try:
            psql_exec(tgt, reset_sql)
            measure(tgt, sk_sql)
            measure(tgt, floor_sql)
            for r in range(runs):
                psql_exec(tgt, reset_sql)
                ms, o, m = measure(tgt, sk_sql)
                sk.append(ms)
                mem.append(m)
                got = int(o[0])
                ms, o, m = measure(tgt, floor_sql)
                fl.append(ms)
        except SqlError as e:
            out["restore"] = self.add("%s restore" % label, status="error", note=first_line(e))
            return out
        note = "doc %.1f MB" % (doclen / 1048576.0)
        if got != nrows:
            note += "; restored %d rows, expected %d" % (got, nrows)
        out["restore"] = self.add("%s restore" % label, nrows, sk, fl, mem,
                                  TARGET["restore"], note=note, scale=scale,
                                  doc_bytes=doclen, per_row_us=median(sk) * 1000.0 / nrows)
        return out

    # ------------------------------------------------------------------
    # 3: per-test reset

    def reset(self):
        # Always a new database: the calls below overwrite its rows.
        db = "bench_reset"
        psql_exec("postgres", "DROP DATABASE IF EXISTS %s;" % db)
        psql_exec("postgres", "CREATE DATABASE %s;" % db)
        self.bookstore(db, 1)
        psql_exec(db, "CREATE EXTENSION seedkit; CREATE SCHEMA bench;")
        if not has_function(db, "seedkit_restore", nargs=0):
            return self.skip("reset (seedkit_restore())", "function seedkit_restore() not installed")

        # About 1,000 rows: pick the number of books from a first try.
        def take(k, name, extra=""):
            psql_exec(db, "SELECT octet_length(seedkit_snapshot('shop.books', filter => 'book_id <= %d', "
                          "name => %s%s)::text);" % (k, lit(name), extra))
            counts = json.loads(psql_exec(db, "SELECT row_counts FROM seedkit.snapshots WHERE name = %s;" % lit(name))[0])
            return sum(counts.values())

        psql_exec(db, "DELETE FROM seedkit.snapshots;")
        k = 60
        n = take(k, "fixture")
        k = max(1, round(k * 1000.0 / max(n, 1)))
        take(k, "fixture_keys", ", reset_keys => false")
        tables = self.closure_keys(db, "fixture_keys")
        self.export_copy(db, tables, "fixture")
        psql_exec(db, "DELETE FROM seedkit.snapshots;")
        n = take(k, "fixture")

        calls = self.args.reset_calls
        sk_sql = "SELECT count(*) FROM seedkit_restore();"
        # The floor empties the tables with TRUNCATE ... RESTART IDENTITY and
        # COPYs the same rows back.  (DELETE instead is faster for the first
        # calls but degrades: each call leaves dead versions of the same keys
        # that the next call's unique checks walk; median 69 ms, p95 228 ms
        # over 200 calls here.)
        stmts = ["TRUNCATE %s RESTART IDENTITY;" % ", ".join(t["table"] for t in tables)]
        for t in tables:
            stmts.append("COPY %s (%s) FROM %s;" % (t["table"], ", ".join(qi(c) for c in t["columns"]),
                                                    lit(t["file"])))
        floor_sql = "DO $$BEGIN %s END$$;" % " ".join(stmts)
        log("reset: fixture of %d rows (%d books), %d calls each" % (n, k, calls))

        def series(sql):
            s = Session(db)
            try:
                w = MemWatch(s.pid)
                for i in range(10):
                    s.run(sql)
                times = [s.run(sql)[1] for i in range(calls)]
                return times, w.stop()
            finally:
                s.close()
        try:
            sk, skmem = series(sk_sql)
        except SqlError as e:
            return self.add("reset (seedkit_restore())", status="error", note=first_line(e))
        fl, _ = series(floor_sql)
        return self.add("reset (seedkit_restore())", n, sk, fl, [skmem], TARGET["reset"],
                        kind="median_ms", median_ms=median(sk), p95_ms=p95(sk),
                        floor_p95_ms=p95(fl),
                        note="p95 %.2f ms (floor p95 %.2f); floor: TRUNCATE + COPY FROM" % (p95(sk), p95(fl)))

    # ------------------------------------------------------------------
    # 4, 5: anonymise and fakes

    def anon_db(self):
        db = "bench_anon"
        n = self.args.anon_rows
        tag = "anon %d" % n
        if self.fresh_db(db, tag):
            log("building %d customers in %s" % (n, db))
            psql_file(db, os.path.join(BENCH, "customers.sql"), {"rows": n})
            psql_exec(db, "CREATE EXTENSION seedkit;")
            self.tag_db(db, tag)
        return db

    def probe_db(self):
        """A database with just the extension, to see what it provides."""
        db = "bench_probe"
        if not getattr(self, "probed", False):
            psql_exec("postgres", "DROP DATABASE IF EXISTS %s;" % db)
            psql_exec("postgres", "CREATE DATABASE %s;" % db)
            psql_exec(db, "CREATE EXTENSION seedkit;")
            self.probed = True
        return db

    def anonymise(self):
        for sig in ("seedkit_anonymise", "seedkit_flag"):
            if not has_function(self.probe_db(), sig):
                return self.skip("anonymise 5 columns", "function %s not installed" % sig)
        db = self.anon_db()
        flags = [("first_name", "first_name", "{}"), ("last_name", "last_name", "{}"),
                 ("email", "email", "{}"), ("phone", "partial", '{"first": 3, "last": 2}'),
                 ("birth_date", "date_shift", '{"days": 180}')]
        try:
            psql_exec(db, "\n".join(
                "SELECT seedkit_flag('shop.customers', %s, %s, %s);" % (lit(c), lit(s), lit(o))
                for c, s, o in flags))
        except SqlError as e:
            return self.add("anonymise 5 columns", status="error", note="flag: " + first_line(e))
        reload = "SELECT bench_reload(); VACUUM ANALYZE shop.customers, floor.customers; CHECKPOINT;"
        sk_sql = "SELECT sum(rows) FROM seedkit_anonymise(ARRAY['shop.customers'::regclass]);"
        floor_sql = ("UPDATE floor.customers SET first_name = md5(first_name), "
                     "last_name = md5(last_name), email = md5(email), phone = md5(phone), "
                     "birth_date = birth_date + (get_byte(decode(md5(birth_date::text), 'hex'), 0) % 61 - 30);")
        runs = self.args.runs
        log("anonymise: %d customers, %d runs" % (self.args.anon_rows, runs))
        sk, fl, mem = [], [], []
        # No warm-up run: each run is a full pass over a million rows (and
        # 20 s or more on a loaded 2-core machine).
        try:
            for r in range(runs):
                psql_exec(db, reload)
                ms, o, m = measure(db, sk_sql)
                rows = int(o[0])
                ms2, _, _ = measure(db, floor_sql)
                sk.append(ms)
                mem.append(m)
                fl.append(ms2)
        except SqlError as e:
            return self.add("anonymise 5 columns", status="error", note=first_line(e))
        return self.add("anonymise 5 columns", rows, sk, fl, mem, TARGET["anonymise"],
                        note="floor: UPDATE ... md5()")

    # strategy, value expression over g (never a constant: the floor's md5
    # of a constant would be folded into one call), options
    FAKES = [
        ("first_name", "'Name ' || g", "{}"),
        ("last_name", "'Name ' || g", "{}"),
        ("full_name", "g::text", "{}"),
        ("email", "'user' || g || '@example.com'", "{}"),
        ("phone", "'+1-555-' || lpad(g::text, 7, '0')", "{}"),
        ("street_address", "g || ' Main Street'", "{}"),
        ("city", "'City ' || g", "{}"),
        ("postcode", "lpad(g::text, 5, '0')", "{}"),
        ("country", "'Country ' || g", "{}"),
        ("company", "'Company ' || g", "{}"),
        ("username", "'user' || g", "{}"),
        ("lorem", "'A fine book about things, number ' || g", "{}"),
        ("date_shift", "date '1950-01-01' + g % 20000", "{}"),
        ("number_noise", "(g % 10000 + 0.25)::numeric(9,2)", "{}"),
        ("hash", "g::text", "{}"),
        ("partial", "'+1-555-' || lpad(g::text, 7, '0')", "{}"),
        ("scramble", "'AB-' || g || ' ç'", "{}"),
        ("null", "g::text", "{}"),
        ("value", "g::text", '{"value": "x"}'),
        ("uuid", "g::text", "{}"),
        ("ipv4", "'10.0.0.0'::inet + g", "{}"),
        ("iban", "'DE8937040044' || lpad(g::text, 10, '0')", "{}"),
        ("credit_card", "'411111' || lpad(g::text, 10, '0')", "{}"),
    ]

    def fakes(self):
        if not has_function(self.probe_db(), "seedkit_fake"):
            return self.skip("fake", "function seedkit_fake not installed")
        db = self.anon_db()
        n = self.args.fake_rows
        runs = self.args.runs
        log("fake: %d strategies over %d values, %d runs" % (len(self.FAKES), n, runs))
        for strat, expr, opts in self.FAKES:
            if self.args.fakes and strat not in self.args.fakes.split(","):
                continue
            sk_sql = "SELECT count(seedkit_fake(%s, %s, %s)) FROM generate_series(1, %d) g;" % (
                lit(strat), expr, lit(opts), n)
            floor_sql = "SELECT count(md5((%s)::text)) FROM generate_series(1, %d) g;" % (expr, n)
            sk, fl, mem = [], [], []
            try:
                for r in range(runs + 1):
                    ms, _, m = measure(db, sk_sql)
                    ms2, _, _ = measure(db, floor_sql)
                    if r > 0:
                        sk.append(ms)
                        mem.append(m)
                        fl.append(ms2)
            except SqlError as e:
                self.add("fake %s" % strat, status="error", note=first_line(e))
                continue
            self.add("fake %s" % strat, n, sk, fl, mem, TARGET["fake"], note="floor: md5()")

    # ------------------------------------------------------------------
    # 6: scale

    def scale(self, main):
        scales = [10, 100] + ([1000] if self.args.scale_1000 else [])
        per = {self.args.scale: main}
        for s in scales:
            if s in per:
                continue
            runs = 1 if s >= 1000 else self.args.runs
            per[s] = self.snapshot_restore(s, runs, "scale %d" % s)
            self.drop_scale(s)
        base = per.get(10)
        for what in ("snapshot", "restore"):
            if not base or not base.get(what) or base[what]["status"] != "ok":
                continue
            b = base[what]
            for s in sorted(per):
                r = per[s].get(what) if per[s] else None
                if s == 10 or not r or r["status"] != "ok":
                    continue
                lin = r["per_row_us"] / b["per_row_us"]
                note = "%.2f us/row at scale %d vs %.2f at 10" % (r["per_row_us"], s, b["per_row_us"])
                self.add("scale %d/10 %s per row" % (s, what), r["rows"], target=TARGET["linear"],
                         kind="linearity", linearity=lin, note="%.2fx per row; %s" % (lin, note))
                if what == "snapshot":
                    growth = (r["peak_anon_kb"] - b["peak_anon_kb"]) / 1024.0 - \
                             (r["doc_bytes"] - b["doc_bytes"]) / 1048576.0
                    self.add("scale %d/10 snapshot memory" % s, r["rows"], target=TARGET["mem_growth"],
                             kind="mem_growth_mb", mem_growth_mb=growth,
                             note="private memory %.0f MB at scale %d vs %.0f at 10, document %.1f vs %.1f MB: "
                                  "%.0f MB growth beyond the document" % (
                                      r["peak_anon_kb"] / 1024.0, s, b["peak_anon_kb"] / 1024.0,
                                      r["doc_bytes"] / 1048576.0, b["doc_bytes"] / 1048576.0, growth))
        # Restore memory against its document, at every scale.
        for s in sorted(per):
            r = (per[s] or {}).get("restore")
            if not r or r["status"] != "ok":
                continue
            base_kb = self.baseline_kb()
            x = (r["peak_anon_kb"] - base_kb) * 1024.0 / r["doc_bytes"]
            self.add("scale %d restore memory" % s, r["rows"], target=TARGET["mem_doc"],
                     kind="mem_doc_ratio", mem_doc_ratio=x,
                     note="private memory %.1f MB above an idle backend's %.1f MB for a %.1f MB document: %.2fx" % (
                         (r["peak_anon_kb"] - base_kb) / 1024.0, base_kb / 1024.0,
                         r["doc_bytes"] / 1048576.0, x))

    def baseline_kb(self):
        """Private memory of a backend that ran SELECT 1 (median of 3)."""
        if not hasattr(self, "_baseline"):
            self._baseline = median([measure(self.probe_db(), "SELECT 1;")[2]["anon_kb"] for i in range(3)])
        return self._baseline

    def drop_scale(self, s):
        if self.args.keep:
            return
        for db in ("bench_s%d" % s, "bench_t%d" % s):
            psql_exec("postgres", "DROP DATABASE IF EXISTS %s;" % db)

    def big(self):
        """The > 1 GB proof: seedkit_snapshot_lines of every book at
        --big-scale, written by psql -At to a file, checked line by line."""
        op = "streaming snapshot > 1 GB"
        db = self.source_db(self.args.big_scale)
        if not has_function(db, "seedkit_snapshot_lines"):
            return self.skip(op, "function seedkit_snapshot_lines not installed")
        path = os.path.join(self.dir, "big.json")
        log("big: streaming every book at scale %d to %s" % (self.args.big_scale, path))
        s = Session(db)
        try:
            w = MemWatch(s.pid)
            try:
                s.q("\\o %s" % path)
                _, ms = s.run("SELECT l FROM seedkit_snapshot_lines('shop.books', "
                              "max_rows => 1000000000000) AS s(l);")
                s.q("\\o")
            finally:
                mem = w.stop()
        except SqlError as e:
            return self.add(op, status="error", note=first_line(e))
        finally:
            s.close()
        size = os.path.getsize(path)
        rows, bad, first, last = 0, 0, None, None
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if first is None:
                    first = line
                last = line
                if line.startswith("        ["):
                    rows += 1
                    try:
                        json.loads(line.rstrip(","))
                    except ValueError:
                        bad += 1
        os.unlink(path)
        ok = size > 2 ** 30 and first == "{" and last == "}" and bad == 0
        note = "document %.2f GB, %d row lines%s" % (size / 2.0 ** 30, rows,
                                                     "" if ok else "; CHECK FAILED (size, braces or %d bad rows)" % bad)
        return self.add(op, rows, [ms], None, [mem], note=note, doc_bytes=size, big_ok=ok,
                        status="ok" if ok else "error")

    # ------------------------------------------------------------------

    def main(self):
        ops = set(self.args.only.split(",")) if self.args.only else \
            {"snapshot", "small", "restore", "reset", "anonymise", "fake", "scale"}
        print("seedkit benchmarks, scale %d (%d books), %d runs after a warm-up, %s" % (
            self.args.scale, self.args.scale * 1000, self.args.runs, machine()), flush=True)
        print(self.HEADER, flush=True)
        main = None
        if ops & {"snapshot", "restore", "scale"}:
            main = self.guard("scale %d snapshot" % self.args.scale, self.snapshot_restore,
                              self.args.scale, self.args.runs, "scale %d" % self.args.scale,
                              bool(ops & {"restore", "scale"}))
        if "small" in ops:
            self.guard("scale %d 3 books snapshot" % self.args.scale, self.snapshot_restore,
                       self.args.scale, max(self.args.runs, 7), "scale %d 3 books" % self.args.scale,
                       False, 3)
        if "reset" in ops:
            self.guard("reset (seedkit_restore())", self.reset)
        if "anonymise" in ops:
            self.guard("anonymise 5 columns", self.anonymise)
        if "fake" in ops:
            self.guard("fake", self.fakes)
        if "scale" in ops and main:
            self.guard("scale", self.scale, main)
        if self.args.big:
            self.guard("streaming snapshot > 1 GB", self.big)
        path = self.write_results()
        self.summary(path)

    def guard(self, op, fn, *args):
        """Run one operation; an unexpected SQL error becomes its error line."""
        try:
            return fn(*args)
        except SqlError as e:
            self.add(op, status="error", note=first_line(e))
            return None

    def summary(self, path):
        print()
        print(self.HEADER)
        for r in self.results:
            if r["status"] == "ok":
                print(self.fmt(r))
        for r in self.results:
            if r["status"] != "ok":
                print("%-28s %s: %s" % (r["op"], r["status"], r["note"]))
        met = [r for r in self.results if r.get("met") is True]
        missed = [r for r in self.results if r.get("met") is False]
        print("\n%d targets met, %d not met; %d skipped or failed. Results: %s" % (
            len(met), len(missed), len([r for r in self.results if r["status"] != "ok"]),
            os.path.relpath(path, TOP)))


def qi(name):
    if re.match(r"^[a-z_][a-z0-9_$]*$", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def floortab(qname):
    return re.sub(r"^shop\.", "floor.", qname)


def first_line(e):
    s = str(e).strip().splitlines()
    return " ".join(x.strip() for x in s[:2]) if s else "error"


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return "%s, %d cores, %.0f GB RAM, %s %s" % (cpu or platform.processor(), os.cpu_count(),
                                                mem, platform.system(), platform.release())


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="test/bench/run", description=__doc__)
    ap.add_argument("--scale", type=int, default=100, help="thousands of books (default 100)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs after one warm-up (default 5)")
    ap.add_argument("--scale-1000", action="store_true", help="add scale 1000 to the scale test (one run)")
    ap.add_argument("--big", action="store_true", help="the > 1 GB streaming proof (not for CI)")
    ap.add_argument("--only", help="comma list of: snapshot,small,restore,reset,anonymise,fake,scale")
    ap.add_argument("--fakes", help="comma list of fake strategies (default all)")
    ap.add_argument("--fake-rows", type=int, default=200000, help="values per fake strategy (default 200000)")
    ap.add_argument("--anon-rows", type=int, default=1000000, help="customers anonymised (default 1000000)")
    ap.add_argument("--reset-calls", type=int, default=200, help="timed seedkit_restore() calls (default 200)")
    ap.add_argument("--big-scale", type=int, default=1500, help="scale of the --big proof (default 1500)")
    ap.add_argument("--keep", action="store_true", help="keep the extra scale databases")
    return ap.parse_args(argv)


if __name__ == "__main__":
    Bench(parse_args(sys.argv[1:])).main()
