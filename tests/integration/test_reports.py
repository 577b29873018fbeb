"""Report figures against sums computed here from the raw rows (plain SQL rows, Python sums),
never against the reports' own queries; and the reports agree with each other."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from orto.db import Database
from pos.reports import make_report
from pos.reports.model import Report, Table
from tests.factories import manager as reporter
from tests.reports_shop import demo_with_history

ROME = ZoneInfo("Europe/Rome")


def _table(report: Report, title: str) -> Table:
    return next(t for t in report.tables if t.title == title)


def _local_day(value: datetime | str) -> date:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC).astimezone(ROME).date()


def _sales_rows(db: Database) -> list[tuple[int, str, str, datetime, int, int | None]]:
    with db.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                text(
                    "SELECT s.id, c.code, st.code, s.completed_at, s.total_cents, s.price_list_id "
                    "FROM sales s JOIN counters c ON c.id = s.counter_id JOIN sites st ON st.id = c.site_id "
                    "WHERE s.status = 'completed'"
                )
            )
        ]


def test_sales_report_matches_the_rows_and_the_z_reports(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first, last = demo_with_history(db, monkeypatch)
    middle = first + (last - first) // 2
    report = make_report(db, "sales", first=middle, last=last, actor=reporter(db))
    sales = [r for r in _sales_rows(db) if middle <= _local_day(r[3]) <= last]
    expected_net = sum(r[4] for r in sales)
    assert expected_net > 0
    summary = {f.label: f.value for f in report.summary}
    assert summary["Net takings (€)"] == expected_net
    assert summary["Sales"] == len(sales)

    per_site: dict[str, int] = defaultdict(int)
    for r in sales:
        per_site[r[2]] += r[4]
    assert {row[0]: row[3] for row in _table(report, "By site").rows} == per_site

    per_day: dict[date, int] = defaultdict(int)
    for r in sales:
        per_day[_local_day(r[3])] += r[4]
    assert {row[0]: row[2] for row in _table(report, "By day").rows} == per_day

    with db.read() as session:
        payments = session.execute(
            text("SELECT p.method, p.amount_cents, s.completed_at FROM payments p JOIN sales s ON s.id = p.sale_id")
        ).all()
        lines = session.execute(
            text(
                "SELECT l.vat_rate_bp, l.total_cents, s.completed_at FROM sale_lines l JOIN sales s ON s.id = l.sale_id"
            )
        ).all()
        z_rows = session.execute(text("SELECT business_date, totals FROM z_reports")).all()
    by_method: dict[str, int] = defaultdict(int)
    for method, amount, at in payments:
        if middle <= _local_day(at) <= last:
            by_method[method] += amount
    method_rows = _table(report, "By payment method").rows
    assert sorted(row[2] for row in method_rows) == sorted(by_method.values())
    by_rate: dict[int, int] = defaultdict(int)
    for rate, total, at in lines:
        if middle <= _local_day(at) <= last:
            by_rate[rate] += total
    assert {row[0]: row[1] for row in _table(report, "By VAT rate").rows} == by_rate

    import json

    z_net = 0
    for day, totals in z_rows:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        if middle <= day <= last:
            z_net += (json.loads(totals) if isinstance(totals, str) else totals)["net_cents"]
    assert z_net == expected_net, "sales equal the sum of the Z reports"
    z_report = make_report(db, "z", first=middle, last=last, actor=reporter(db))
    assert _table(z_report, "Z reports by counter and day").total[4] == expected_net  # type: ignore[index]

    pal = make_report(db, "sales", site="pal", first=middle, last=last, actor=reporter(db))
    assert {f.label: f.value for f in pal.summary}["Net takings (€)"] == per_site["PAL"]


def test_waste_report_and_impact_report_agree(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first, last = demo_with_history(db, monkeypatch)
    with db.read() as session:
        waste = session.execute(
            text(
                "SELECT w.quantity, w.value_cents, w.at, p.unit, w.reason "
                "FROM waste_records w JOIN products p ON p.id = w.product_id"
            )
        ).all()
        rescued = session.execute(text("SELECT rescued_quantity_g, started_at FROM batches")).all()
    inside = [w for w in waste if first <= _local_day(w[2]) <= last]
    value = sum(w[1] for w in inside)
    grams = sum(w[0] for w in inside if w[3] != "pz")
    pieces = sum(w[0] for w in inside if w[3] == "pz")
    assert value > 0 and grams > 0 and pieces > 0
    net = sum(r[4] for r in _sales_rows(db) if first <= _local_day(r[3]) <= last)

    report = make_report(db, "waste", first=first, last=last, actor=reporter(db))
    summary = {f.label: f.value for f in report.summary}
    assert summary["Value at cost (€)"] == value
    assert summary["Wasted, by weight (kg)"] == grams
    assert summary["Wasted, pieces"] == pieces
    # waste / (sales + waste), in basis points to a tenth of a percent
    assert summary["Waste rate: waste / (sales + waste)"] == round(value * 1000 / (net + value)) * 10
    assert summary["Rescued by the lab (kg)"] == sum(g for g, at in rescued if first <= _local_day(at) <= last)
    by_reason: dict[str, int] = defaultdict(int)
    for w in inside:
        by_reason[w[4]] += w[1]
    assert sorted(row[3] for row in _table(report, "By reason").rows) == sorted(by_reason.values())

    impact = make_report(db, "impact", first=first, last=last, actor=reporter(db))
    figures = {f.label: f.value for f in impact.summary}
    assert figures["Waste at cost (€)"] == summary["Value at cost (€)"]
    assert figures["Waste by weight (kg)"] == summary["Wasted, by weight (kg)"]
    assert figures["Net sales (€)"] == net
    assert figures["Rescued by the lab (kg)"] == summary["Rescued by the lab (kg)"]


def test_impact_km0_share_by_value(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first, last = demo_with_history(db, monkeypatch)
    with db.read() as session:
        rows = session.execute(
            text(  # km0: the producer (of origin, else the supplier) near the site; a distributor never
                "SELECT l.quantity, l.unit_cost_cents, p.unit, d.received_at, sd.distance_km, s.kind "
                "FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id "
                "JOIN products p ON p.id = l.product_id "
                "JOIN suppliers s ON s.id = COALESCE(l.origin_supplier_id, d.supplier_id) "
                "LEFT JOIN supplier_distances sd ON sd.supplier_id = s.id AND sd.site_id = d.site_id "
                "WHERE l.accepted"
            )
        ).all()
    km0_value = other = 0
    kinds = set()
    for quantity, cost, unit, at, km, kind in rows:
        if first <= _local_day(at) <= last:
            cents = quantity * cost // (1 if unit == "pz" else 1000)
            kinds.add(kind)
            if km is not None and km <= 70 and kind != "distributor":
                km0_value += cents
            else:
                other += cents
    report = make_report(db, "impact", first=first, last=last, actor=reporter(db))
    figures = {f.label: f.value for f in report.summary}
    purchases = figures["Purchases from suppliers (€)"]
    assert isinstance(purchases, int)
    # the report rounds once per group, this sum truncates per line: a few cents apart at most
    assert abs(purchases - (km0_value + other)) <= len(rows)
    share = figures["km0 share of purchases, by value"]
    assert isinstance(share, int) and abs(share - km0_value * 10_000 // (km0_value + other)) <= 20
    assert "distributor" in kinds  # the demo buys from the drinks distributor, 47 km away: not km0


def test_stock_report_values_lots_at_their_cost(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_with_history(db, monkeypatch)
    with db.read() as session:
        rows = session.execute(
            text(
                "SELECT s.quantity, l.unit_cost_cents, p.unit FROM stock_levels s "
                "JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = s.product_id "
                "WHERE s.quantity > 0 AND l.origin <> 'untracked'"
            )
        ).all()
    expected = sum(q * c if unit == "pz" else (2 * q * c + 1000) // 2000 for q, c, unit in rows)
    report = make_report(db, "stock", actor=reporter(db))
    figures = {f.label: f.value for f in report.summary}
    assert figures["Lots on hand"] == len(rows)
    assert figures["Value at cost (€)"] == expected


def test_trace_report_follows_a_lot_into_the_lab_and_to_the_counters(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_history(db, monkeypatch)
    with db.read() as session:
        lot_id, code, output_id, output_code = session.execute(
            text(
                "SELECT l.id, l.code, o.id, o.code FROM batch_inputs i JOIN lots l ON l.id = i.lot_id "
                "JOIN batches b ON b.id = i.batch_id JOIN lots o ON o.id = b.output_lot_id "
                "WHERE l.origin = 'delivery' ORDER BY i.id LIMIT 1"
            )
        ).one()
        sold = {
            lot: -int(q)
            for lot, q in session.execute(
                text(
                    "SELECT lot_id, SUM(quantity) FROM stock_movements WHERE kind = 'sale' AND lot_id IN (:a, :b) "
                    "GROUP BY lot_id"
                ),
                {"a": lot_id, "b": output_id},
            )
        }
    report = make_report(db, "trace", lot=code, actor=reporter(db))
    assert _table(report, "One step back").rows[0][0] == code
    forward = _table(report, "One step forward").rows
    for lot, lot_code in ((lot_id, code), (output_id, output_code)):
        rows = [r for r in forward if r[1].lstrip("· ") == lot_code and r[2] == "sold"]
        assert sum((r[5] or 0) + (r[6] or 0) for r in rows) == sold.get(lot, 0)
    assert any(output_code in str(r[2]) for r in forward), "the batch that used the lot is named"
