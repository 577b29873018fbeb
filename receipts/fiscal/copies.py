"""Copies of a certified sale: a non-fiscal slip carrying the RT's reference, never a second document.

A reprint never goes to the RT (it would issue a new documento commerciale): it is a "Documento
non fiscale" on a slip printer, with the number, Z, date and serial of the one the RT issued.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.access import authorise
from orto.audit import audit
from orto.config import Settings
from orto.db import Database
from orto.errors import NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import FiscalDocument, PrinterRole, Sale
from orto.policy import Action, Operator
from receipts.jobs import printer_for, queue_document


def reference_of(session: Session, sale_id: int) -> dict[str, Any] | None:
    doc = session.scalar(
        select(FiscalDocument).where(
            FiscalDocument.sale_id == sale_id, FiscalDocument.kind != "void", FiscalDocument.status == "issued"
        )
    )
    if doc is None or doc.doc_number is None:
        return None
    return {
        "z_number": doc.z_number or 0,
        "doc_number": doc.doc_number,
        "date": doc.rt_date or "",
        "serial": doc.rt_serial or "",
        "kind": doc.kind,
    }


def with_fiscal_reference(session: Session, sale_id: int, document: dict[str, Any]) -> dict[str, Any]:
    reference = reference_of(session, sale_id)
    return {**document, "fiscal": reference} if reference else document


def queue_copy(db: Database, settings: Settings, actor: Operator, sale_id: int, counter_code: str) -> int:
    """A non-fiscal copy of a sale on the counter's slip printer, with the RT's reference (a
    reprint: ``Action.PRINTERS``, in the audit log like every reprint)."""
    from receipts.snapshots import sale_snapshot

    printer = printer_for(settings, counter_code, PrinterRole.RECEIPT)
    if printer is None:
        raise NotAllowed(_("counter {counter} has no slip printer for a copy").format(counter=counter_code))
    with db.write() as session:
        authorise(session, actor, Action.PRINTERS)
        sale = session.get(Sale, sale_id)
        if sale is None:
            raise NotFound(_("no sale {id}").format(id=sale_id))
        document = with_fiscal_reference(session, sale_id, sale_snapshot(session, settings, sale))
        job = queue_document(
            session,
            printer=printer,
            role=PrinterRole.RECEIPT,
            doc_type="refund" if sale.kind.value == "refund" else "receipt",
            doc_id=sale.id,
            document=document,
            counter_id=sale.counter_id,
        )
        audit(session, "fiscal_copy", actor.id, counter_id=sale.counter_id, entity="sale", entity_id=sale.id)
        return job.id
