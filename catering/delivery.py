"""Delivery of an order: a DDT numbered per year, the lots that left, stock moved out with its
ledger row (kind ``catering``), so that the trace of a lot names the customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catering.orders import locked_order, portions
from inventory.ledger import post_movement
from inventory.lot_blocks import block_reason
from orto.access import authorise
from orto.allergens import Allergen
from orto.audit import audit
from orto.db import Database
from orto.enums import OrderStatus
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import (
    CateringOrder,
    DeliveryNote,
    DeliveryNoteItem,
    Location,
    Lot,
    LotReservation,
    MovementKind,
    Product,
    Recipe,
    RecipeInput,
    StockLevel,
)
from orto.models.base import utcnow
from orto.policy import Action, Operator


@dataclass(frozen=True)
class Item:
    lot_code: str
    quantity: int  # base units


def _stock_location(session: Session, lot: Lot, site_id: int, quantity: int) -> Location:
    row = session.execute(
        select(Location, StockLevel.quantity)
        .join(StockLevel, StockLevel.location_id == Location.id)
        .where(StockLevel.lot_id == lot.id, Location.site_id == site_id, StockLevel.quantity > 0)
        .order_by(StockLevel.quantity.desc())
    ).first()
    if row is None:
        raise NotAllowed(_("lot {code} is not in stock at the order's site").format(code=lot.code))
    location, on_hand = row
    if int(on_hand) < quantity:
        raise NotAllowed(
            _("lot {code}: only {have} at {place}, {asked} to deliver").format(
                code=lot.code, have=int(on_hand), place=location.name, asked=quantity
            )
        )
    return location


def default_items(session: Session, order: CateringOrder) -> list[Item]:
    """What the order's product dishes take: its reservations first, then first-expired-first-out."""
    items: list[Item] = []
    reserved = session.execute(
        select(Lot.code, Lot.product_id, LotReservation.quantity)
        .join(Lot, Lot.id == LotReservation.lot_id)
        .where(LotReservation.order_id == order.id, LotReservation.released_at.is_(None))
    ).all()
    by_product: dict[int, list[tuple[str, int]]] = {}
    for code, product_id, quantity in reserved:
        by_product.setdefault(int(product_id), []).append((code, int(quantity)))
    for line in order.lines:
        if line.product_id is None:
            continue
        left = portions(line, order.guests) * line.portion
        for code, quantity in by_product.pop(line.product_id, []):
            take = min(left, quantity)
            if take:
                items.append(Item(code, take))
                left -= take
        if left:
            lots = session.execute(
                select(Lot.code, func.sum(StockLevel.quantity))
                .join(StockLevel, StockLevel.lot_id == Lot.id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Lot.product_id == line.product_id, Location.site_id == order.site_id, StockLevel.quantity > 0)
                .group_by(Lot.code, Lot.expiry, Lot.id)
                .order_by(Lot.expiry.is_(None), Lot.expiry, Lot.id)
            ).all()
            for code, quantity in lots:
                take = min(left, int(quantity))
                if take:
                    items.append(Item(code, take))
                    left -= take
    return items


def deliver(
    db: Database,
    actor: Operator,
    order_id: int,
    items: Sequence[Item] | None = None,
    *,
    destination: str | None = None,
) -> int:
    """Deliver an order: the DDT, stock out of the lots, reservations used; returns the DDT's id."""
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status not in ("confirmed", "prepared"):
            raise NotAllowed(
                _("order {number} is {state}: only a confirmed or prepared order is delivered").format(
                    number=order.number, state=_(order.status)
                )
            )
        chosen = list(items) if items is not None else default_items(session, order)
        now = utcnow()
        year = local_day(now).year
        number = int(session.scalar(select(func.max(DeliveryNote.number)).where(DeliveryNote.year == year)) or 0) + 1
        place = (destination or order.place).strip()
        if not place:
            raise InvalidInput(_("destination: where the goods go is expected on a DDT"))
        first_location: Location | None = None
        rows = []
        for item in chosen:
            if item.quantity <= 0:
                raise InvalidInput(_("lot {code}: a quantity above zero expected").format(code=item.lot_code))
            lot = session.scalar(select(Lot).where(Lot.code == item.lot_code.strip()))
            if lot is None:
                raise NotFound(_("no lot with code {code}").format(code=item.lot_code))
            reason = block_reason(session, lot, local_day(now))
            if reason:
                raise NotAllowed(_("lot {code} cannot leave: {reason}").format(code=lot.code, reason=reason))
            location = _stock_location(session, lot, order.site_id, item.quantity)
            first_location = first_location or location
            rows.append((lot, location, item.quantity))
        if first_location is None:
            from orto.models import Site

            site = session.get(Site, order.site_id)
            assert site is not None and site.locations
            first_location = site.locations[0]
        note = DeliveryNote(
            year=year,
            number=number,
            order_id=order.id,
            location_id=first_location.id,
            destination=place,
            at=now,
            user_id=actor.id,
        )
        session.add(note)
        session.flush()
        for lot, location, quantity in rows:
            product = session.get(Product, lot.product_id)
            assert product is not None
            entry = DeliveryNoteItem(
                note_id=note.id, product_id=lot.product_id, lot_id=lot.id, quantity=quantity, description=product.name
            )
            session.add(entry)
            session.flush()
            post_movement(
                session,
                kind=MovementKind.CATERING,
                location_id=location.id,
                lot=lot,
                quantity=-quantity,
                user_id=actor.id,
                reason=order.number,
                doc_type="delivery_note_item",
                doc_id=entry.id,
                allow_negative=False,
            )
        for reservation in session.scalars(
            select(LotReservation).where(LotReservation.order_id == order.id, LotReservation.released_at.is_(None))
        ):
            reservation.released_at = now
        if order.status == "confirmed":
            order.prepared_at = now
        order.status, order.delivered_at = OrderStatus.DELIVERED, now
        audit(
            session,
            "catering_delivered",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"ddt": f"{year}/{number:04d}", "lots": [lot.code for lot, _l, _q in rows]},
        )
        return note.id


def dish_allergens(session: Session, product_id: int | None, recipe_id: int | None) -> frozenset[Allergen]:
    """A product's allergens and its lots' (what a lab batch declared); a recipe's: its output's and inputs'."""
    found: set[Allergen] = set()
    products: list[int] = []
    if product_id is not None:
        products.append(product_id)
    if recipe_id is not None:
        recipe = session.get(Recipe, recipe_id)
        if recipe is not None:
            products.append(recipe.output_product_id)
            products.extend(session.scalars(select(RecipeInput.product_id).where(RecipeInput.recipe_id == recipe.id)))
    for pid in products:
        product = session.get(Product, pid)
        if product is not None:
            found |= product.allergens
        for lot_allergens in session.scalars(select(Lot.allergens).where(Lot.product_id == pid)):
            found |= lot_allergens
    return frozenset(found)
