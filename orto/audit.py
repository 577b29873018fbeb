"""Append-only audit entries, written in the transaction of the action they record, each
chained to the one before by a SHA-256 hash (docs/security.md, "The audit chain").

Every entry stores ``prev_hash`` (the previous entry's ``hash``) and ``hash`` over its own
content and ``prev_hash``. Entries made as ORM objects are chained when the session flushes;
Core inserts go through ``chain_rows``. Writers of the chain take turns: SQLite's writers
already do (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock is taken before
the last hash is read, and held until commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session

from orto import prepared
from orto.i18n import N_
from orto.models import AuditEntry, utcnow
from orto.models.base import table_of
from orto.prepared import Prepared

_FIELDS = ("at", "action", "user_id", "approver_id", "site_id", "counter_id", "entity", "entity_id", "details")
_CHAIN_LOCK = 0x4F52544F  # "ORTO": the advisory lock key of the audit chain on PostgreSQL
_LOCKED = "orto_audit_chain_locked"


def audit(
    session: Session,
    action: str,
    user_id: int | None,
    *,
    approver_id: int | None = None,
    counter_id: int | None = None,
    site_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            action=action,
            user_id=user_id,
            approver_id=approver_id,
            counter_id=counter_id,
            site_id=site_id,
            entity=entity,
            entity_id=entity_id,
            details=details,
        )
    )


def _moment(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over: its fields and prev_hash, sorted, compact JSON."""
    content = {name: values.get(name) for name in _FIELDS}
    content["at"] = _moment(content["at"]) if content["at"] is not None else None
    content["prev_hash"] = values.get("prev_hash")
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def _last_hash(session: Session) -> str | None:
    if session.bind is not None and session.get_bind().dialect.name == "postgresql" and not session.info.get(_LOCKED):
        prepared.run(session, _TAKE_CHAIN, {"key": _CHAIN_LOCK})
        session.info[_LOCKED] = True
    return prepared.scalar(session, _LAST_HASH)


# on the driver (orto.prepared): every sale's commit chains its entries
_TAKE_CHAIN = Prepared(text("SELECT pg_advisory_xact_lock(:key)"))
_AUDIT = table_of(AuditEntry)
_LAST_HASH = Prepared(select(_AUDIT.c.hash).order_by(_AUDIT.c.id.desc()).limit(1))
# the rows chain_rows returns, inserted on the driver (one executemany)
INSERT_ENTRIES = Prepared(insert(_AUDIT), (*_FIELDS, "prev_hash", "hash"))


def chain_rows(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a Core insert into audit_log, in order, with their place in the chain."""
    previous = _last_hash(session)
    for row in rows:
        row.setdefault("at", utcnow())
        for name in _FIELDS:
            row.setdefault(name, None)
        row["prev_hash"] = previous
        row["hash"] = previous = entry_hash(row)
    return rows


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session: Session, _context: Any, _instances: Any) -> None:
    entries = sorted((o for o in session.new if isinstance(o, AuditEntry)), key=lambda o: inspect(o).insert_order or 0)
    if not entries:
        return
    previous = _last_hash(session)
    for entry in entries:
        if entry.at is None:
            entry.at = utcnow()
        entry.prev_hash = previous
        entry.hash = previous = entry_hash({name: getattr(entry, name) for name in (*_FIELDS, "prev_hash")})


@event.listens_for(Session, "after_transaction_end")
def _forget_lock(session: Session, _transaction: Any) -> None:
    session.info.pop(_LOCKED, None)


@dataclass(frozen=True)
class Break:
    id: int
    at: datetime
    action: str
    why: str


def verify(session: Session) -> tuple[int, Break | None]:
    """Walk the chain from the first entry: how many match, and the first that does not."""
    previous: str | None = None
    checked = 0
    for entry in _entries(session):
        values = {name: getattr(entry, name) for name in (*_FIELDS, "prev_hash")}
        if entry.prev_hash != previous:
            return checked, Break(entry.id, entry.at, entry.action, N_("the entry before it is missing or changed"))
        if entry.hash != entry_hash(values):
            return checked, Break(entry.id, entry.at, entry.action, N_("content changed"))
        previous = entry.hash
        checked += 1
    return checked, None


def _entries(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000))
