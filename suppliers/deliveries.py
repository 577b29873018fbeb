"""Receiving goods from a supplier, with the reception checks, and returning goods to them.

A delivery is one transaction: the delivery note (DDT) number, each line with its reception
checks (temperature of cold goods, packaging intact) and accepted or rejected; every accepted
line becomes a lot (our code, the supplier's lot code, the expiry typed or computed from the
product's shelf life) and a DELIVERY movement into the location. A rejected line is recorded
(for the HACCP register and the supplier) but creates no stock. A temperature over the limit
for chilled goods (``[supply] max_chilled_temperature_dc``, default 80 = 8,0 °C) may only be
accepted with a note saying why: the check is the point of recording it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement, require_on_hand
from inventory.lot_codes import next_lot_code
from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import (
    AuditEntry,
    Delivery,
    DeliveryLine,
    Location,
    Lot,
    LotOrigin,
    MovementKind,
    Product,
    StorageClass,
    Supplier,
    SupplierReturn,
    SupplierReturnLine,
    utcnow,
)
from orto.policy import Action, Operator

DEFAULT_MAX_CHILLED_DC = 80
# frozen goods may arrive at -15 °C at most (-18 °C with the 3 °C tolerance of transport)
DEFAULT_MAX_FROZEN_DC = -150


def reception_limit_dc(settings: Settings, storage: StorageClass) -> int | None:
    """The warmest a product of this storage class may arrive; None: no temperature check."""
    supply = settings.section("supply")
    if storage is StorageClass.CHILLED:
        return int(supply.get("max_chilled_temperature_dc", DEFAULT_MAX_CHILLED_DC))
    if storage is StorageClass.FROZEN:
        return int(supply.get("max_frozen_temperature_dc", DEFAULT_MAX_FROZEN_DC))
    return None


@dataclass(frozen=True)
class DeliveryLineInput:
    product_id: int
    quantity: int  # base units: pieces, grams, millilitres
    unit_cost_cents: int  # per piece, kg or litre
    supplier_lot_code: str | None = None
    expiry: date | None = None  # None: from the product's shelf life
    temperature_dc: int | None = None  # tenths of °C, for cold goods
    packaging_ok: bool = True
    accepted: bool = True
    note: str | None = None  # why rejected, or why accepted despite a check
    # the producer of the food, when the supplier is a distributor (km0: ``orto.km0``)
    origin_supplier_id: int | None = None


@dataclass(frozen=True)
class ReceivedLine:
    line_id: int
    product_id: int
    accepted: bool
    lot_code: str | None
    expiry: date | None


@dataclass(frozen=True)
class DeliveryResult:
    delivery_id: int
    lines: tuple[ReceivedLine, ...]


def check_delivery(note_number: str, lines: Sequence[DeliveryLineInput]) -> None:
    """Types and limits of what was typed at reception (orto.limits), line by line."""
    limits.text(note_number, _("delivery note number"), limits.column_length(Delivery.note_number))
    for number, line in enumerate(lines, start=1):
        where = _("line {n}").format(n=number)
        limits.whole(line.product_id, f"{where}: " + _("product"))
        limits.stock_quantity(line.quantity, f"{where}: " + _("quantity"), minimum=-limits.MAX_INT)
        limits.cents(line.unit_cost_cents, f"{where}: " + _("unit cost"), minimum=-limits.MAX_INT)
        limits.optional_text(
            line.supplier_lot_code,
            f"{where}: " + _("supplier lot"),
            limits.column_length(DeliveryLine.supplier_lot_code),
        )
        if line.temperature_dc is not None:
            limits.whole(line.temperature_dc, f"{where}: " + _("temperature"), minimum=-500, maximum=1000, unit="d°C")
        limits.optional_text(line.note, f"{where}: " + _("note"), lines=True)


def receive_delivery(
    db: Database,
    settings: Settings,
    *,
    supplier_id: int,
    location_id: int,
    note_number: str,
    lines: Sequence[DeliveryLineInput],
    actor: Operator,
    today: date | None = None,
) -> DeliveryResult:
    day = today or local_today()
    if not lines:
        raise InvalidInput(_("a delivery needs at least one line"))
    check_delivery(note_number, lines)
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        supplier = session.get(Supplier, supplier_id)
        location = session.get(Location, location_id)
        if supplier is None or location is None:
            raise NotFound(_("no such supplier or location"))
        delivery = Delivery(
            supplier_id=supplier.id,
            site_id=location.site_id,
            location_id=location.id,
            note_number=note_number.strip(),
            received_by=actor.id,
        )
        session.add(delivery)
        session.flush()
        received = []
        for number, item in enumerate(lines, start=1):
            product = session.get(Product, item.product_id)
            if product is None:
                raise NotFound(_("line {n}: no product {id}").format(n=number, id=item.product_id))
            if item.quantity <= 0 or item.unit_cost_cents < 0:
                raise InvalidInput(
                    _("line {n} ({product}): quantity and cost must be positive").format(n=number, product=product.name)
                )
            if not item.accepted and not item.note:
                raise InvalidInput(
                    _("line {n} ({product}): say why it is rejected").format(n=number, product=product.name)
                )
            limit = reception_limit_dc(settings, product.storage_class)
            if limit is not None and item.accepted and item.temperature_dc is None:
                raise InvalidInput(
                    _("line {n} ({product}): {storage} goods need their temperature measured at reception").format(
                        n=number, product=product.name, storage=_(product.storage_class.value)
                    )
                )
            _check_origin(session, number, product.name, supplier, item.origin_supplier_id)
            too_warm = limit is not None and item.temperature_dc is not None and item.temperature_dc > limit
            if item.accepted and (too_warm or not item.packaging_ok) and not item.note:
                raise NotAllowed(
                    _(
                        "line {n} ({product}): the reception check failed; reject it, or write why it is accepted"
                    ).format(n=number, product=product.name)
                )
            expiry = item.expiry
            if expiry is None and product.shelf_life_days:
                expiry = day + timedelta(days=product.shelf_life_days)
            line = DeliveryLine(
                delivery_id=delivery.id,
                product_id=product.id,
                quantity=item.quantity,
                unit_cost_cents=item.unit_cost_cents,
                supplier_lot_code=item.supplier_lot_code,
                expiry=expiry,
                date_type=product.date_type,
                temperature_dc=item.temperature_dc,
                packaging_ok=item.packaging_ok,
                accepted=item.accepted,
                reject_reason=item.note,
                origin_supplier_id=item.origin_supplier_id,
            )
            session.add(line)
            session.flush()
            lot_code = None
            if item.accepted:
                lot = Lot(
                    code=next_lot_code(session, location.site, day),
                    product_id=product.id,
                    expiry=expiry,
                    date_type=product.date_type,
                    origin=LotOrigin.DELIVERY,
                    supplier_id=supplier.id,
                    supplier_lot_code=item.supplier_lot_code,
                    delivery_line_id=line.id,
                    received_on=day,
                    unit_cost_cents=item.unit_cost_cents,
                )
                session.add(lot)
                session.flush()
                line.lot_id = lot.id
                post_movement(
                    session,
                    kind=MovementKind.DELIVERY,
                    location_id=location.id,
                    lot=lot,
                    quantity=item.quantity,
                    user_id=actor.id,
                    doc_type="delivery_line",
                    doc_id=line.id,
                    reason=delivery.note_number,
                )
                lot_code = lot.code
            received.append(ReceivedLine(line.id, product.id, item.accepted, lot_code, expiry))
        session.add(
            AuditEntry(
                action="delivery",
                user_id=actor.id,
                site_id=location.site_id,
                entity="delivery",
                entity_id=delivery.id,
                details={"supplier": supplier.code, "ddt": note_number, "lines": len(lines)},
            )
        )
        return DeliveryResult(delivery.id, tuple(received))


def return_to_supplier(
    db: Database,
    *,
    lot_id: int,
    location_id: int,
    quantity: int,
    reason: str,
    actor: Operator,
) -> int:
    """Send goods back: a return document and a SUPPLIER_RETURN movement; returns the document id."""
    limits.stock_quantity(quantity, _("quantity"), minimum=-limits.MAX_INT)
    limits.text(reason, _("reason"), lines=True)
    if quantity <= 0 or not reason.strip():
        raise InvalidInput(_("give a quantity and a reason"))
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        lot = session.get(Lot, lot_id)
        if lot is None or lot.supplier_id is None:
            raise NotFound(_("no lot {id} from a supplier").format(id=lot_id))
        location = session.get(Location, location_id)
        if location is None:
            raise NotFound(_("no such supplier or location"))
        require_on_hand(session, lot, location, quantity)
        delivery_id = session.scalar(select(DeliveryLine.delivery_id).where(DeliveryLine.id == lot.delivery_line_id))
        document = SupplierReturn(
            supplier_id=lot.supplier_id,
            delivery_id=delivery_id,
            location_id=location_id,
            reason=reason.strip(),
            user_id=actor.id,
            at=utcnow(),
        )
        session.add(document)
        session.flush()
        session.add(SupplierReturnLine(return_id=document.id, lot_id=lot.id, quantity=quantity))
        post_movement(
            session,
            kind=MovementKind.SUPPLIER_RETURN,
            location_id=location_id,
            lot=lot,
            quantity=-quantity,
            user_id=actor.id,
            doc_type="supplier_return",
            doc_id=document.id,
            reason=reason.strip(),
        )
        return document.id


def _check_origin(session: Session, number: int, product: str, supplier: Supplier, origin_id: int | None) -> None:
    """A producer of origin is another supplier, and a producer (a farm or a lab)."""
    if origin_id is None:
        return
    origin = session.get(Supplier, origin_id)
    if origin is None or origin.id == supplier.id or not origin.kind.is_producer:
        raise InvalidInput(
            _("line {n} ({product}): the producer of origin must be another supplier that is a farm or a lab").format(
                n=number, product=product
            )
        )
