"""Building the demo shop from nothing: target ≤ 10 s.

Floor: creating the empty schema through the migrations (the part every database pays). Each of
the 3 rounds builds both, on fresh files, the order alternating.
"""

from __future__ import annotations

import time
from datetime import date

from _common import interleave, machine, median, ratio_line, scratch, verdict

from orto.db import Database
from orto.schema import upgrade
from pos.demo import build_demo

TARGET_S = 10.0
ROUNDS = 3


def main() -> None:
    folder = scratch()
    made = iter(range(2 * ROUNDS))
    summaries: list[object] = []

    def fresh() -> Database:
        return Database(f"sqlite:///{folder / f'demo-{next(made)}.sqlite3'}")

    def orto() -> float:
        db = fresh()
        upgrade(db)  # the floor's part, timed by the floor
        started = time.perf_counter()
        summaries.append(build_demo(db, date.today()))
        elapsed = (time.perf_counter() - started) * 1000
        db.dispose()
        return elapsed

    def floor() -> None:
        db = fresh()
        upgrade(db)
        db.dispose()

    times = interleave(ROUNDS, {"orto": orto, "floor": floor})
    built, best = median(times["orto"]) / 1000, min(times["orto"]) / 1000
    print(f"machine: {machine()}")
    print(
        f"build the demo ({summaries[-1]}), {ROUNDS} rounds: median {built:.2f} s, best {best:.2f} s "
        f"(target ≤ {TARGET_S:g} s: {verdict(built <= TARGET_S)})"
    )
    print(f"floor, empty schema through the migrations: median {median(times['floor']) / 1000:.2f} s")
    print(ratio_line(times["orto"], times["floor"], None, "demo / migrations"))


if __name__ == "__main__":
    main()
