# test/clients/python_workers/test_workers.py: four workers, each writing
# rows tagged with its id into its own database (committed, some through a
# second connection as an application would), and asserting that it never
# sees another worker's rows nor its own from an earlier test.
import time

import psycopg2
import pytest


def one(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


@pytest.mark.parametrize("case", range(24))
def test_worker_sees_only_its_fixture(bookstore, worker_id, worker_db, case):
    db = bookstore
    assert one(db, "SELECT current_database()") == worker_db
    # the reset left the fixture: no tagged row, the fixture's counts
    assert one(db, "SELECT count(*) FROM shop.reviews WHERE voter_name LIKE 'worker:%%'") == 0
    reviews = one(db, "SELECT count(*) FROM shop.reviews")
    title = one(db, "SELECT title FROM shop.books WHERE book_id = 1")
    assert not title.startswith("worker:")

    tag = f"worker:{worker_id}:{case}"
    if case % 2:
        # written and committed by another connection (the application's)
        app = psycopg2.connect(dbname=worker_db)
        app.autocommit = True
        writer = app
    else:
        writer = db
    with writer.cursor() as cur:
        cur.execute("INSERT INTO shop.reviews (book_id, voter_name, num_stars) VALUES (1, %s, 5)", (tag,))
        cur.execute("UPDATE shop.books SET title = %s WHERE book_id = 1", (tag,))
    if writer is not db:
        writer.close()
    time.sleep(0.02)  # let the other workers write meanwhile

    assert one(db, "SELECT count(*) FROM shop.reviews") == reviews + 1
    assert one(db, "SELECT count(*) FROM shop.reviews WHERE voter_name LIKE 'worker:%%'"
                   " AND voter_name <> %s", (tag,)) == 0
    assert one(db, "SELECT title FROM shop.books WHERE book_id = 1") == tag
