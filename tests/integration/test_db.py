"""The database layer: SQLite settings, BEGIN IMMEDIATE, and clear messages for bad URLs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from orto.db import Database, mask
from orto.errors import DatabaseUnavailable


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_writes_begin_immediate_and_reads_do_not(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    statements: list[str] = []
    from sqlalchemy import event

    @event.listens_for(db.engine, "before_cursor_execute")
    def _log(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    # BEGIN is emitted through exec_driver_sql, which passes before_cursor_execute too
    with db.write() as s:
        s.execute(text("SELECT 1"))
    with db.read() as s:
        s.execute(text("SELECT 1"))
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("BEGIN") == 1


def test_a_write_that_fails_leaves_nothing(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with db.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    with pytest.raises(RuntimeError), db.write() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        raise RuntimeError("printer on fire")
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"shopping list: tomatoes\n")
    with pytest.raises(DatabaseUnavailable, match="not an SQLite database"):
        Database(f"sqlite:///{path}")
    assert path.read_bytes() == b"shopping list: tomatoes\n"


def test_unreachable_postgres_names_the_url_with_password_masked() -> None:
    db = Database("postgresql+psycopg://orto:s3cret@127.0.0.1:1/orto")
    with pytest.raises(DatabaseUnavailable) as err:
        db.ping()
    message = str(err.value)
    assert "s3cret" not in message and "***" in message and "127.0.0.1:1" in message
    assert "\n" not in message


def test_bad_urls_are_named() -> None:
    with pytest.raises(DatabaseUnavailable, match="not a valid URL"):
        Database("this is not a url")
    with pytest.raises(DatabaseUnavailable, match="only sqlite and postgresql"):
        Database("mysql://root@localhost/x")
    assert mask("postgresql://u:p@h/d") == "postgresql://u:***@h/d"


def _synchronous_at_begin(db: Database) -> list[int]:
    """The ``synchronous`` setting each write transaction ran with (read from the connection at BEGIN)."""
    from sqlalchemy import event

    seen: list[int] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _at_begin(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement == "BEGIN IMMEDIATE":
            seen.append(cursor.connection.execute("PRAGMA synchronous").fetchone()[0])

    return seen


def test_cart_writes_are_not_synced_one_by_one_and_the_others_are(tmp_path) -> None:
    """WAL with synchronous=NORMAL (1) for a cart's writes, FULL (2) for every other write, on the
    same pooled connection one after the other; what is committed either way is there after."""
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}", pool_size=1, max_overflow=0)
    seen = _synchronous_at_begin(db)
    with db.write() as s:
        s.execute(text("CREATE TABLE t (n INTEGER)"))
    for durable in (False, False, True, False, True):
        with db.write(durable=durable) as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
    assert seen == [2, 1, 1, 2, 1, 2]
    db.dispose()
    again = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with again.read() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 5
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # a fresh connection starts FULL


def test_the_scans_of_a_sale_are_relaxed_and_its_payment_is_synced(tmp_path) -> None:
    from orto.models import PaymentMethod
    from orto.schema import upgrade
    from pos import selling
    from pos.selling import PaymentInput
    from tests.shop import build_shop

    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    upgrade(db)
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    seen = _synchronous_at_begin(db)
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    sale = selling.add_product(db, sale.id, shop.cashier, shop.jam)
    assert seen == [1, 1, 1]  # start, scan, product chosen: the open cart
    line = sale.lines[0].id
    selling.set_quantity(db, sale.id, shop.cashier, line, 3)  # audited: synced
    assert seen[-1] == 2
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 100_000)])
    assert seen[-1] == 2  # the completed sale: synced, and with it every scan before it
    with db.read() as s:
        row = s.execute(text("SELECT status FROM sales WHERE id = :id"), {"id": sale.id}).one()
        lines = s.execute(text("SELECT quantity FROM sale_lines WHERE sale_id = :id"), {"id": sale.id}).all()
    assert row.status == "completed" and [q for (q,) in lines] == [3]  # the jam twice, then 3
    db.dispose()
