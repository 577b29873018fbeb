"""A year of three sites for the report benchmarks: the demo shop plus 365 days of history at
scale 4 (over a million sale lines), built once into an SQLite file and reused.

The generator is ``pos.history.generate_history`` (the demo's 90 days come from it too); this is
its entry point for the benches. ``python bench/generate_year.py [--rebuild] [--days N] [--scale S] [PATH]``
(defaults: 365 days at scale 4 into /tmp/orto-bench/year.sqlite3; the growth bench builds one and
three years at a smaller scale through ``year_database(path, days=, scale=)``).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from _common import machine

from orto.db import Database
from orto.schema import upgrade

DEFAULT_PATH = Path("/tmp/orto-bench/year.sqlite3")
DAYS = 365
SCALE = 4.0
TODAY = date(2026, 11, 25)  # fixed, so the cached file is the same whoever builds it


def year_database(
    path: Path = DEFAULT_PATH, *, rebuild: bool = False, days: int = DAYS, scale: float = SCALE
) -> tuple[Database, float | None]:
    """The year's database, built if missing (returns the seconds it took, or None if cached)."""
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if path.exists():
        return Database(f"sqlite:///{path}"), None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{partial}")
    started = time.perf_counter()
    upgrade(db)
    import pos.demo as demo
    from pos.history import generate_history

    demo.HISTORY_DAYS = 0  # the demo's own 90 days are replaced by the year below
    demo.build_demo(db, TODAY)
    summary = generate_history(db, days=days, today=TODAY, scale=scale)
    db.dispose()
    import sqlite3

    conn = sqlite3.connect(partial)
    conn.execute("ANALYZE")  # the query planner's statistics, as a database in use would have them
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    partial.rename(path)
    elapsed = time.perf_counter() - started
    print(
        f"built {path}: {summary.sales:,} sales, {summary.sale_lines:,} sale lines, "
        f"{summary.waste_records:,} waste records, {summary.batches:,} batches in {elapsed:.0f} s"
    )
    return Database(f"sqlite:///{path}"), elapsed


def main() -> None:
    argv = sys.argv[1:]
    options = {"--days": str(DAYS), "--scale": str(SCALE)}
    args: list[str] = []
    while argv:
        arg = argv.pop(0)
        if arg in options:
            options[arg] = argv.pop(0)
        elif not arg.startswith("--"):
            args.append(arg)
    path = Path(args[0]) if args else DEFAULT_PATH
    print(f"machine: {machine()}")
    _db, elapsed = year_database(
        path, rebuild="--rebuild" in sys.argv, days=int(options["--days"]), scale=float(options["--scale"])
    )
    if elapsed is None:
        print(f"{path} already built (--rebuild to start again)")


if __name__ == "__main__":
    main()
