"""Stock on hand for one product: target ≤ 1 ms (p50 and p99 over 2,000 look-ups).

Runs on the demo shop with its history; floor: the same SUM in plain sqlite3.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import date

from _common import machine, percentile, scratch, verdict
from sqlalchemy import select

from inventory.ledger import on_hand
from orto.db import Database
from orto.models import Product
from orto.schema import upgrade
from pos.demo import build_demo

TARGET_MS = 1.0
N = 2000


def main() -> None:
    folder = scratch()
    path = folder / "demo.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    build_demo(db, date.today())
    with db.read() as session:
        ids = list(session.scalars(select(Product.id)))
    rng = random.Random(1)
    picks = [rng.choice(ids) for _ in range(N)]
    timings = []
    with db.read() as session:
        for product_id in picks:
            started = time.perf_counter()
            on_hand(session, product_id)
            timings.append((time.perf_counter() - started) * 1000)
    floor_conn = sqlite3.connect(path)
    floor = []
    for product_id in picks:
        started = time.perf_counter()
        floor_conn.execute(
            "SELECT coalesce(sum(quantity), 0) FROM stock_levels WHERE product_id = ?", (product_id,)
        ).fetchone()
        floor.append((time.perf_counter() - started) * 1000)
    p50, p99 = percentile(timings, 50), percentile(timings, 99)
    print(f"machine: {machine()}")
    print(
        f"on hand for one product: p50 {p50:.3f} ms, p99 {p99:.3f} ms (target ≤ {TARGET_MS} ms) "
        f"{verdict(p99 <= TARGET_MS)}"
    )
    print(f"floor, plain sqlite3 SUM: p50 {percentile(floor, 50):.3f} ms, p99 {percentile(floor, 99):.3f} ms")


if __name__ == "__main__":
    main()
