"""What the till's login needs, read through the database driver alone, before SQLAlchemy loads.

Importing SQLAlchemy, our mapped classes and the selling code takes most of a second on a till's
PC, and the login screen needs only three small answers: is the schema current, which counter is
this, who may log in. They are read here with sqlite3 or psycopg and plain SQL, so the login
shows at once and the rest loads while the cashier types the PIN (``pos.tui.app``).

This is a shortcut, never a second way to fail: an unusual URL, a schema that is not current, an
unknown counter or any error answers None, and the till opens the ordinary way, which upgrades,
refuses or explains exactly as it always has.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orto.enums import CounterKind, Role

# The newest migration. Starting the till compares the database with it in one query, without
# loading Alembic; a test keeps it equal to Alembic's own head (``orto.schema`` uses it too).
# 0009, then 0012 (take-away), 0013 (public bodies, tabs on account), 0011 (gift card sales): the
# ids are names, the chain is in each migration's down_revision; 0014 (report summaries) after 0011
HEAD = "0014"


@dataclass(frozen=True)
class UserChoice:
    """A user on the login list."""

    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class EarlyStart:
    counter_id: int
    counter_code: str
    counter_name: str
    counter_kind: CounterKind
    site_id: int
    site_code: str
    site_name: str
    users: list[UserChoice]


def _connect(url: str) -> tuple[Any, str] | None:
    """A read-only driver connection and its parameter mark, or None for a URL left to SQLAlchemy."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    if scheme in ("sqlite", "sqlite+pysqlite"):
        path = rest[1:].partition("?")[0] if rest.startswith("/") else ""
        if not path or path == ":memory:" or not Path(path).is_file():
            return None  # a new database is created, and given its schema, the ordinary way
        return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=2), "?"
    if scheme in ("postgresql", "postgresql+psycopg"):
        import psycopg

        return psycopg.connect(f"postgresql://{rest}", connect_timeout=3, autocommit=True), "%s"
    return None


def early_start(url: str, counter_code: str) -> EarlyStart | None:
    """The counter and the users for the login, if the database is ready for them; else None."""
    try:
        opened = _connect(url)
        if opened is None:
            return None
        connection, mark = opened
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT version_num FROM alembic_version")
            if [row[0] for row in cursor.fetchall()] != [HEAD]:
                return None
            cursor.execute(
                "SELECT c.id, c.code, c.name, c.kind, s.id, s.code, s.name"
                f" FROM counters c JOIN sites s ON s.id = c.site_id WHERE c.code = {mark}",
                (counter_code,),
            )
            counter = cursor.fetchone()
            if counter is None:
                return None
            cursor.execute(f"SELECT id, name, role FROM users WHERE active = {mark} ORDER BY name", (True,))
            users = [UserChoice(int(uid), name, Role(role)) for uid, name, role in cursor.fetchall()]
        finally:
            connection.close()
        cid, code, name, kind, site_id, site_code, site_name = counter
        return EarlyStart(int(cid), code, name, CounterKind(kind), int(site_id), site_code, site_name, users)
    except Exception:  # any surprise: the ordinary start will name it properly
        return None
