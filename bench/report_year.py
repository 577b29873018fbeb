"""The reports over a year of three sites (≥ 1,000,000 sale lines), each interleaved round by
round with its floor: the sales PDF, the impact and the waste report ≤ 2× their floor, and the
impact, waste and sales reports over three years of history ≤ 1.2× the same report over one.

The floor is the report's own SQL, recorded as Orto sends it to the driver during the same
report (``_common.Recorder``) and replayed through plain ``sqlite3``: the per-day summaries for
the closed days, the raw rows for the rest, without SQLAlchemy, folding or rendering. The bench
first summarises the whole cached year again (the summaries dropped, then ``ensure_summaries``):
the nightly cost, a year of nights at once. The year is built once by ``generate_year.py`` into
/tmp/orto-bench/year.sqlite3 (scale 4) and reused; the growth pair (one and three years at scale
1, the three years ending the same day) likewise.
``python bench/report_year.py [ROUNDS] [--no-growth]`` (the second part skipped).
"""

from __future__ import annotations

import resource
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from _common import Recorder, machine, met, ratio_line, scratch
from generate_year import DEFAULT_PATH, TODAY, year_database
from sqlalchemy import delete, select

from orto.db import Database
from orto.i18n import set_language
from orto.models import (
    SalesDayHour,
    SalesDayLine,
    SalesDayLot,
    SalesDayMark,
    SalesDayPayment,
    SummaryWatermark,
    User,
    WasteDay,
)
from orto.policy import Operator, Role, issue
from orto.schema import upgrade
from pos.reports import make_report, write_report
from pos.reports.summaries import ensure_summaries

FIRST, LAST = date(2025, 11, 25), date(2026, 11, 24)
GROWTH = {1: Path("/tmp/orto-bench/growth-1y.sqlite3"), 3: Path("/tmp/orto-bench/growth-3y.sqlite3")}
GROWTH_SCALE = 1.0
SUMMARIES = (SalesDayMark, SalesDayLine, SalesDayHour, SalesDayPayment, SalesDayLot, WasteDay, SummaryWatermark)


def reporter(db: Database) -> Operator:
    """A manager of the year's database, as a login would give it (the PIN check is not measured)."""
    with db.read() as session:
        user = session.scalars(select(User).where(User.role == Role.MANAGER, User.active.is_(True))).first()
        assert user is not None, "the year's database has no manager"
        return issue(user.id, user.name, user.role)


def ready(db: Database) -> None:
    changed, backup = upgrade(db)
    if changed:
        print("(schema of a cached database upgraded to head)")
    if backup is not None:
        backup.unlink()  # the cache can be rebuilt: no need to keep its copy
    ensure_summaries(db, TODAY)


class Bench:
    """One database: a report made and written by Orto, and its SQL replayed by plain sqlite3."""

    def __init__(self, path: Path, db: Database) -> None:
        self.db, self.actor, self.folder = db, reporter(db), scratch()
        self.recorder = Recorder(db)
        self.conn = sqlite3.connect(path)
        self.statements: dict[str, list[tuple[str, Any]]] = {}

    def orto(self, name: str, fmt: str) -> float:
        started = time.perf_counter()
        report = make_report(self.db, name, first=FIRST, last=LAST, actor=self.actor)
        write_report(report, self.folder / f"{name}.{fmt}", fmt)
        return time.perf_counter() - started

    def record(self, name: str) -> None:
        """The statements the report sends (its reads; nothing to summarise by now)."""
        self.recorder.on = True
        make_report(self.db, name, first=FIRST, last=LAST, actor=self.actor)
        self.recorder.on = False
        statements = [s for t in self.recorder.take() for s in t] + self.recorder.current
        self.recorder.current = []
        self.statements[name] = [
            (sql, params) for sql, params, _many in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        ]

    def floor(self, name: str) -> float:
        started = time.perf_counter()
        for sql, params in self.statements[name]:
            self.conn.execute(sql, params).fetchall()
        return time.perf_counter() - started


