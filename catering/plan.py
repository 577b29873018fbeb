"""The kitchen's plan: what to prepare across the orders of a day or a week, how much of each
ingredient, against the site's stock and lots near their date (rescued food first, as the lab
proposes), and what is short. Lots can be reserved for an order.

A product dish (a jar of the lab's preserve, bread) is taken from the product's own lots; what
they cannot cover is made, if a lab recipe makes that product, and counted in ingredients. A
recipe dish is cooked for the event: its ingredients are needed in proportion to the recipe's
yield (rounded up: the kitchen cannot weigh a fraction of a gram).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catering.orders import locked_order, portions
from inventory.lab import DEFAULT_RESCUE_DAYS, is_rescue
from inventory.lot_blocks import block_reason, open_recalls
from orto.access import authorise
from orto.audit import audit
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import ROME, local_day
from orto.models import (
    CateringLine,
    CateringOrder,
    Location,
    Lot,
    LotReservation,
    Product,
    Recipe,
    RecipeInput,
    Site,
    StockLevel,
    Unit,
)
from orto.policy import Action, Operator

PLANNED = ("confirmed", "prepared")


@dataclass(frozen=True)
class PlanLot:
    lot_code: str
    expiry: date | None
    available: int
    take: int
    rescue: bool
    reserved_here: int  # of ``take``, already reserved for these orders


@dataclass(frozen=True)
class PlanItem:
    product_id: int
    product: str
    unit: Unit
    needed: int
    on_hand: int
    lots: tuple[PlanLot, ...]
    short: int
    orders: tuple[str, ...]
    to_make: int = 0  # a finished product the stock cannot cover, made by its lab recipe


@dataclass(frozen=True)
class PlanDish:
    order: str
    event_day: date
    guests: int
    dish: str
    portions: int
    quantity: int  # base units of the dish


@dataclass(frozen=True)
class KitchenPlan:
    first: date
    last: date
    dishes: tuple[PlanDish, ...]
    ready: tuple[PlanItem, ...]  # finished products taken from stock (the lab's preserves)
    ingredients: tuple[PlanItem, ...]

    @property
    def short(self) -> tuple[PlanItem, ...]:
        return tuple(i for i in (*self.ready, *self.ingredients) if i.short)


def _day_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), ROME)
    return start, datetime.combine(first + timedelta(days=days), time(0), ROME)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def kitchen_plan(
    db: Database,
    first: date,
    *,
    days: int = 1,
    site_code: str = "CAP",
    today: date | None = None,
    rescue_days: int = DEFAULT_RESCUE_DAYS,
) -> KitchenPlan:
    if days <= 0:
        raise InvalidInput(_("days: at least 1 expected"))
    day = today or first  # lots are judged on the plan's first day: what will still be good then
    start, end = _day_bounds(first, days)
    with db.read() as session:
        site = session.scalar(select(Site).where(Site.code == site_code))
        if site is None:
            raise NotFound(_("no site {code}").format(code=site_code))
        rows = session.execute(
            select(CateringOrder, CateringLine)
            .join(CateringLine, CateringLine.order_id == CateringOrder.id)
            .where(
                CateringOrder.site_id == site.id,
                CateringOrder.status.in_(PLANNED),
                CateringOrder.event_at >= start,
                CateringOrder.event_at < end,
            )
            .order_by(CateringOrder.event_at, CateringOrder.id, CateringLine.position)
        ).all()
        order_ids = {o.id for o, _ln in rows}
        recipes = {r.id: r for r in session.scalars(select(Recipe))}
        by_output = {r.output_product_id: r for r in recipes.values() if r.active}
        inputs: dict[int, list[RecipeInput]] = defaultdict(list)
        for item in session.scalars(select(RecipeInput)):
            inputs[item.recipe_id].append(item)

        dishes: list[PlanDish] = []
        ready_need: dict[int, int] = defaultdict(int)
        ready_orders: dict[int, set[str]] = defaultdict(set)
        made: list[tuple[Recipe, int, str]] = []  # recipe, output base units, order
        for order, line in rows:
            n = portions(line, order.guests)
            quantity = n * line.portion
            dishes.append(
                PlanDish(order.number, local_day(order.event_at), order.guests, line.description, n, quantity)
            )
            if line.product_id is not None:
                ready_need[line.product_id] += quantity
                ready_orders[line.product_id].add(order.number)
            elif line.recipe_id is not None:
                made.append((recipes[line.recipe_id], quantity, order.number))

        stock = _stock(session, site.id, order_ids, day)
        ready = []
        for product_id, needed in ready_need.items():
            taken = _allocate(session, product_id, needed, stock, day, rescue_days, ready_orders[product_id])
            recipe = by_output.get(product_id)
            if taken.short and recipe is not None:
                made.append((recipe, taken.short, ",".join(sorted(ready_orders[product_id]))))
                taken = replace(taken, short=0, to_make=taken.short)
            ready.append(taken)

        need: dict[int, int] = defaultdict(int)
        need_orders: dict[int, set[str]] = defaultdict(set)
        for recipe, output, number in made:
            for ingredient in inputs[recipe.id]:
                need[ingredient.product_id] += _ceil_div(ingredient.quantity * output, max(recipe.expected_yield, 1))
                need_orders[ingredient.product_id].update(number.split(","))
        ingredients = [
            _allocate(session, pid, qty, stock, day, rescue_days, need_orders[pid]) for pid, qty in need.items()
        ]
        return KitchenPlan(
            first,
            first + timedelta(days=days - 1),
            tuple(dishes),
            tuple(sorted(ready, key=lambda i: i.product)),
            tuple(sorted(ingredients, key=lambda i: i.product)),
        )


@dataclass
class _Stock:
    lot: Lot
    free: int
    reserved_here: int


def _stock(session: Session, site_id: int, order_ids: set[int], today: date) -> dict[int, list[_Stock]]:
    """Usable lots of the site by product, with what other orders have reserved taken off."""
    reserved: dict[int, int] = defaultdict(int)
    mine: dict[int, int] = defaultdict(int)
    for lot_id, order_id, quantity in session.execute(
        select(LotReservation.lot_id, LotReservation.order_id, LotReservation.quantity).where(
            LotReservation.released_at.is_(None)
        )
    ):
        (mine if order_id in order_ids else reserved)[int(lot_id)] += int(quantity)
    rows = session.execute(
        select(Lot, func.sum(StockLevel.quantity))
        .join(StockLevel, StockLevel.lot_id == Lot.id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(Location.site_id == site_id, StockLevel.quantity > 0)
        .group_by(Lot.id)
    ).all()
    recalls = open_recalls(session, [lot.id for lot, _q in rows])
    out: dict[int, list[_Stock]] = defaultdict(list)
    for lot, quantity in rows:
        if block_reason(session, lot, today, recalls) is not None:
            continue
        free = int(quantity) - reserved.get(lot.id, 0)
        if free > 0:
            out[lot.product_id].append(_Stock(lot, free, min(free, mine.get(lot.id, 0))))
    return out


def _allocate(
    session: Session,
    product_id: int,
    needed: int,
    stock: dict[int, list[_Stock]],
    today: date,
    days: int,
    orders: set[str],
) -> PlanItem:
    product = session.get(Product, product_id)
    assert product is not None
    lots = stock.get(product_id, [])
    # reserved for these orders first, then what would be lost (rescue), then first-expired-first-out
    lots.sort(
        key=lambda s: (
            -s.reserved_here,
            not is_rescue(s.lot, today, days),
            s.lot.expiry is None,
            s.lot.expiry or date.max,
            s.lot.received_on,
            s.lot.id,
        )
    )
    left = needed
    taken = []
    for s in lots:
        if left <= 0:
            break
        take = min(left, s.free)
        if take <= 0:
            continue
        left -= take
        s.free -= take  # the same lot is not promised twice in one plan
        taken.append(
            PlanLot(
                s.lot.code, s.lot.expiry, s.free + take, take, is_rescue(s.lot, today, days), min(take, s.reserved_here)
            )
        )
    on_hand = sum(s.free for s in lots) + (needed - left)
    return PlanItem(
        product.id, product.name, product.unit, needed, on_hand, tuple(taken), max(left, 0), tuple(sorted(orders))
    )


def reserve_lot(db: Database, actor: Operator, order_id: int, lot_code: str, quantity: int) -> int:
    """Keep ``quantity`` of a lot for an order: the plan of other orders no longer counts it."""
    if quantity <= 0:
        raise InvalidInput(_("quantity: more than zero expected"))
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status not in PLANNED:
            raise NotAllowed(
                _("order {number} is {state}: lots are reserved for confirmed orders").format(
                    number=order.number, state=_(order.status)
                )
            )
        lot = session.scalar(select(Lot).where(Lot.code == lot_code.strip()))
        if lot is None:
            raise NotFound(_("no lot with code {code}").format(code=lot_code))
        session.get(Lot, lot.id, with_for_update=True)  # two reservations of one lot queue here
        on_hand = int(
            session.scalar(
                select(func.coalesce(func.sum(StockLevel.quantity), 0))
                .join(Location, Location.id == StockLevel.location_id)
                .where(StockLevel.lot_id == lot.id, Location.site_id == order.site_id)
            )
            or 0
        )
        held = int(
            session.scalar(
                select(func.coalesce(func.sum(LotReservation.quantity), 0)).where(
                    LotReservation.lot_id == lot.id, LotReservation.released_at.is_(None)
                )
            )
            or 0
        )
        if quantity > on_hand - held:
            raise NotAllowed(
                _("lot {code}: {free} free at the site, {asked} asked").format(
                    code=lot.code, free=max(on_hand - held, 0), asked=quantity
                )
            )
        reservation = LotReservation(order_id=order.id, lot_id=lot.id, quantity=quantity)
        session.add(reservation)
        session.flush()
        audit(
            session,
            "lot_reserved",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"lot": lot.code, "quantity": quantity},
        )
        return reservation.id
