"""The waste and impact reports through the per-day summaries equal the same reports read from the
raw tables only, and the raw tables recomputed here by plain SQL: over generated history, with
today's records, a sale completed today, and waste that landed on a day after it was summarised."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from orto.db import Database
from orto.localtime import ROME, day_bounds
from orto.models import (
    Product,
    Sale,
    SalesDayHour,
    SalesDayLine,
    SalesDayLot,
    SalesDayMark,
    SalesDayPayment,
    SaleStatus,
    Unit,
    WasteDay,
    WasteRecord,
)
from pos.reports.filters import resolve_scope
from pos.reports.impact import impact_report
from pos.reports.model import Report
from pos.reports.summaries import ensure_summaries, waste_watermark
from pos.reports.waste import waste_report
from tests.reports_shop import demo_with_history


def _assert_same(summarised: Report, raw: Report) -> None:
    assert summarised.summary == raw.summary
    for mine, theirs in zip(summarised.tables, raw.tables, strict=True):
        assert mine.rows == theirs.rows, mine.title
        assert mine.total == theirs.total, mine.title
    assert summarised.charts == raw.charts
    assert summarised == raw


def _figure(report: Report, label_start: str) -> int:
    return next(int(f.value) for f in report.summary if str(f.label).startswith(label_start))


def _check(db: Database, site: str | None, first: date, last: date) -> None:
    with db.read() as session:
        scope = resolve_scope(session, site, first, last)
        waste, raw_waste = waste_report(session, scope), waste_report(session, scope, summaries=False)
        impact, raw_impact = impact_report(session, scope), impact_report(session, scope, summaries=False)
        # recomputed apart from the report's code: the raw records of the period, summed
        start, end = day_bounds(first, last)
        where = [WasteRecord.at >= start, WasteRecord.at < end]
        if scope.site_id is not None:
            where.append(WasteRecord.site_id == scope.site_id)
        records, value, grams = session.execute(
            select(
                func.count(WasteRecord.id),
                func.coalesce(func.sum(WasteRecord.value_cents), 0),
                func.coalesce(func.sum(func.iif(Product.unit != Unit.PIECE, WasteRecord.quantity, 0)), 0)
                if db.dialect == "sqlite"
                else func.coalesce(
                    func.sum(WasteRecord.quantity).filter(Product.unit != Unit.PIECE),
                    0,
                ),
            )
            .join(Product, Product.id == WasteRecord.product_id)
            .where(*where)
        ).one()
        sale_where = [Sale.status == SaleStatus.COMPLETED, Sale.completed_at >= start, Sale.completed_at < end]
        if scope.counter_ids is not None:
            sale_where.append(Sale.counter_id.in_(scope.counter_ids))
        net = session.scalar(select(func.coalesce(func.sum(Sale.total_cents), 0)).where(*sale_where))
    _assert_same(waste, raw_waste)
    _assert_same(impact, raw_impact)
    assert _figure(waste, "Waste records") == records
    assert _figure(waste, "Value at cost") == value
    assert _figure(waste, "Wasted, by weight") == grams
    assert _figure(impact, "Waste at cost") == value
    assert _figure(impact, "Net sales") == net
    assert _figure(waste, "Net sales") == net


def _late_waste(db: Database, at: datetime) -> int:
    """A waste record like the newest one, at ``at`` (a till whose clock is behind, say)."""
    with db.write() as session:
        model = session.scalars(select(WasteRecord).order_by(WasteRecord.id.desc()).limit(1)).one()
        record = WasteRecord(
            site_id=model.site_id,
            location_id=model.location_id,
            product_id=model.product_id,
            lot_id=model.lot_id,
            quantity=1234,
            reason=model.reason,
            value_cents=5678,
            at=at,
        )
        session.add(record)
        session.flush()
        return record.id


def test_waste_and_impact_through_the_summaries_equal_the_raw_tables(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = datetime.now(ROME).date()
    first, last = demo_with_history(db, monkeypatch, today)
    with db.read() as session:  # the history generator left every record summarised
        through = waste_watermark(session)
        assert through == session.scalar(select(func.max(WasteRecord.id)))
        assert session.scalar(select(func.max(WasteDay.day))) == last
    with db.write() as session:  # a sale completed today (faked on the history: see test_reports_summaries)
        for model in (SalesDayMark, SalesDayLine, SalesDayHour, SalesDayPayment, SalesDayLot):
            session.execute(delete(model))
        latest = session.scalar(select(func.max(Sale.id)).where(Sale.status == SaleStatus.COMPLETED))
        on = " ON sales" if db.dialect == "postgresql" else ""
        session.execute(text(f"DROP TRIGGER IF EXISTS sales_completed_no_update{on}"))
        session.execute(update(Sale).where(Sale.id == latest).values(completed_at=datetime.now(UTC)))
    assert ensure_summaries(db, today) > 0
    yesterday_noon = datetime.combine(last, time(12), ROME).astimezone(UTC)
    late = _late_waste(db, yesterday_noon)  # lands on a day already summarised
    now = _late_waste(db, datetime.now(UTC))  # today's
    later = _late_waste(db, yesterday_noon)  # late again, after today's first record
    middle = first + (last - first) // 2
    periods = (
        (None, first - timedelta(days=3), today),
        (None, middle, last),
        (None, last, last),
        ("pal", first, today),
        (None, today, today),
        (None, first, first + timedelta(days=70)),  # by month
    )
    for site, start, end in periods:
        _check(db, site, start, end)
    # the next run takes the late record onto its day; today's, and what came after it, stay raw
    ensure_summaries(db, today)
    with db.read() as session:
        assert waste_watermark(session) == now - 1 == late
        assert session.scalar(select(func.sum(WasteDay.records)).where(WasteDay.through_id == late)) == 1
        assert session.scalar(select(WasteDay.day).where(WasteDay.through_id == late)) == last
    for site, start, end in periods:
        _check(db, site, start, end)
    # tomorrow: everything up to the last record is summarised, nothing twice
    ensure_summaries(db, today + timedelta(days=1))
    with db.read() as session:
        assert waste_watermark(session) == later
        assert session.scalar(select(func.sum(WasteDay.records))) == session.scalar(
            select(func.count()).select_from(WasteRecord)
        )
    for site, start, end in periods:
        _check(db, site, start, end)
