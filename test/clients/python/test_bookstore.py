# test/clients/python/test_bookstore.py: tests that change the bookstore and
# rely on the `bookstore` fixture (conftest.py) to put it back before the next.
import json

import psycopg2
import pytest

from conftest import DOC, EXPECTED, FIXTURE


def rows_of(table):
    return next(t for t in DOC["tables"] if t["table"] == table)


def counts(conn):
    out = {}
    with conn.cursor() as cur:
        for table in EXPECTED:
            cur.execute(f"SELECT count(*) FROM {table}")
            out[table] = cur.fetchone()[0]
    return out


def one(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()


def test_restore_reports_every_table(bookstore):
    with bookstore.cursor() as cur:
        cur.execute("SELECT table_name::text, rows FROM seedkit_restore() ORDER BY 1")
        assert dict(cur.fetchall()) == EXPECTED


def test_every_table_holds_the_fixture_rows(bookstore):
    assert counts(bookstore) == EXPECTED


@pytest.mark.parametrize("table,key", [
    ("shop.books", "book_id"), ("shop.authors", "author_id"),
    ("shop.customers", "customer_id"), ("shop.orders", "order_id"),
    ("shop.reviews", "review_id"), ("shop.price_offers", "price_offer_id"),
])
def test_keys_are_1_to_n_after_replace(bookstore, table, key):
    got = one(bookstore, f"SELECT min({key}), max({key}), count(DISTINCT {key}) FROM {table}")
    assert got == (1, EXPECTED[table], EXPECTED[table])


def test_values_and_references_are_the_fixtures(bookstore):
    with bookstore.cursor() as cur:
        cur.execute("SELECT author_id, name, email FROM shop.authors ORDER BY author_id")
        assert [list(r) for r in cur.fetchall()] == rows_of("shop.authors")["rows"]
    books = rows_of("shop.books")
    first = dict(zip(books["columns"], books["rows"][0]))
    got = one(bookstore, "SELECT title, price::text, published_on::text FROM shop.books WHERE book_id = 1")
    assert got == (first["title"], first["price"], first["published_on"])
    ba = rows_of("shop.book_authors")
    want = sorted(r[ba["columns"].index("author_id")] for r in ba["rows"]
                  if r[ba["columns"].index("book_id")] == 1)
    got = one(bookstore, "SELECT array_agg(author_id ORDER BY author_id) FROM shop.book_authors WHERE book_id = 1")
    assert got[0] == want


def test_deletes_rows_1(bookstore):
    assert counts(bookstore) == EXPECTED
    with bookstore.cursor() as cur:
        cur.execute("DELETE FROM shop.line_items")
        cur.execute("DELETE FROM shop.books WHERE book_id <= 10")
    c = counts(bookstore)
    assert c["shop.line_items"] == 0
    assert c["shop.books"] == EXPECTED["shop.books"] - 10
    assert c["shop.reviews"] < EXPECTED["shop.reviews"]


def test_deletes_rows_2_the_rows_are_back(bookstore):
    assert counts(bookstore) == EXPECTED


def test_updates_rows_1(bookstore):
    with bookstore.cursor() as cur:
        cur.execute("UPDATE shop.authors SET name = 'changed', email = 'changed' || author_id || '@example.net'")
        assert cur.rowcount == EXPECTED["shop.authors"]
        cur.execute("UPDATE shop.books SET price = 0")


def test_updates_rows_2_the_values_are_back(bookstore):
    with bookstore.cursor() as cur:
        cur.execute("SELECT author_id, name, email FROM shop.authors ORDER BY author_id")
        assert [list(r) for r in cur.fetchall()] == rows_of("shop.authors")["rows"]
    assert one(bookstore, "SELECT count(*) FROM shop.books WHERE price = 0") == (0,)


def test_plain_insert_takes_the_next_key_1(bookstore):
    n = EXPECTED["shop.books"]
    assert one(bookstore, "INSERT INTO shop.books (title, price) VALUES ('New book', 12.50) RETURNING book_id") == (n + 1,)
    assert one(bookstore, "INSERT INTO shop.reviews (book_id, voter_name, num_stars) VALUES (%s, 'me', 5) RETURNING review_id",
               (n + 1,)) == (EXPECTED["shop.reviews"] + 1,)
    cust = one(bookstore, "INSERT INTO shop.customers (first_name, email) VALUES ('New', 'new@example.com') RETURNING customer_id")
    assert cust == (EXPECTED["shop.customers"] + 1,)
    with bookstore.cursor() as cur:
        cur.execute("INSERT INTO shop.orders (customer_id, placed_at) VALUES (%s, now())", cust)


def test_plain_insert_takes_the_next_key_2_the_same_key_again(bookstore):
    n = EXPECTED["shop.books"]
    assert one(bookstore, "SELECT count(*) FROM shop.books WHERE book_id > %s", (n,)) == (0,)
    assert one(bookstore, "INSERT INTO shop.books (title, price) VALUES ('New book', 12.50) RETURNING book_id") == (n + 1,)


def test_document_as_parameter_appends_with_fresh_keys(bookstore):
    # a second copy: fresh surrogate keys; the unique emails overridden
    overrides = {"shop.authors": {"email": None}, "shop.customers": {"email": None}}
    with bookstore.cursor() as cur:
        cur.execute("SELECT table_name::text, rows FROM seedkit_restore(%s::json, mode => 'append',"
                    " overrides => %s::jsonb) ORDER BY 1", (FIXTURE, json.dumps(overrides)))
        assert dict(cur.fetchall()) == EXPECTED
    assert counts(bookstore) == {t: 2 * n for t, n in EXPECTED.items()}
    mixed = one(bookstore, "SELECT count(*) FROM shop.book_authors WHERE (book_id > %s) <> (author_id > %s)",
                (EXPECTED["shop.books"], EXPECTED["shop.authors"]))
    assert mixed == (0,)
    assert one(bookstore, "SELECT count(*) FROM shop.customers WHERE customer_id > %s AND email IS NOT NULL",
               (EXPECTED["shop.customers"],)) == (0,)


def test_another_connection_sees_the_restored_rows(bookstore):
    other = psycopg2.connect("")
    try:
        assert counts(other) == EXPECTED
    finally:
        other.close()
