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
from dataclasses import dataclass, field, replace
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

# (counter, kind, social tariff) -> [sales, total cents]
SalesTotals = dict[tuple[int, Any, bool], list[int]]
# (site, lot or None, sold by weight) -> [signed base units, total cents]
SoldLots = dict[tuple[int, int | None, bool], list[int]]


@dataclass
class WasteGroups:
    """The period's waste grouped two ways: by (site, product, reason) -> [records, base units,
    value at cost]; by Milan day -> [value at cost, grams or millilitres of goods sold by weight]."""

    by_key: dict[tuple[int, int, WasteReason], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    by_day: dict[date, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))


def waste_groups(session: Session, scope: Scope, *, summaries: bool = True) -> WasteGroups:
    """The summarised records from ``waste_days``, the others (after the watermark) raw; each group
    summed in SQL, so a year is a few thousand rows whichever way it is read."""
    out = WasteGroups()
    through = waste_watermark(session) if summaries else 0
    if through:
        days = [WasteDay.day >= scope.first, WasteDay.day <= scope.last, *at_site(WasteDay.site_id, scope)]
        for site_id, product_id, reason, n, quantity, value in session.execute(
            select(
                WasteDay.site_id,
                WasteDay.product_id,
                WasteDay.reason,
                func.sum(WasteDay.records),
                func.sum(WasteDay.quantity),
                func.sum(WasteDay.value_cents),
            )
            .where(*days)
            .group_by(WasteDay.site_id, WasteDay.product_id, WasteDay.reason)
        ):
            _add(out.by_key[(site_id, product_id, WasteReason(reason))], n, quantity, value)
        weighed = case((Product.unit != Unit.PIECE, WasteDay.quantity), else_=0)
        for day, value, grams in session.execute(
            select(WasteDay.day, func.sum(WasteDay.value_cents), func.sum(weighed))
            .join(Product, Product.id == WasteDay.product_id)
            .where(*days)
            .group_by(WasteDay.day)
        ):
            _add(out.by_day[day], value, grams)
    raw = [WasteRecord.id > through, *in_period(WasteRecord.at, scope), *at_site(WasteRecord.site_id, scope)]
    for site_id, product_id, reason, n, quantity, value in session.execute(
        select(
            WasteRecord.site_id,
            WasteRecord.product_id,
            WasteRecord.reason,
            func.count(),
            func.sum(WasteRecord.quantity),
            func.sum(WasteRecord.value_cents),
        )
        .where(*raw)
        .group_by(WasteRecord.site_id, WasteRecord.product_id, WasteRecord.reason)
    ):
        _add(out.by_key[(site_id, product_id, WasteReason(reason))], n, quantity, value)
    hour = utc_hour(session, WasteRecord.at)
    weighed = case((Product.unit != Unit.PIECE, WasteRecord.quantity), else_=0)
    for bucket, value, grams in session.execute(
        select(hour, func.sum(WasteRecord.value_cents), func.sum(weighed))
        .join(Product, Product.id == WasteRecord.product_id)
        .where(*raw)
        .group_by(hour)
    ):
        _add(out.by_day[local_hour(bucket).date()], value, grams)
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
    # an integer, not the unit: a year is some twenty thousand rows, each enum costs a conversion
    by_weight = case((Product.unit == Unit.PIECE, 0), else_=1)
    last, rest = _sales_split(session, scope, summaries)
    if last is not None:
        for site_id, lot_id, weighed, quantity, total in session.execute(
            select(
                Counter.site_id,
                SalesDayLot.lot_id,
                by_weight,
                func.sum(SalesDayLot.quantity),
                func.sum(SalesDayLot.total_cents),
            )
            .join(Counter, Counter.id == SalesDayLot.counter_id)
            .join(Product, Product.id == SalesDayLot.product_id)
            .where(*_summary_days(SalesDayLot, scope, last))
            .group_by(Counter.site_id, SalesDayLot.lot_id, by_weight)
        ):
            _add(out[(site_id, lot_id, bool(weighed))], quantity, total)
    if rest is not None:
        refunded = SaleLine.original_line_id.is_not(None)
        lot = sold_lot()
        for site_id, lot_id, weighed, quantity, total in session.execute(
            select(
                Counter.site_id,
                lot,
                by_weight,
                func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
                func.sum(SaleLine.total_cents),
            )
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Counter, Counter.id == Sale.counter_id)
            .join(Product, Product.id == SaleLine.product_id)
            .where(*completed_sales(rest))
            .group_by(Counter.site_id, lot, by_weight)
        ):
            _add(out[(site_id, lot_id, bool(weighed))], quantity, total)
    return out
