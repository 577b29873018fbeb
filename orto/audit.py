"""Append-only audit entries, written in the transaction of the action they record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orto.models import AuditEntry


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
