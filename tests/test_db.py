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
