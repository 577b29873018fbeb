"""Labels for lab products: a snapshot of the lot (Reg. EU 1169/2011 information) and its print jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orto.config import Settings
from orto.models import Lot, PrinterRole, PrintJob, Product, Unit
from orto.money import format_kg
from receipts.jobs import queue_document


def label_snapshot(
    session: Session, settings: Settings, lot: Lot, *, net_quantity: str | None = None
) -> dict[str, Any]:
    product = session.get(Product, lot.product_id)
    assert product is not None
    company = settings.company
    date_type = lot.date_type or product.date_type
    return {
        "kind": "label",
        "name": product.name,
        "ingredients": lot.ingredients or product.ingredients,
        "allergens": sorted(a.value for a in product.allergens | lot.allergens),
        "lot_code": lot.code,
        "produced_on": lot.received_on.isoformat(),
        "expiry": lot.expiry.isoformat() if lot.expiry else None,
        "date_type": date_type.value if date_type else None,
        "storage_note": product.storage_note,
        # in Italian whatever the till's language: the label is for the shop's customers
        "net_quantity": net_quantity
        or (f"{format_kg(product.base_per_unit, 'it')} kg" if product.unit is Unit.KG else None),
        "producer": str(company.get("name", "Fuori e Dentro - Vitality Social")),
        "producer_address": str(company.get("lab_address", company.get("address", "Via L. Capuana 7, Milano"))),
    }


def queue_lot_labels(
    session: Session, settings: Settings, lot: Lot, *, printer: str, copies: int = 1, counter_id: int | None = None
) -> list[PrintJob]:
    """One job per label, in the caller's transaction (a batch and its labels commit together)."""
    document = label_snapshot(session, settings, lot)
    return [
        queue_document(
            session,
            printer=printer,
            role=PrinterRole.LABEL,
            doc_type="label",
            doc_id=lot.id,
            document=document,
            counter_id=counter_id,
        )
        for _ in range(copies)
    ]
