"""Queueing print jobs inside the caller's transaction (the contract the selling engine uses).

A job row is written in the same transaction as the document that causes it, so a sale and its
slip commit together or not at all. The worker (receipts.queue) sends it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from orto import prepared
from orto.config import Settings
from orto.models import PrinterRole, PrintJob, SaleKind
from orto.models.base import table_of
from orto.prepared import Prepared
from receipts.sale_doc import DocPlace, SaleDoc


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


_JOBS = table_of(PrintJob)
# on the driver (orto.prepared): every sale's commit queues its slip
_INSERT_JOB = Prepared(
    insert(_JOBS).returning(_JOBS.c.id),
    ("printer", "role", "doc_type", "doc_id", "document", "counter_id", "open_drawer"),
)


def queue_sale_jobs(
    session: Session,
    settings: Settings,
    doc: SaleDoc,
    *,
    open_drawer: bool,
    void: bool = False,
    vouchers: Sequence[dict[str, Any]] = (),
) -> list[int]:
    """A completed sale's or refund's documents, in its transaction; the print jobs' ids.

    The RT's documento commerciale (or reso, or annullo) where the counter has an RT, else the
    slip on the receipt printer (with the drawer kick); ``vouchers`` (the gift cards' own slips)
    on the receipt printer; kitchen items on the kitchen's, unless a tab sent them when ordered.
    A counter with no printer configured gets no job: the sale is still complete, and any slip
    can be printed later from the sale (reprint).
    """
    from receipts.snapshots import kitchen_snapshot, slip

    def job(printer: str, role: PrinterRole, doc_type: str, document: dict[str, Any], drawer: bool) -> dict[str, Any]:
        return {
            "printer": printer,
            "role": role,
            "doc_type": doc_type,
            "doc_id": doc.id,
            "document": document,
            "counter_id": doc.counter_id,
            "open_drawer": drawer,
        }

    jobs: list[dict[str, Any]] = []
    receipt_printer = printer_for(settings, doc.counter_code, PrinterRole.RECEIPT)
    fiscal = None
    if printer_for(settings, doc.counter_code, PrinterRole.FISCAL):
        from receipts.fiscal.jobs import queue_fiscal

        fiscal = queue_fiscal(
            session,
            settings,
            counter_code=doc.counter_code,
            counter_id=doc.counter_id,
            sale_id=doc.id,
            slip=slip(settings, doc),
            original_sale_id=doc.original_sale_id,
            open_drawer=open_drawer,
            void=void,
        )
    if receipt_printer and fiscal is None:
        doc_type = "refund" if doc.kind is SaleKind.REFUND else "receipt"
        jobs.append(job(receipt_printer, PrinterRole.RECEIPT, doc_type, slip(settings, doc), open_drawer))
    if receipt_printer:
        jobs.extend(job(receipt_printer, PrinterRole.RECEIPT, "gift_card", voucher, False) for voucher in vouchers)
    kitchen_lines = [line for line in doc.lines if line.kitchen_item]
    kitchen_printer = printer_for(settings, doc.counter_code, PrinterRole.KITCHEN)
    if kitchen_lines and kitchen_printer and doc.tab_id is None:
        ticket = kitchen_snapshot(
            DocPlace(doc.counter_name, "", ""),
            label=doc.number or "",
            lines=[(line.description, line.quantity, line.note) for line in kitchen_lines],
        )
        jobs.append(job(kitchen_printer, PrinterRole.KITCHEN, "kitchen", ticket, False))
    if not jobs:
        return []
    return [prepared.scalar(session, _INSERT_JOB, job) for job in jobs]  # a slip, rarely a few more
