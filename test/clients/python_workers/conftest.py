# test/clients/python_workers/conftest.py: parallel test workers (issue 12),
# pytest-xdist with one database per worker.
#
# One template database holds the schema and the stored fixtures (loaded
# once with seedkit_load); each worker creates its own copy with CREATE
# DATABASE ... TEMPLATE and resets it with seedkit_restore() before every
# test, so workers never share a row.  Run by test/clients/run with
# `pytest -n 4`; PG* variables name the cluster and a role with CREATEDB,
# SEEDKIT_TEMPLATE_DB the template.
import os
import statistics
import time

import psycopg2
import pytest

TEMPLATE = os.environ.get("SEEDKIT_TEMPLATE_DB", "seedkit_clients_template")
setup_ms = []


@pytest.fixture(scope="session")
def worker_db(worker_id):
    """The name of this worker's database ("gw0"... under xdist)."""
    return f"{TEMPLATE}_py_{worker_id}"


@pytest.fixture(scope="session")
def db(worker_db):
    """This worker's own copy of the template, dropped at the end."""
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{worker_db}"')
        cur.execute(f'CREATE DATABASE "{worker_db}" TEMPLATE "{TEMPLATE}"')
    conn = psycopg2.connect(dbname=worker_db)
    conn.autocommit = True
    yield conn
    conn.close()
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE "{worker_db}"')
    admin.close()
    report = os.environ.get("SEEDKIT_SETUP_REPORT")
    if report and setup_ms:
        with open(report, "a", encoding="utf-8") as f:
            f.write(f"setup: {worker_db}: seedkit_restore() first {setup_ms[0]:.1f} ms, "
                    f"then median {statistics.median_low(setup_ms[1:] or setup_ms):.2f} ms "
                    f"over {len(setup_ms)} tests\n")


@pytest.fixture(autouse=True)
def bookstore(db):
    """The pattern: each worker resets its own database before each test."""
    t0 = time.perf_counter()
    with db.cursor() as cur:
        cur.execute("SELECT seedkit_restore()")
    setup_ms.append((time.perf_counter() - t0) * 1000)
    return db
