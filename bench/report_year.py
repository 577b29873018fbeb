"""The sales report over a year of three sites (≥ 1,000,000 sale lines): CSV ≤ 1 s, PDF ≤ 3 s,
peak memory ≤ 500 MB, each ≤ 2× the bare SQL aggregate measured in the same run.

The report reads the closed days from the per-day summaries (``pos.reports.summaries``). The
bench first summarises the whole cached year again (the summaries dropped, then
``ensure_summaries``): the nightly cost, a year of nights at once. The floor is the report's
aggregates over the summary tables sent through plain ``sqlite3`` (no SQLAlchemy, no folding, no
rendering); the old floor, the same aggregates over the raw tables, is printed for comparison.
The year is built once by ``generate_year.py`` into /tmp/orto-bench/year.sqlite3 and reused.
"""

from __future__ import annotations

import resource
import sqlite3
import time
from datetime import date
from pathlib import Path

from _common import machine, scratch, verdict
from generate_year import DEFAULT_PATH, TODAY, year_database
from sqlalchemy import delete, select

from orto.db import Database
from orto.i18n import set_language
from orto.models import SalesDayHour, SalesDayLine, SalesDayMark, SalesDayPayment, User
from orto.policy import Operator, Role, issue
from orto.schema import upgrade
from pos.reports import make_report, write_report
from pos.reports.summaries import ensure_summaries

FIRST, LAST = date(2025, 11, 25), date(2026, 11, 24)



def reporter(db: Database) -> Operator:
    """A manager of the year's database, as a login would give it (the PIN check is not measured)."""
    with db.read() as session:
        user = session.scalars(select(User).where(User.role == Role.MANAGER, User.active.is_(True))).first()
        assert user is not None, "the year's database has no manager"
        return issue(user.id, user.name, user.role)

def summary_aggregate(path: Path) -> float:
    """The report's aggregates over the summary tables in plain sqlite3: the floor now."""
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    days = (FIRST.isoformat(), LAST.isoformat())
    conn.execute(
        "SELECT product_id, vat_rate_bp, SUM(quantity), SUM(total_cents) FROM sales_day_lines "
        "WHERE day >= ? AND day <= ? GROUP BY product_id, vat_rate_bp",
        days,
    ).fetchall()
    for groups in ("day, kind, social", "hour, kind", "counter_id, kind"):
        conn.execute(
            f"SELECT {groups}, SUM(sales), SUM(total_cents) FROM sales_day_hours WHERE day >= ? AND day <= ? "
            f"GROUP BY {groups}",
            days,
        ).fetchall()
    conn.execute(
        "SELECT method, SUM(payments), SUM(amount_cents) FROM sales_day_payments WHERE day >= ? AND day <= ? "
        "GROUP BY method",
        days,
    ).fetchall()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def bare_aggregate(path: Path) -> float:
    """The old floor: the report's aggregates over the raw tables in plain sqlite3, same filters, same groups."""
    from orto.localtime import day_bounds

    start, end = (moment.replace(tzinfo=None).isoformat(sep=" ") for moment in day_bounds(FIRST, LAST))
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    where = "s.status = 'completed' AND s.completed_at >= ? AND s.completed_at < ?"
    conn.execute(
        "SELECT l.product_id, l.vat_rate_bp, SUM(CASE WHEN l.original_line_id IS NULL THEN l.quantity "
        "ELSE -l.quantity END), SUM(l.total_cents) FROM sale_lines l "
        f"WHERE l.sale_id IN (SELECT s.id FROM sales s WHERE {where}) GROUP BY l.product_id, l.vat_rate_bp",
        (start, end),
    ).fetchall()
    conn.execute(
        "SELECT s.counter_id, strftime('%Y-%m-%d %H', s.completed_at) AS h, s.kind, s.price_list_id = 2, count(*), "
        f"SUM(s.total_cents) FROM sales s WHERE {where} GROUP BY s.counter_id, h, s.kind, s.price_list_id = 2",
        (start, end),
    ).fetchall()
    conn.execute(
        "SELECT p.method, count(*), SUM(p.amount_cents) FROM payments p JOIN sales s ON s.id = p.sale_id "
        f"WHERE {where} GROUP BY p.method",
        (start, end),
    ).fetchall()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    set_language("it")
    print(f"machine: {machine()}")
    db, built = year_database(DEFAULT_PATH)
    with sqlite3.connect(DEFAULT_PATH) as conn:
        lines = conn.execute("SELECT count(*) FROM sale_lines").fetchone()[0]
        waste = conn.execute("SELECT count(*) FROM waste_records").fetchone()[0]
        batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
        readings = conn.execute("SELECT count(*) FROM critical_readings").fetchone()[0]
    print(f"year to {TODAY}: {lines:,} sale lines, {waste:,} waste records, {batches:,} batches, {readings:,} readings")
    if built is not None:
        print(f"(built now in {built:.0f} s; cached for the next run)")
    changed, backup = upgrade(db)
    if changed:
        print("(schema of the cached year upgraded to head)")
    if backup is not None:
        backup.unlink()  # the cache can be rebuilt: no need to keep its copy
    with db.write() as session:  # summarise the whole year again, to time it
        for model in (SalesDayMark, SalesDayLine, SalesDayHour, SalesDayPayment):
            session.execute(delete(model))
    started = time.perf_counter()
    summarised = ensure_summaries(db, TODAY)
    nightly = time.perf_counter() - started
    started = time.perf_counter()
    ensure_summaries(db, TODAY)
    nothing = time.perf_counter() - started
    folder = scratch()
    # warm: the file's pages in the OS cache, imports done
    make_report(db, "sales", first=FIRST, last=LAST, actor=reporter(db))

    floor = min(summary_aggregate(DEFAULT_PATH) for _ in range(3))
    raw_floor = min(bare_aggregate(DEFAULT_PATH) for _ in range(3))
    results = {}
    for fmt in ("csv", "pdf"):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = make_report(db, "sales", first=FIRST, last=LAST, actor=reporter(db))
            write_report(report, folder / f"sales.{fmt}", fmt)
            times.append(time.perf_counter() - started)
        results[fmt] = min(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"summarising the year: {summarised:,} (day, counter) in {nightly:.2f} s "
        f"(a night's day: ~{nightly / 365 * 1000:.0f} ms); with nothing to summarise: {nothing * 1000:.0f} ms"
    )
    print(f"bare SQL aggregate over the summaries (plain sqlite3, the report's queries): {floor:.3f} s")
    print(f"old floor, the same over the raw tables: {raw_floor:.2f} s")
    for fmt, target in (("csv", 1.0), ("pdf", 3.0)):
        seconds = results[fmt]
        ok = seconds <= target and seconds <= 2 * floor
        print(
            f"sales report, one year, {fmt.upper()}: {seconds:.2f} s (target ≤ {target:.0f} s and ≤ 2× floor = "
            f"{2 * floor:.3f} s; {seconds / floor:.1f}× the floor, {seconds / raw_floor:.2f}× the old floor) "
            f"{verdict(ok)}"
        )
    print(f"peak memory of the process (ru_maxrss): {peak_mb:.0f} MB (target ≤ 500 MB) {verdict(peak_mb <= 500)}")


if __name__ == "__main__":
    main()
