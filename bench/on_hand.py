"""Stock on hand for one product: target ≤ 1 ms (p50 and p99 over 2,000 look-ups).

Runs on the demo shop with its history; floor: the same SUM in plain sqlite3, interleaved look-up
by look-up (the order alternating) on the same product.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date

from _common import interleave, machine, percentile, ratio_line, scratch, verdict
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
    floor_conn = sqlite3.connect(path)
    # each side walks the same picks: in a round both look up the same product
    orto_picks, floor_picks = iter(picks), iter(picks)

    def orto() -> None:
        on_hand(session, next(orto_picks))

    def floor() -> None:
        floor_conn.execute(
            "SELECT coalesce(sum(quantity), 0) FROM stock_levels WHERE product_id = ?", (next(floor_picks),)
        ).fetchone()

    with db.read() as session:
        times = interleave(N, {"orto": orto, "floor": floor})
    timings, floor_ms = times["orto"], times["floor"]
    p50, p99 = percentile(timings, 50), percentile(timings, 99)
    print(f"machine: {machine()}")
    print(
        f"on hand for one product: p50 {p50:.3f} ms, p99 {p99:.3f} ms (target ≤ {TARGET_MS} ms) "
        f"{verdict(p99 <= TARGET_MS)}"
    )
    print(f"floor, plain sqlite3 SUM: p50 {percentile(floor_ms, 50):.3f} ms, p99 {percentile(floor_ms, 99):.3f} ms")
    print(ratio_line(timings, floor_ms, None, "on_hand / SUM"))


if __name__ == "__main__":
    main()
