"""Which database engines the suite runs on, and fresh databases for each test.

ORTO_TEST_ENGINES   comma list, default "sqlite,postgres"
ORTO_TEST_PG_URL    server to create test databases on, default postgresql+psycopg://postgres@127.0.0.1:5432/test
ORTO_REQUIRE_POSTGRES=1  fail (instead of skip) when PostgreSQL cannot be reached (CI sets it)
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from orto.db import Database
from orto.models import Base
from orto.schema import upgrade

ENGINES = [e.strip() for e in os.environ.get("ORTO_TEST_ENGINES", "sqlite,postgres").split(",") if e.strip()]
PG_URL = os.environ.get("ORTO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("ORTO_REQUIRE_POSTGRES") == "1"


def postgres_problem() -> str | None:
    """None when the test server answers, else why not (shown as the skip reason)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    url = make_url(PG_URL)
    try:
        with psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.database or "postgres",
            connect_timeout=3,
        ):
            return None
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL not reachable at {url.render_as_string(hide_password=True)}: {first}"


class SqliteTemplate:
    """A migrated SQLite file built once; each test gets its own copy."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        db = Database(f"sqlite:///{self.path}")
        upgrade(db)
        db.dispose()

    def fresh(self, folder: Path) -> Database:
        target = folder / "orto.sqlite3"
        shutil.copyfile(self.path, target)
        return Database(f"sqlite:///{target}")


class PostgresTemplate:
    """One migrated database per test session; each test starts from empty tables."""

    def __init__(self) -> None:
        import psycopg

        server = make_url(PG_URL)
        self._admin = dict(
            host=server.host,
            port=server.port or 5432,
            user=server.username,
            password=server.password,
            dbname=server.database or "postgres",
        )
        self.name = f"orto_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(**self._admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = server.set(drivername="postgresql+psycopg", database=self.name).render_as_string(hide_password=False)
        self.db = Database(self.url)
        upgrade(self.db)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        self._truncate = text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")

    def fresh(self) -> Database:
        with self.db.engine.begin() as conn:
            conn.execute(self._truncate)
        return self.db

    def drop(self) -> None:
        import psycopg

        self.db.dispose()
        with psycopg.connect(**self._admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
