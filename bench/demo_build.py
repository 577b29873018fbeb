"""Building the demo shop from nothing: target ≤ 10 s.

Floor: creating the empty schema through the migrations (the part every database pays).
"""

from __future__ import annotations

import time
from datetime import date

from _common import machine, scratch, verdict

from orto.db import Database
from orto.schema import upgrade
from pos.demo import build_demo

TARGET_S = 10.0


def main() -> None:
    folder = scratch()
    db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
    started = time.perf_counter()
    upgrade(db)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    summary = build_demo(db, date.today())
    elapsed = time.perf_counter() - started
    print(f"machine: {machine()}")
    print(f"build the demo ({summary}): {elapsed:.2f} s (target ≤ {TARGET_S} s) {verdict(elapsed <= TARGET_S)}")
    print(f"floor, empty schema through the migrations: {floor:.2f} s")


if __name__ == "__main__":
    main()
