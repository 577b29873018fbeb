"""PostgreSQL's pool: a connection reused at once is not pinged; one that sat idle is, and a
dead one is replaced before the transaction, so a till never sees the server's restart."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

import orto.db
from orto.db import Database


@pytest.fixture
def pg(db: Database) -> Database:
    if db.dialect != "postgresql":
        pytest.skip("the pool's ping is PostgreSQL's (an SQLite file has no server to lose)")
    return db


def _backend(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_cut_while_idle_is_replaced_before_the_next_transaction(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from tests.engines import PG_URL

    first = _backend(pg)
    server = make_url(PG_URL)
    with psycopg.connect(
        host=server.host, port=server.port or 5432, user=server.username, dbname=server.database, autocommit=True
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    monkeypatch.setattr(orto.db, "PG_PING_AFTER_IDLE_S", 0.0)  # as if it had sat idle a while
    assert _backend(pg) != first  # no error: the dead connection was pinged and replaced


def test_a_connection_reused_at_once_is_not_pinged(pg: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    pings: list[object] = []
    ping = pg.engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(pg.engine.dialect, "do_ping", counted)
    _backend(pg)  # the connection may have sat idle since the last test: pinged or not, used now
    pings.clear()
    for _ in range(5):
        _backend(pg)
    assert pings == []
    monkeypatch.setattr(orto.db, "PG_PING_AFTER_IDLE_S", 0.0)
    _backend(pg)
    assert len(pings) == 1


def test_a_till_keeps_few_connections(pg: Database) -> None:
    pool = pg.engine.pool
    assert (pool.size(), pool._max_overflow) == (2, 3)  # type: ignore[attr-defined]
