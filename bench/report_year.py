"""The sales report over a year of three sites (≥ 1,000,000 sale lines): CSV ≤ 1 s, PDF ≤ 3 s,
peak memory ≤ 500 MB, each ≤ 2× the bare SQL aggregate measured in the same run.

The bare aggregate is the same four GROUP BY queries the report runs, sent through plain
``sqlite3`` with no SQLAlchemy, no folding and no rendering: the floor any report must pay.
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

from orto.i18n import set_language
from pos.reports import make_report, write_report

FIRST, LAST = date(2025, 11, 25), date(2026, 11, 24)


def bare_aggregate(path: Path) -> float:
    """The report's aggregates in plain sqlite3, same filters, same groups."""
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
    folder = scratch()
    make_report(db, "sales", first=FIRST, last=LAST)  # warm: the file's pages in the OS cache, imports done

    floor = min(bare_aggregate(DEFAULT_PATH) for _ in range(3))
    results = {}
    for fmt in ("csv", "pdf"):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = make_report(db, "sales", first=FIRST, last=LAST)
            write_report(report, folder / f"sales.{fmt}", fmt)
            times.append(time.perf_counter() - started)
        results[fmt] = min(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bare SQL aggregate (plain sqlite3, the report's GROUP BYs): {floor:.2f} s")
    for fmt, target in (("csv", 1.0), ("pdf", 3.0)):
        seconds = results[fmt]
        ok = seconds <= target and seconds <= 2 * floor
        print(
            f"sales report, one year, {fmt.upper()}: {seconds:.2f} s (target ≤ {target:.0f} s and ≤ 2× floor = "
            f"{2 * floor:.2f} s; {seconds / floor:.1f}×) {verdict(ok)}"
        )
    print(f"peak memory of the process (ru_maxrss): {peak_mb:.0f} MB (target ≤ 500 MB) {verdict(peak_mb <= 500)}")


if __name__ == "__main__":
    main()
