"""Catering's reports: orders by date (catering.orders.orders_between), receivables
(catering.money.receivables), and takings and margins per order.

The cost of a dish: the lots that left on its DDT at their lot cost; a recipe dish at the cost per
unit of the recipe's latest finished lab batch (its inputs' lot costs over its yield), or, with no
batch yet, at its ingredients' catalogue cost.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catering.money import counted
from catering.orders import portions
from inventory.ledger import value_of
from orto.access import authorise
from orto.db import Database
from orto.localtime import ROME, local_day
from orto.models import (
    Batch,
    BatchStatus,
    CateringOrder,
    CateringPayment,
    Customer,
    DeliveryNote,
    DeliveryNoteItem,
    Lot,
    Product,
    Recipe,
    RecipeInput,
)
from orto.money import vat_breakdown
from orto.policy import Action, Operator

DONE = ("delivered", "invoiced", "paid")


@dataclass(frozen=True)
class OrderMargin:
    number: str
    day: date
    customer: str
    guests: int
    taxable_cents: int
    cost_cents: int

    @property
    def margin_cents(self) -> int:
        return self.taxable_cents - self.cost_cents


@dataclass(frozen=True)
class Takings:
    by_method: dict[str, int]
    orders: tuple[OrderMargin, ...]

    @property
    def total_cents(self) -> int:
        return sum(self.by_method.values())


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time(0), ROME), datetime.combine(last + timedelta(days=1), time(0), ROME)


def recipe_unit_cost(db_session: Session, recipe: Recipe) -> tuple[int, int]:
    """(cost cents, per base units) of a recipe's output: its latest batch, else its ingredients."""
    batch = db_session.scalar(
        select(Batch)
        .where(
            Batch.recipe_id == recipe.id,
            Batch.status.in_([BatchStatus.RELEASED, BatchStatus.COMPLETED]),
            Batch.yield_quantity.is_not(None),
            Batch.yield_quantity > 0,
        )
        .order_by(Batch.finished_at.desc(), Batch.id.desc())
    )
    if batch is not None:
        return batch.cost_cents, int(batch.yield_quantity or 1)
    cost = 0
    for item in db_session.scalars(select(RecipeInput).where(RecipeInput.recipe_id == recipe.id)):
        product = db_session.get(Product, item.product_id)
        if product is not None:
            cost += value_of(item.quantity, product.cost_cents, product.unit.base_per_unit)
    return cost, max(recipe.expected_yield, 1)


def takings_and_margins(db: Database, actor: Operator, first: date, last: date) -> Takings:
    """Money received in [first, last] by method, and each order delivered for an event in it
    (a manager's report: ``Action.REPORTS``)."""
    start, end = _bounds(first, last)
    with db.read() as session:
        authorise(session, actor, Action.REPORTS)
        by_method: dict[str, int] = defaultdict(int)
        for method, amount in session.execute(
            select(CateringPayment.method, CateringPayment.amount_cents).where(
                CateringPayment.at >= start, CateringPayment.at < end, counted()
            )
        ):
            by_method[str(method)] += int(amount)
        rows = []
        for order, customer in session.execute(
            select(CateringOrder, Customer.name)
            .join(Customer, Customer.id == CateringOrder.customer_id)
            .where(CateringOrder.event_at >= start, CateringOrder.event_at < end, CateringOrder.status.in_(DONE))
            .order_by(CateringOrder.event_at)
        ):
            taxable = sum(
                s.taxable_cents for s in vat_breakdown((ln.vat_rate_bp, ln.total_cents) for ln in order.lines)
            )
            cost = 0
            for lot, quantity, product in session.execute(
                select(Lot, DeliveryNoteItem.quantity, Product)
                .join(DeliveryNoteItem, DeliveryNoteItem.lot_id == Lot.id)
                .join(DeliveryNote, DeliveryNote.id == DeliveryNoteItem.note_id)
                .join(Product, Product.id == Lot.product_id)
                .where(DeliveryNote.order_id == order.id)
            ):
                cost += value_of(int(quantity), lot.unit_cost_cents, product.unit.base_per_unit)
            for line in order.lines:
                if line.recipe_id is None:
                    continue
                recipe = session.get(Recipe, line.recipe_id)
                if recipe is None:
                    continue
                unit_cost, per = recipe_unit_cost(session, recipe)
                cost += -(-unit_cost * portions(line, order.guests) * line.portion // per)
            rows.append(OrderMargin(order.number, local_day(order.event_at), customer, order.guests, taxable, cost))
        return Takings(dict(by_method), tuple(rows))
