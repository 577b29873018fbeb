"""The migrations build, from empty, exactly the schema the models describe, on both engines."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from orto.db import Database
from orto.errors import SchemaOutdated
from orto.models import Base
from orto.schema import current_revisions, ensure_current, head_revisions, upgrade


def test_upgrade_from_empty_matches_models(db: Database) -> None:
    # the fixture's database was built by running every migration from an empty one
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert set(Base.metadata.tables) <= tables
    assert current_revisions(db) == head_revisions(db)


def test_upgrade_is_idempotent(db: Database) -> None:
    changed, backup = upgrade(db)
    assert (changed, backup) == (False, None)
    ensure_current(db)


def test_an_older_schema_is_refused_with_the_way_out(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with pytest.raises(SchemaOutdated, match="orto init"):
        ensure_current(db)
    upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(SchemaOutdated, match="unknown to this Orto"):
        ensure_current(db)


def test_upgrading_an_existing_sqlite_file_backs_it_up_first(tmp_path) -> None:
    path = tmp_path / "shop.sqlite3"
    import sqlite3

    with sqlite3.connect(path) as conn:  # a file with data but no Orto schema record
        conn.execute("CREATE TABLE notes (x TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    db = Database(f"sqlite:///{path}")
    changed, backup = upgrade(db)
    assert changed and backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT x FROM notes").fetchall() == [("keep me",)]
    ensure_current(db)


def test_the_quick_head_check_knows_the_newest_migration(db: Database) -> None:
    from orto.schema import HEAD, head_revisions

    assert head_revisions(db) == {HEAD}
