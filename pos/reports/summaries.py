"""Per-day summaries of closed days, so that the sales report over a year reads a few thousand
summary rows instead of a million sale lines.

``ensure_summaries(db, before)`` summarises, in one write transaction, every (Milan day, counter)
strictly before ``before`` that has completed sales and is not summarised yet: its lines by
(product, VAT rate), its sales by (local hour, kind, social tariff) and its payments by method,
each computed by SQL aggregates (``INSERT … SELECT`` per day, or grouped rows folded into local
hours and written with one ``executemany``), then marks the (day, counter) in ``sales_day_marks``.

Past days never change: a refund is a new sale on its own day, a parked sale is counted on the day
it completes, so once a day is over its summary stays true and is written once. Today is never
summarised (the till is still selling). The scan for work starts the day after the newest mark,
so a call with nothing to do reads only the sales since then, and takes no write turn. With the
lines by product, the same pass writes the lines by the lot they sold (``sales_day_lots``), for
the impact report's km0 share of sales.

Waste is different: a record can land on a day already summarised (a till whose clock is behind,
a transaction that began before midnight and committed after; on PostgreSQL ids are not handed
out in commit order either). So waste is summarised by id, not by closed day: ``waste_days``
holds every record up to a watermark (``summary_watermarks``), each on its own Milan day, and
the reports read the records after the watermark raw, whatever their day. Each run moves the
watermark to the last id before the first record of today, so today stays raw; a late record of
yesterday is read raw until the next run adds it to yesterday's summary (a row of its own, keyed
by the run's watermark). On PostgreSQL the run first locks the waste table against writers
(SHARE mode: it waits for the writes under way), so no id below the watermark commits after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, insert, literal, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from orto.db import Database
from orto.localtime import day_bounds
from orto.models import (
    Payment,
    PriceList,
    Sale,
    SaleLine,
    SalesDayHour,
    SalesDayLine,
    SalesDayLot,
    SalesDayMark,
    SalesDayPayment,
    SaleStatus,
    StockMovement,
    SummaryWatermark,
    WasteDay,
    WasteRecord,
)
from orto.models.base import table_of
from pos.reports.buckets import local_hour, utc_hour

# (day, counter) -> (local hour, kind, social) -> [sales, total cents]
Pending = dict[tuple[date, int], dict[tuple[int, Any, bool], list[int]]]


def summarised_through(session: Session) -> date | None:
    """The newest summarised day: every (day, counter) with sales up to it is summarised."""
    return session.scalar(select(func.max(SalesDayMark.day)))


def social_tariff(session: Session) -> ColumnElement[bool]:
    """True for a sale at the tessera di quartiere's price list (the social tariff)."""
    tessera = session.scalar(select(PriceList.id).where(PriceList.code == "tessera"))
    return Sale.price_list_id == tessera if tessera is not None else Sale.id.is_(None)


WASTE = "waste_records"


def sold_lot() -> ColumnElement[Any]:
    """The lot a sale line sold: its own, else the one its stock movement took (the generated
    history and untracked sales leave the line's lot empty); a line split over two lots counts as
    the first."""
    moved = (
        select(func.min(StockMovement.lot_id))
        .where(StockMovement.doc_type == "sale_line", StockMovement.doc_id == SaleLine.id)
        .scalar_subquery()
    )
    return func.coalesce(SaleLine.lot_id, moved)


def ensure_summaries(db: Database, before: date) -> int:
    """Summarise every closed (day, counter) before ``before`` not yet summarised, and the waste
    recorded before that day and after the watermark; how many (day, counter) were summarised."""
    with db.read() as session:
        if not _pending(session, before) and _waste_cut(session, before) is None:
            return 0
    with db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            # the writes under way finish first, so no id under the new watermark commits after it
            session.execute(text("LOCK TABLE waste_records IN SHARE MODE"))
        pending = _pending(session, before)  # again, in the writer's turn: another may have done it
        _write(session, pending)
        _summarise_waste(session, before)
        return len(pending)


def waste_watermark(session: Session) -> int:
    """Every waste record with an id up to this one is in ``waste_days``; none after it is."""
    return int(session.scalar(select(SummaryWatermark.through_id).where(SummaryWatermark.name == WASTE)) or 0)


def _waste_cut(session: Session, before: date) -> tuple[int, int] | None:
    """(old watermark, new watermark), or None when there is nothing to summarise: the new one is
    the last id before the first record on or after ``before``."""
    old = waste_watermark(session)
    first_open = session.scalar(select(func.min(WasteRecord.id)).where(WasteRecord.at >= day_bounds(before)[0]))
    new = int(first_open) - 1 if first_open is not None else int(session.scalar(select(func.max(WasteRecord.id))) or 0)
    return (old, new) if new > old else None


