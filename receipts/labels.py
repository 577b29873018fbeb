"""Labels for lab products: a snapshot of the lot (Reg. EU 1169/2011 information) and its print jobs.

The snapshot is read from the batch that made the lot: its inputs with the quantities actually
used, each input's own declaration from the catalog, the site that made it. The rules of the
ingredient list are in receipts.food_label; the layouts in receipts.documents (ESC/POS) and
receipts.label_sheet (A4 sheets of adhesive labels).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.config import Settings
from orto.errors import NotFound
from orto.i18n import gettext as _
from orto.models import Batch, BatchInput, Lot, PrinterRole, PrintJob, Product, ProductFoodInfo, Site, Unit
from receipts.food_label import (
    Component,
    Declaration,
    declare,
    emphasise,
    format_net_quantity,
    label_name,
    named_allergens,
    pack_size,
    strip_pack_size,
)
from receipts.jobs import queue_document

DEFAULT_PRODUCER = "Fuori e Dentro - Vitality Social"
DEFAULT_LAB_ADDRESS = "Via L. Capuana 7, Milano"


def food_name(product: Product) -> str:
    """The food's name on its label: the product's name without the pack size it states."""
    return strip_pack_size(product.name)


def net_per_piece(product: Product, info: ProductFoodInfo | None) -> tuple[int, str] | None:
    """Grams or millilitres of one piece: the catalog's food information, else the name's pack size."""
    if info is not None and info.net_quantity and info.net_unit:
        return info.net_quantity, info.net_unit
    return pack_size(product.name)


def _grams(product: Product, info: ProductFoodInfo | None, quantity: int) -> int | None:
    if product.unit in (Unit.KG, Unit.LITRE):
        return quantity
    per_piece = net_per_piece(product, info)
    return quantity * per_piece[0] if per_piece else None


def batch_declaration(session: Session, batch_id: int, name: str) -> Declaration:
    """The ingredient list of what ``batch_id`` made, from its inputs as they were used."""
    inputs = session.scalars(select(BatchInput).where(BatchInput.batch_id == batch_id).order_by(BatchInput.id)).all()
    used: dict[int, int] = defaultdict(int)
    lots: dict[int, list[Lot]] = defaultdict(list)
    for item in inputs:
        used[item.product_id] += item.quantity
        lot = session.get(Lot, item.lot_id)
        if lot is not None:
            lots[item.product_id].append(lot)
    components = []
    for product_id, quantity in used.items():
        product = session.get(Product, product_id)
        assert product is not None
        info = session.get(ProductFoodInfo, product_id)
        # a lab lot used again (a passata in a sauce) declares what it was made of
        made_of = next((lot.ingredients for lot in lots[product_id] if lot.ingredients), None)
        allergens = set(product.allergens)
        for lot in lots[product_id]:
            allergens |= lot.allergens
        components.append(
            Component(
                name=label_name(product.name),
                declaration=made_of or product.ingredients.strip(),
                allergens=frozenset(allergens),
                quantity=_grams(product, info, quantity),
            )
        )
    return declare(name, components)


def _producer(session: Session, settings: Settings, lot: Lot) -> tuple[str, str]:
    company = settings.company
    name = str(company.get("name", DEFAULT_PRODUCER))
    batch = session.get(Batch, lot.batch_id) if lot.batch_id else None
    site = session.get(Site, batch.site_id) if batch else None
    if site is not None and site.address:
        return name, f"{site.name}, {site.address}, {site.city}"
    return name, str(company.get("lab_address", company.get("address", DEFAULT_LAB_ADDRESS)))


def label_snapshot(
    session: Session, settings: Settings, lot: Lot, *, net_quantity: str | None = None
) -> dict[str, Any]:
    """Everything the lot's label prints, in Italian whatever the till's language (art. 15)."""
    product = session.get(Product, lot.product_id)
    assert product is not None
    info = session.get(ProductFoodInfo, product.id)
    name = food_name(product)
    date_type = lot.date_type or product.date_type
    if lot.batch_id is not None:
        declaration = batch_declaration(session, lot.batch_id, name)
        parts = list(declaration.parts)
        named = declaration.named
    else:
        text = lot.ingredients or product.ingredients
        parts = emphasise(text)
        named = named_allergens(text)
    allergens = product.allergens | lot.allergens
    if net_quantity is None and product.unit is Unit.PIECE:
        per_piece = net_per_piece(product, info)
        net_quantity = format_net_quantity(*per_piece) if per_piece else None
    producer, address = _producer(session, settings, lot)
    may_contain = (info.may_contain if info else frozenset()) - allergens
    return {
        "kind": "label",
        "name": name,
        "ingredients": "".join(text for text, _bold in parts),
        "ingredient_parts": [[text, bold] for text, bold in parts],
        "allergens": sorted(a.value for a in allergens),
        # allergens of the product that no ingredient of the list names: stated after it
        "contains": sorted(a.value for a in allergens - named) if parts else sorted(a.value for a in allergens),
        "may_contain": sorted(a.value for a in may_contain),
        "lot_code": lot.code,
        "produced_on": lot.received_on.isoformat(),
        "expiry": lot.expiry.isoformat() if lot.expiry else None,
        "date_type": date_type.value if date_type else None,
        "storage_note": product.storage_note,
        # products sold by weight get their weight from the scale's label, not from this one
        "net_quantity": net_quantity,
        "producer": producer,
        "producer_address": address,
    }


def lot_label_document(session: Session, settings: Settings, code: str) -> dict[str, Any]:
    """The label snapshot of the lot with this code (any lot: a lab's, or a delivered one)."""
    lot = session.scalar(select(Lot).where(Lot.code == code.strip()))
    if lot is None:
        raise NotFound(_("no lot {code}").format(code=code))
    return label_snapshot(session, settings, lot)


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
