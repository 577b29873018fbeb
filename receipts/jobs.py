"""Queueing print jobs inside the caller's transaction (the contract the selling engine uses).

A job row is written in the same transaction as the document that causes it, so a sale and its
slip commit together or not at all. The worker (receipts.queue) sends it later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orto.config import Settings
from orto.models import PrinterRole, PrintJob


def printer_for(settings: Settings, counter_code: str | None, role: PrinterRole) -> str | None:
    """The printer configured for a counter and role in orto.toml, or None."""
    if counter_code is None:
        return None
    return settings.counter_printers.get(counter_code, {}).get(role.value)


def queue_document(
    session: Session,
    *,
    printer: str,
    role: PrinterRole,
    doc_type: str,
    document: dict[str, Any],
    doc_id: int | None = None,
    counter_id: int | None = None,
    open_drawer: bool = False,
) -> PrintJob:
    job = PrintJob(
        printer=printer,
        role=role,
        doc_type=doc_type,
        doc_id=doc_id,
        document=document,
        counter_id=counter_id,
        open_drawer=open_drawer,
    )
    session.add(job)
    session.flush()
    return job
