"""The waste and impact reports' grouped rows, read from the per-day summaries where a day (or a
record) is summarised and from the raw tables for the rest, merged into the same groups: the
figures are identical either way (``summaries=False`` reads the raw tables only).

Sales come by (day, counter) under ``sales_day_marks`` like the sales report: the summaries up to
the newest mark, the raw rows after it. Waste comes by id under its watermark: ``waste_days`` for
every record up to it, the raw records after it (today's, and any that landed late on a day
already summarised), each folded onto its Milan day (see ``pos.reports.summaries``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from orto.models import (
    Counter,
    Product,
    Sale,
    SaleLine,
    SalesDayHour,
    SalesDayLot,
    Unit,
    WasteDay,
    WasteReason,
    WasteRecord,
)
from pos.reports.buckets import local_hour, utc_hour
from pos.reports.filters import Scope
from pos.reports.scope_sql import at_site, completed_sales, in_period
from pos.reports.summaries import social_tariff, sold_lot, summarised_through, waste_watermark

# (Milan day, site, product, reason) -> [records, base units, value at cost in cents]
WasteDays = dict[tuple[date, int, int, WasteReason], list[int]]
# (counter, kind, social tariff) -> [sales, total cents]
SalesTotals = dict[tuple[int, Any, bool], list[int]]
# (site, lot or None, unit) -> [signed base units, total cents]
SoldLots = dict[tuple[int, int | None, Unit], list[int]]


def waste_days(session: Session, scope: Scope, *, summaries: bool = True) -> WasteDays:
    """The period's waste by Milan day, site, product and reason."""
    out: WasteDays = defaultdict(lambda: [0, 0, 0])
    through = waste_watermark(session) if summaries else 0
    if through:
        days = [WasteDay.day >= scope.first, WasteDay.day <= scope.last, *at_site(WasteDay.site_id, scope)]
        for day, site_id, product_id, reason, n, quantity, value in session.execute(
            select(
                WasteDay.day,
                WasteDay.site_id,
                WasteDay.product_id,
                WasteDay.reason,
                func.sum(WasteDay.records),
                func.sum(WasteDay.quantity),
                func.sum(WasteDay.value_cents),
            )
            .where(*days)
            .group_by(WasteDay.day, WasteDay.site_id, WasteDay.product_id, WasteDay.reason)
        ):
            _add(out[(day, site_id, product_id, WasteReason(reason))], n, quantity, value)
    hour = utc_hour(session, WasteRecord.at)
    for bucket, site_id, product_id, reason, n, quantity, value in session.execute(
        select(
            hour,
            WasteRecord.site_id,
            WasteRecord.product_id,
            WasteRecord.reason,
            func.count(),
            func.sum(WasteRecord.quantity),
            func.sum(WasteRecord.value_cents),
        )
        .where(WasteRecord.id > through, *in_period(WasteRecord.at, scope), *at_site(WasteRecord.site_id, scope))
        .group_by(hour, WasteRecord.site_id, WasteRecord.product_id, WasteRecord.reason)
    ):
        _add(out[(local_hour(bucket).date(), site_id, product_id, WasteReason(reason))], n, quantity, value)
    return out


def _add(cell: list[int], *values: Any) -> None:
    for i, value in enumerate(values):
        cell[i] += int(value or 0)


def _sales_split(session: Session, scope: Scope, summaries: bool) -> tuple[date | None, Scope | None]:
    """The last summarised day read from the summaries (None: none) and the scope left raw."""
    newest = summarised_through(session) if summaries else None
    if newest is None or newest < scope.first:
        return None, scope
    last = min(newest, scope.last)
    rest = replace(scope, first=last + timedelta(days=1)) if last < scope.last else None
    return last, rest


def _summary_days(model: Any, scope: Scope, last: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [model.day >= scope.first, model.day <= last]
    if scope.counter_ids is not None:
        conditions.append(model.counter_id.in_(scope.counter_ids))
    return conditions


def sales_totals(session: Session, scope: Scope, *, summaries: bool = True) -> SalesTotals:
    """Completed sales of the period by counter, kind and social tariff: how many, their total."""
    out: SalesTotals = defaultdict(lambda: [0, 0])
    last, rest = _sales_split(session, scope, summaries)
    if last is not None:
        for counter_id, kind, social, n, total in session.execute(
            select(
                SalesDayHour.counter_id,
                SalesDayHour.kind,
                SalesDayHour.social,
                func.sum(SalesDayHour.sales),
                func.sum(SalesDayHour.total_cents),
            )
            .where(*_summary_days(SalesDayHour, scope, last))
            .group_by(SalesDayHour.counter_id, SalesDayHour.kind, SalesDayHour.social)
        ):
            _add(out[(counter_id, kind, bool(social))], n, total)
    if rest is not None:
        tariff = social_tariff(session)
        for counter_id, kind, is_social, n, total in session.execute(
            select(Sale.counter_id, Sale.kind, tariff, func.count(), func.sum(Sale.total_cents))
            .where(*completed_sales(rest))
            .group_by(Sale.counter_id, Sale.kind, tariff)
        ):
            _add(out[(counter_id, kind, bool(is_social))], n, total)
    return out


def sold_lots(session: Session, scope: Scope, *, summaries: bool = True) -> SoldLots:
    """Net sale lines (refunds off) of the period by selling site, lot and unit."""
    out: SoldLots = defaultdict(lambda: [0, 0])
    last, rest = _sales_split(session, scope, summaries)
    if last is not None:
        for site_id, lot_id, unit, quantity, total in session.execute(
            select(
                Counter.site_id,
                SalesDayLot.lot_id,
                Product.unit,
                func.sum(SalesDayLot.quantity),
                func.sum(SalesDayLot.total_cents),
            )
            .join(Counter, Counter.id == SalesDayLot.counter_id)
            .join(Product, Product.id == SalesDayLot.product_id)
            .where(*_summary_days(SalesDayLot, scope, last))
            .group_by(Counter.site_id, SalesDayLot.lot_id, Product.unit)
        ):
            _add(out[(site_id, lot_id, Unit(unit))], quantity, total)
    if rest is not None:
        refunded = SaleLine.original_line_id.is_not(None)
        lot = sold_lot()
        for site_id, lot_id, unit, quantity, total in session.execute(
            select(
                Counter.site_id,
                lot,
                Product.unit,
                func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
                func.sum(SaleLine.total_cents),
            )
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Counter, Counter.id == Sale.counter_id)
            .join(Product, Product.id == SaleLine.product_id)
            .where(*completed_sales(rest))
            .group_by(Counter.site_id, lot, Product.unit)
        ):
            _add(out[(site_id, lot_id, Unit(unit))], quantity, total)
    return out
