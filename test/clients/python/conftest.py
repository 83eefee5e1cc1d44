# test/clients/python/conftest.py: seedkit_restore() as a pytest fixture,
# through psycopg2.
#
# `db` (session scope) connects and loads the fixture document once with
# seedkit_load(); `bookstore` (function scope, autouse) puts it back with
# seedkit_restore() before every test, so each test starts from the same rows
# with the same keys. Run by test/clients/run, which creates the database
# (the bookstore schema, empty, and CREATE EXTENSION seedkit) and sets PGHOST,
# PGPORT, PGUSER (an ordinary role owning the tables) and PGDATABASE.
import json
import pathlib
import statistics
import time

import psycopg2
import pytest

FIXTURE_PATH = pathlib.Path(__file__).parent.parent / "fixtures" / "bookstore.json"
FIXTURE = FIXTURE_PATH.read_text(encoding="utf-8")
DOC = json.loads(FIXTURE)
EXPECTED = {t["table"]: len(t["rows"]) for t in DOC["tables"]}

setup_ms = []


@pytest.fixture(scope="session")
def db():
    conn = psycopg2.connect("")  # libpq's PG* environment variables
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT seedkit_load(%s::json)", (FIXTURE,))
        assert cur.fetchone()[0] == "bookstore"
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def bookstore(db):
    """The pattern: one call puts every stored snapshot back."""
    t0 = time.perf_counter()
    with db.cursor() as cur:
        cur.execute("SELECT seedkit_restore()")
    setup_ms.append((time.perf_counter() - t0) * 1000)
    return db


def pytest_terminal_summary(terminalreporter):
    if setup_ms:
        terminalreporter.write_line(
            f"setup: seedkit_restore() median {statistics.median_low(setup_ms):.1f} ms "
            f"over {len(setup_ms)} tests (fixture {sum(EXPECTED.values())} rows "
            f"in {len(EXPECTED)} tables)")