def _summarise_waste(session: Session, before: date) -> None:
    cut = _waste_cut(session, before)
    if cut is None:
        return
    old, new = cut
    hour = utc_hour(session, WasteRecord.at)
    days: dict[tuple[date, int, int, Any], list[int]] = defaultdict(lambda: [0, 0, 0])
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
        .where(WasteRecord.id > old, WasteRecord.id <= new)
        .group_by(hour, WasteRecord.site_id, WasteRecord.product_id, WasteRecord.reason)
    ):
        cell = days[(local_hour(bucket).date(), site_id, product_id, reason)]
        cell[0] += int(n)
        cell[1] += int(quantity or 0)
        cell[2] += int(value or 0)
    if days:
        session.execute(
            insert(table_of(WasteDay)),
            [
                {
                    "day": day,
                    "site_id": site_id,
                    "product_id": product_id,
                    "reason": reason,
                    "through_id": new,
                    "records": n,
                    "quantity": quantity,
                    "value_cents": value,
                }
                for (day, site_id, product_id, reason), (n, quantity, value) in days.items()
            ],
        )
    if old:
        session.execute(update(SummaryWatermark).where(SummaryWatermark.name == WASTE).values(through_id=new))
    else:
        session.execute(insert(SummaryWatermark).values(name=WASTE, through_id=new))


def _pending(session: Session, before: date) -> Pending:
    newest = summarised_through(session)
    end = day_bounds(before)[0]
    where = [Sale.status == SaleStatus.COMPLETED, Sale.completed_at < end]
    if newest is not None:
        if newest + timedelta(days=1) >= before:
            return {}
        where.append(Sale.completed_at >= day_bounds(newest + timedelta(days=1))[0])
    hour = utc_hour(session, Sale.completed_at)
    social = social_tariff(session)
    pending: Pending = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for counter_id, bucket, kind, is_social, n, total in session.execute(
        select(Sale.counter_id, hour, Sale.kind, social, func.count(), func.sum(Sale.total_cents))
        .where(*where)
        .group_by(Sale.counter_id, hour, Sale.kind, social)
    ):
        moment = local_hour(bucket)
        cell = pending[(moment.date(), counter_id)][(moment.hour, kind, bool(is_social))]
        cell[0] += int(n)
        cell[1] += int(total or 0)
    if pending:
        first = min(day for day, _c in pending)
        marks = select(SalesDayMark.day, SalesDayMark.counter_id).where(SalesDayMark.day >= first)
        for day, counter_id in session.execute(marks):
            pending.pop((day, counter_id), None)
    return pending


def _write(session: Session, pending: Pending) -> None:
    if not pending:
        return
    by_day: dict[date, list[int]] = defaultdict(list)
    for day, counter_id in pending:
        by_day[day].append(counter_id)
    refunded = SaleLine.original_line_id.is_not(None)
    lot = sold_lot()
    for day, counter_ids in sorted(by_day.items()):
        start, end = day_bounds(day)
        where = [
            Sale.status == SaleStatus.COMPLETED,
            Sale.completed_at >= start,
            Sale.completed_at < end,
            # "+ 0": the counter must not pick the (counter, status) index, which on a database
            # without ANALYZE statistics SQLite prefers to the day's range of completed_at, and
            # which holds the counter's whole history: a night's summary grew with every year
            (Sale.counter_id + 0).in_(sorted(counter_ids)),
        ]
        the_day = literal(day, SalesDayLine.day.type)
        session.execute(
            insert(SalesDayLine).from_select(
                ["day", "counter_id", "product_id", "vat_rate_bp", "quantity", "total_cents"],
                select(
                    the_day,
                    Sale.counter_id,
                    SaleLine.product_id,
                    SaleLine.vat_rate_bp,
                    func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
                    func.sum(SaleLine.total_cents),
                )
                .join(Sale, Sale.id == SaleLine.sale_id)
                .where(*where)
                .group_by(Sale.counter_id, SaleLine.product_id, SaleLine.vat_rate_bp),
            )
        )
        session.execute(
            insert(SalesDayLot).from_select(
                ["day", "counter_id", "lot_id", "product_id", "quantity", "total_cents"],
                select(
                    the_day,
                    Sale.counter_id,
                    lot,
                    SaleLine.product_id,
                    func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
                    func.sum(SaleLine.total_cents),
                )
                .join(Sale, Sale.id == SaleLine.sale_id)
                .where(*where)
                .group_by(Sale.counter_id, lot, SaleLine.product_id),
            )
        )
        session.execute(
            insert(SalesDayPayment).from_select(
                ["day", "counter_id", "method", "payments", "amount_cents"],
                select(the_day, Sale.counter_id, Payment.method, func.count(), func.sum(Payment.amount_cents))
                .join(Sale, Sale.id == Payment.sale_id)
                .where(*where)
                .group_by(Sale.counter_id, Payment.method),
            )
        )
    hours: list[dict[str, Any]] = [
        {
            "day": day,
            "counter_id": counter_id,
            "hour": hour,
            "kind": kind,
            "social": social,
            "sales": n,
            "total_cents": total,
        }
        for (day, counter_id), cells in pending.items()
        for (hour, kind, social), (n, total) in cells.items()
    ]
    session.execute(insert(table_of(SalesDayHour)), hours)
    marks: Sequence[dict[str, Any]] = [{"day": day, "counter_id": counter_id} for day, counter_id in pending]
    session.execute(insert(table_of(SalesDayMark)), marks)