def summarise_again(db: Database) -> tuple[int, float, float]:
    with db.write() as session:  # summarise the whole year again, to time it
        for model in SUMMARIES:
            session.execute(delete(model))
    started = time.perf_counter()
    summarised = ensure_summaries(db, TODAY)
    nightly = time.perf_counter() - started
    started = time.perf_counter()
    ensure_summaries(db, TODAY)
    return summarised, nightly, time.perf_counter() - started


def line(label: str, measured: list[float], floor: list[float], target: float, floor_label: str = "floor") -> str:
    return (
        f"{label}: median {statistics.median(measured):.3f} s (min {min(measured):.3f}); {floor_label} median "
        f"{statistics.median(floor):.3f} s (min {min(floor):.3f}); {ratio_line(measured, floor, target)}"
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rounds = int(args[0]) if args else 5
    set_language("it")
    print(f"machine: {machine()}")
    db, built = year_database(DEFAULT_PATH)
    with sqlite3.connect(DEFAULT_PATH) as conn:
        lines = conn.execute("SELECT count(*) FROM sale_lines").fetchone()[0]
        waste = conn.execute("SELECT count(*) FROM waste_records").fetchone()[0]
    print(f"year to {TODAY} at scale 4: {lines:,} sale lines, {waste:,} waste records")
    if built is not None:
        print(f"(built now in {built:.0f} s; cached for the next run)")
    ready(db)
    summarised, nightly, nothing = summarise_again(db)
    print(
        f"summarising the year: {summarised:,} (day, counter) and its waste in {nightly:.2f} s "
        f"(a night's day: ~{nightly / 365 * 1000:.0f} ms); with nothing to summarise: {nothing * 1000:.0f} ms"
    )
    year = Bench(DEFAULT_PATH, db)
    cases = (("sales", "pdf"), ("sales", "csv"), ("impact", "csv"), ("waste", "csv"), ("impact", "pdf"))
    for name, fmt in cases:  # warm: imports, the file's pages in the OS cache
        year.orto(name, fmt)
    for name in {name for name, _fmt in cases}:
        year.record(name)
    measured: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
    floors: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
    for _round in range(rounds):
        for case in cases:
            floors[case].append(year.floor(case[0]))
            measured[case].append(year.orto(*case))
    targets = {("sales", "pdf"): 2.0, ("sales", "csv"): 2.0, ("impact", "csv"): 2.0, ("waste", "csv"): 2.0}
    for case in cases:
        name, fmt = case
        print(line(f"{name} report, one year, {fmt.upper()}", measured[case], floors[case], targets.get(case, 2.0)))

    if "--no-growth" in sys.argv:
        print(f"machine at the end: {machine()}")
        return
    # growth: the same year's reports on one year of history and on three (scale 1 both)
    growth: dict[int, Bench] = {}
    for years, path in GROWTH.items():
        gdb, gbuilt = year_database(path, days=365 * years, scale=GROWTH_SCALE)
        if gbuilt is not None:
            print(f"(built {path} now in {gbuilt:.0f} s)")
        ready(gdb)
        growth[years] = Bench(path, gdb)
        with sqlite3.connect(path) as conn:
            glines = conn.execute("SELECT count(*) FROM sale_lines").fetchone()[0]
        print(f"{years} year(s) of history at scale {GROWTH_SCALE:g}: {glines:,} sale lines")
    gcases = (("impact", "csv"), ("waste", "csv"), ("sales", "csv"))
    for bench in growth.values():
        for case in gcases:
            bench.orto(*case)
    one: dict[tuple[str, str], list[float]] = {case: [] for case in gcases}
    three: dict[tuple[str, str], list[float]] = {case: [] for case in gcases}
    for _round in range(rounds):
        for case in gcases:
            one[case].append(growth[1].orto(*case))
            three[case].append(growth[3].orto(*case))
    for case in gcases:
        print(
            line(
                f"{case[0]} report over the last year, three years of history against one, {case[1].upper()}",
                three[case],
                one[case],
                1.2,
                "one year",
            )
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process (ru_maxrss): {peak_mb:.0f} MB (target ≤ 500 MB) {met(peak_mb <= 500)}")
    print(f"machine at the end: {machine()}")


if __name__ == "__main__":
    main()
