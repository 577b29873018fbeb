"""Schema versioning: ``orto init`` upgrades to head; every other command refuses an old schema."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from orto.db import Database, sqlite_path
from orto.driver import HEAD
from orto.errors import SchemaOutdated
from orto.files import PRIVATE_FILE, narrow

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = str(Path(__file__).parent / "migrations")


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def head_revisions(db: Database) -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config(db)).get_heads())


def current_revisions(db: Database) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def at_head(db: Database) -> bool:
    try:
        with db.engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))] == [HEAD]
    except Exception:  # no version table yet, or not ours: let Alembic say precisely what is wrong
        return False


def is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def ensure_current(db: Database) -> None:
    """Raise SchemaOutdated unless the database is exactly at this version's head."""
    if at_head(db):
        return
    from alembic.script import ScriptDirectory

    current = current_revisions(db)
    heads = head_revisions(db)
    if current == heads:
        return
    where = db.display_url
    if not current:
        raise SchemaOutdated(f"database {where} has no Orto schema yet: run 'orto init'")
    script = ScriptDirectory.from_config(alembic_config(db))
    for rev in current - heads:
        try:
            known = script.get_revision(rev) is not None
        except Exception:  # alembic raises for ids it has never seen
            known = False
        if not known:
            raise SchemaOutdated(
                f"database {where} is at revision {rev}, unknown to this Orto: upgrade Orto or check the URL"
            )
    raise SchemaOutdated(f"database {where} has an older schema: run 'orto init' to upgrade it")


def backup_sqlite(db: Database) -> Path | None:
    """Copy an SQLite file (through SQLite's backup API, so WAL content is included)."""
    path = sqlite_path(db.engine.url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    import sqlite3

    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        narrow(target, PRIVATE_FILE)  # still empty: the copy of the PIN hashes lands in a private file
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade(db: Database) -> tuple[bool, Path | None]:
    """Bring the schema to head. Returns (changed, backup path). Idempotent."""
    from alembic import command

    if current_revisions(db) == head_revisions(db):
        return False, None
    backup = None if is_empty(db) else backup_sqlite(db)
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
    return True, backup
