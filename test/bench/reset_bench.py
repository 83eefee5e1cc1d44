#!/usr/bin/env python3
"""test/bench/reset_bench.py: the per-test reset against its floor (issue 12).

A stored fixture of about 1,000 rows over the bookstore's 8 tables is put
back with seedkit_restore(name, 'replace') after each of three kinds of
test, CALLS times each, from one connection (as a test suite's setup does):

  unchanged   the test changed nothing
  leaf+update the test inserted one review and updated one book
  every table the test inserted or updated rows in every covered table

The floor is the same rows put back by TRUNCATE ... RESTART IDENTITY of the
covered tables and COPY FROM files of the fixture's rows, into a copy of
the schema without seedkit ("floor"), in the same run.  The test's own
statements are not timed.  Each call is timed twice: in the server
(clock_timestamp() around the statement, commit excluded) and by the client
(round trip and commit included).  Printed per workload: median and p95 per
call, the ratio of the medians to the floor's, and the flatness check: the
median of the last 200 calls over the median of the first 200.

Needs PGHOST/PGPORT/PGUSER (a superuser: COPY to and from server files) and
a directory the server can write (SK_BENCH_DIR).  --calls N (default 2000).
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

import psycopg2

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DB = "bench_reset"
TARGETS = {"unchanged": 0.02, "leaf+update": 0.1, "every table": 1.0}
FLAT = 1.2


def log(msg):
    print("== " + msg, file=sys.stderr, flush=True)


def connect(db):
    c = psycopg2.connect(dbname=db)
    c.autocommit = True
    return c


def run(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall() if cur.description else []


def bookstore(conn, scale, schema):
    text = open(os.path.join(TOP, "test", "lib", "bookstore.sql")).read()
    text = text.replace(":scale", str(scale))
    text = "\n".join(l for l in text.splitlines() if not l.startswith("\\"))
    if schema != "shop":
        text = re.sub(r"\bshop\b", schema, text)
    run(conn, text)
    run(conn, "RESET search_path")


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--only", help="workloads to run, comma separated (the floor always runs)")
    ap.add_argument("--windows", action="store_true",
                    help="also print the server median of every 200 calls")
    args = ap.parse_args()
    calls = args.calls
    window = max(1, min(200, calls // 10))
    bdir = os.environ.get("SK_BENCH_DIR", "/tmp")

    admin = connect("postgres")
    run(admin, "DROP DATABASE IF EXISTS %s" % DB)
    run(admin, "CREATE DATABASE %s" % DB)
    admin.close()
    conn = connect(DB)
    log("bookstore scale 1 and an empty copy of its schema (floor)")
    bookstore(conn, 1, "shop")
    bookstore(conn, 0, "floor")
    run(conn, "CREATE EXTENSION seedkit; CREATE SCHEMA bench")

    # about 1,000 rows: the number of books from a first try
    def take(k):
        run(conn, "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= %d', name => 'fixture') IS NULL" % k)
        return sum(json.loads(json.dumps(run(conn, "SELECT row_counts FROM seedkit.snapshots WHERE name = 'fixture'")[0][0])).values())
    n = take(60)
    k = max(1, round(60 * 1000.0 / max(n, 1)))
    n = take(k)
    tables = [r[0] for r in run(conn, "SELECT table_name::text FROM seedkit_restore('fixture', 'replace')")]
    log("fixture: %d rows (%d books) over %d tables; %d calls per workload" % (n, k, len(tables), calls))

    # the floor: the fixture's rows as COPY files, put back into floor.*
    copies = []
    for i, t in enumerate(tables):
        f = os.path.join(bdir, "reset_fixture_%d.copy" % i)
        run(conn, "COPY %s TO '%s'" % (t, f))
        copies.append("COPY %s FROM '%s';" % (re.sub(r"^shop\.", "floor.", t), f))
    floor_tables = ", ".join(re.sub(r"^shop\.", "floor.", t) for t in tables)
    run(conn, """CREATE FUNCTION bench.floor() RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN EXECUTE 'TRUNCATE %s RESTART IDENTITY'; %s END $f$""" % (
        floor_tables, " ".join("EXECUTE %s;" % psycopg2.extensions.QuotedString(c).getquoted().decode()
                               for c in copies)))
    run(conn, """CREATE FUNCTION bench.timed(sql text) RETURNS float8 LANGUAGE plpgsql AS $f$
        DECLARE t0 timestamptz := clock_timestamp();
        BEGIN EXECUTE sql; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END $f$""")

    reset = "SELECT count(*) FROM seedkit_restore('fixture', 'replace')"
    # the tests: untimed statements before each timed reset
    every = ";".join([
        "INSERT INTO shop.reviews (book_id, voter_name, num_stars) SELECT min(book_id), 'bench', 3 FROM shop.books",
        "UPDATE shop.books SET title = title || '!' WHERE book_id = (SELECT min(book_id) FROM shop.books)",
        "UPDATE shop.authors SET name = name || '!' WHERE author_id = (SELECT min(author_id) FROM shop.authors)",
        "UPDATE shop.book_authors SET ord = ord + 1 WHERE (book_id, author_id) = (SELECT book_id, author_id FROM shop.book_authors ORDER BY 1, 2 LIMIT 1)",
        "UPDATE shop.price_offers SET promotional_text = 'bench' WHERE price_offer_id = (SELECT min(price_offer_id) FROM shop.price_offers)",
        "UPDATE shop.customers SET city = 'bench' WHERE customer_id = (SELECT min(customer_id) FROM shop.customers)",
        "UPDATE shop.orders SET placed_at = placed_at + interval '1 day' WHERE order_id = (SELECT min(order_id) FROM shop.orders)",
        "UPDATE shop.line_items SET qty = qty + 1 WHERE (order_id, line_no) = (SELECT order_id, line_no FROM shop.line_items ORDER BY 1, 2 LIMIT 1)",
        "DELETE FROM shop.reviews WHERE review_id = (SELECT max(review_id) FROM shop.reviews WHERE voter_name IS DISTINCT FROM 'bench')",
    ])
    workloads = [
        ("unchanged", None),
        ("leaf+update", "INSERT INTO shop.reviews (book_id, voter_name, num_stars) SELECT min(book_id), 'bench', 3 FROM shop.books;"
                        "UPDATE shop.books SET title = title || '!' WHERE book_id = (SELECT min(book_id) FROM shop.books)"),
        ("every table", every),
    ]
    # the fixture's rows, to check every reset's result at the end
    fingerprint = "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (%s) q" % " UNION ALL ".join(
        "SELECT '%s' || t::text AS x FROM %s t" % (t, t) for t in tables)
    want = run(conn, fingerprint)[0][0]

    def series(test, sql):
        server, client = [], []
        for i in range(10 + calls):
            if test:
                run(conn, test)
            t0 = time.perf_counter()
            ms = run(conn, "SELECT bench.timed(%s)" % psycopg2.extensions.QuotedString(sql).getquoted().decode())[0][0]
            t1 = time.perf_counter()
            if i >= 10:
                server.append(ms)
                client.append((t1 - t0) * 1000.0)
        return server, client

    results = []
    floor_s, floor_c = series(None, "SELECT bench.floor()")
    results.append(("floor (TRUNCATE + COPY)", floor_s, floor_c))
    for name, test in workloads:
        if args.only and name not in args.only.split(","):
            continue
        s, c = series(test, reset)
        got = run(conn, fingerprint)[0][0]
        if got != want:
            print("%s: the tables do not hold the fixture after the resets" % name)
            sys.exit(1)
        results.append((name, s, c))

    fs, fc = statistics.median(floor_s), statistics.median(floor_c)
    print()
    print("per-test reset of a %d-row fixture over %d tables, %d calls each (ms per call;"
          " server: in the server, commit excluded; client: round trip; ratio: median / floor median;"
          " flat: server median of the last %d calls / first %d, flat c: the same for the client)"
          % (n, len(tables), calls, window, window))
    print("%-24s %9s %9s %8s %8s %9s %9s %8s %6s %6s" % ("workload", "server", "p95", "ratio", "target",
                                                         "client", "p95", "ratio", "flat", "flat c"))
    failed = 0
    ran = 0
    for name, s, c in results:
        ms, mc = statistics.median(s), statistics.median(c)
        flat = statistics.median(s[-window:]) / statistics.median(s[:window])
        flat_c = statistics.median(c[-window:]) / statistics.median(c[:window])
        target = TARGETS.get(name)
        met = target is None or (ms / fs <= target and flat <= FLAT)
        failed += 0 if met else 1
        ran += 0 if target is None else 1
        print("%-24s %9.3f %9.3f %7.3fx %8s %9.3f %9.3f %7.3fx %5.2fx %5.2fx%s" % (
            name, ms, p95(s), ms / fs, ("<= %.2fx" % target) if target else "",
            mc, p95(c), mc / fc, flat, flat_c, "" if met else "  (target missed)"))
        if args.windows:
            print("    server medians per %d calls: %s" % (window, " ".join(
                "%.3f" % statistics.median(s[i:i + window]) for i in range(0, len(s), window))))
    print("%d passed, %d failed" % (ran - failed, failed))


if __name__ == "__main__":
    main()
