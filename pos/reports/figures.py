"""Figures several reports share, computed one way so that they agree: net takings, waste at
cost, kilos rescued by the lab, shares in basis points."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from orto.models import Batch, Product, Sale, Unit, WasteRecord
from orto.money import div_round_half_up
from pos.reports.filters import Scope
from pos.reports.scope_sql import at_site, completed_sales, in_period


def share_bp(part: int, whole: int) -> int:
    """Part of the whole in basis points (10000 = 100 %), to a tenth of a percent, half up."""
    if whole <= 0:
        return 0
    return div_round_half_up(part * 1000, whole) * 10


def net_sales(session: Session, scope: Scope) -> int:
    """Completed sales net of refunds: the sum of the Z reports' net over the same days."""
    return int(session.scalar(select(func.coalesce(func.sum(Sale.total_cents), 0)).where(*completed_sales(scope))) or 0)


@dataclass(frozen=True)
class WasteTotals:
    records: int
    value_cents: int
    grams: int  # products sold by kg or litre (grams or millilitres)
    pieces: int


def waste_conditions(scope: Scope) -> list[ColumnElement[bool]]:
    return [*in_period(WasteRecord.at, scope), *at_site(WasteRecord.site_id, scope)]


def waste_totals(session: Session, scope: Scope) -> WasteTotals:
    by_weight = Product.unit != Unit.PIECE
    row = session.execute(
        select(
            func.count(WasteRecord.id),
            func.coalesce(func.sum(WasteRecord.value_cents), 0),
            func.coalesce(func.sum(case((by_weight, WasteRecord.quantity), else_=0)), 0),
            func.coalesce(func.sum(case((by_weight, 0), else_=WasteRecord.quantity)), 0),
        )
        .join(Product, Product.id == WasteRecord.product_id)
        .where(*waste_conditions(scope))
    ).one()
    return WasteTotals(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def rescued_grams(session: Session, scope: Scope) -> int:
    """Produce near its date that the lab turned into preserves, by the batches started in the period."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Batch.rescued_quantity_g), 0)).where(
                *in_period(Batch.started_at, scope), *at_site(Batch.site_id, scope)
            )
        )
        or 0
    )


def waste_rate_bp(waste_cents: int, sales_cents: int) -> int:
    """Waste value / (sales + waste value): the share of what we had that we lost."""
    return share_bp(waste_cents, sales_cents + waste_cents)
