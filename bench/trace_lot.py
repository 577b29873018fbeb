"""Tracing a lot through five levels with ≥ 100,000 movements in the ledger: target ≤ 50 ms.

Builds the demo shop (with its 90 days of history), pads the ledger with movements of other
lots to 100,000, then makes a five-level chain through the real services: tomatoes delivered →
passata → sauce → lasagne filling → tray, the tray transferred to two sites and sold there.
Times ``trace_lot`` of the tray (five levels back) and of the tomatoes (five levels forward).
Floor: the same walk back in plain sqlite3 (a recursive CTE over batch inputs) plus the sales
of the final lot, interleaved with the two traces round by round (the order rotating).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from _common import interleave, machine, percentile, ratio_line, scratch, verdict
from sqlalchemy import func, insert, select

from inventory import lab, transfers
from inventory.recipes import IngredientInput, StepInput, save_recipe
from inventory.trace import trace_lot
from orto.config import Settings
from orto.db import Database
from orto.models import (
    Counter,
    DateType,
    Location,
    Lot,
    MovementKind,
    PaymentMethod,
    Product,
    RecipeStep,
    Role,
    Site,
    StockMovement,
    Unit,
    User,
)
from orto.models.base import table_of
from orto.schema import upgrade
from pos import selling
from pos.demo import build_demo
from pos.selling import PaymentInput
from suppliers.deliveries import DeliveryLineInput, receive_delivery

TARGET_MS = 50.0
MOVEMENTS = 100_000
RUNS = 50


def _pad_ledger(db: Database) -> int:
    with db.write() as session:
        have = session.scalar(select(func.count()).select_from(StockMovement)) or 0
        lots = session.execute(select(Lot.id, Lot.product_id).limit(300)).all()
        location = session.scalar(select(Location.id))
        missing = max(0, MOVEMENTS - have)
        rows = [
            {
                "kind": MovementKind.COUNT_ADJUSTMENT.value,
                "location_id": location,
                "lot_id": lots[i % len(lots)][0],
                "product_id": lots[i % len(lots)][1],
                "quantity": 1 if i % 2 else -1,  # pairs cancel: stock levels stay true
                "unit_cost_cents": 0,
                "reason": "bench",
            }
            for i in range(missing + missing % 2)
        ]
        if rows:
            session.execute(insert(table_of(StockMovement)), rows)
        return int(session.scalar(select(func.count()).select_from(StockMovement)) or 0)


def _chain(db: Database, today: date) -> tuple[str, str]:
    settings = Settings(database_url=db.url, database_url_explicit=True)
    with db.write() as session:
        cap = session.scalar(select(Site).where(Site.code == "CAP"))
        assert cap is not None
        locs = {loc.code: loc.id for loc in cap.locations}
        tomatoes = session.scalar(select(Product.id).where(Product.code == "V003"))
        supplier = session.scalar(select(Product.supplier_id).where(Product.code == "V003"))
        manager_id = session.scalar(select(User.id).where(User.role == Role.MANAGER))
        outputs = []
        for code, name in (("B1", "Passata"), ("B2", "Sugo"), ("B3", "Ripieno"), ("B4", "Teglia di lasagne")):
            product = Product(code=f"BENCH-{code}", name=name, unit=Unit.PIECE, vat_rate_bp=1000, price_cents=900)
            session.add(product)
            session.flush()
            outputs.append(product.id)
    assert tomatoes is not None and supplier is not None and manager_id is not None
    manager = selling.login(db, manager_id, "1111")  # the demo's manager PIN
    delivered = receive_delivery(
        db,
        settings,
        supplier_id=supplier,
        location_id=locs["COLD"],
        note_number="B-1",
        lines=[DeliveryLineInput(tomatoes, 20_000, 150, "T-1", expiry=today + timedelta(days=2))],
        actor=manager,
        today=today,
    )
    raw_code = delivered.lines[0].lot_code
    assert raw_code is not None
    with db.read() as session:
        current = session.scalar(select(Lot.id).where(Lot.code == raw_code))
    current_location = locs["COLD"]
    final_code = raw_code
    previous = tomatoes
    for level, output in enumerate(outputs, start=1):
        recipe = save_recipe(
            db,
            actor=manager,
            code=f"BENCH-R{level}",
            name=f"bench {level}",
            output_product_id=output,
            expected_yield=10,
            shelf_life_days=30,
            date_type=DateType.USE_BY,
            inputs=[IngredientInput(previous, 1)],
            steps=[StepInput("cottura", "temperature_dc", min_value=850)],
        )
        batch = lab.start_batch(db, recipe_id=recipe, location_id=locs["LAB"], actor=manager, today=today)
        with db.read() as session:
            step = session.scalar(select(RecipeStep.id).where(RecipeStep.recipe_id == recipe))
        assert step is not None
        lab.record_reading(db, batch, step_id=step, value=900, actor=manager)
        assert current is not None
        done = lab.finish_batch(
            db,
            settings,
            batch,
            inputs=[lab.InputLine(current, current_location, 10_000 if level == 1 else 5)],
            yield_quantity=40,
            actor=manager,
            today=today,
        )
        current, current_location, final_code, previous = done.lot_id, locs["LAB"], done.lot_code, output
    with db.read() as session:
        shops = {
            c.code: (c.id, c.location_id)
            for c in session.scalars(select(Counter).where(Counter.code.in_(["PAL-1", "MON-1"])))
        }
    for counter_code, (counter_id, location_id) in shops.items():
        transfer = transfers.send_transfer(
            db,
            from_location_id=locs["LAB"],
            to_location_id=location_id,
            items=[transfers.TransferItem(current, 12)],
            actor=manager,
        )
        transfers.receive_transfer(db, transfer, actor=manager)
        if selling.current_shift(db, counter_id) is None:
            selling.open_shift(db, counter_id, manager, {})
        for _ in range(5):
            sale = selling.start_sale(db, counter_id, manager)
            sale = selling.add_product(db, sale.id, manager, previous, quantity=2, today=today)
            selling.complete_sale(
                db, settings, sale.id, manager, [PaymentInput(PaymentMethod.CARD, sale.total_cents)], today=today
            )
        print(f"  sold 10 trays at {counter_code}")
    return raw_code, final_code


def _floor(path: str, final_code: str) -> Callable[[], None]:
    conn = sqlite3.connect(path)

    def walk() -> None:
        conn.execute(
            """
            WITH RECURSIVE back(lot_id, depth) AS (
                SELECT id, 0 FROM lots WHERE code = ?
                UNION ALL
                SELECT bi.lot_id, back.depth + 1
                FROM back JOIN lots l ON l.id = back.lot_id
                JOIN batch_inputs bi ON bi.batch_id = l.batch_id
            )
            SELECT l.code, l.supplier_id, d.note_number FROM back JOIN lots l ON l.id = back.lot_id
            LEFT JOIN delivery_lines dl ON dl.id = l.delivery_line_id
            LEFT JOIN deliveries d ON d.id = dl.delivery_id
            """,
            (final_code,),
        ).fetchall()
        conn.execute(
            """
            SELECT c.code, date(m.at), sum(m.quantity) FROM stock_movements m
            JOIN sale_lines sl ON sl.id = m.doc_id JOIN sales s ON s.id = sl.sale_id
            JOIN counters c ON c.id = s.counter_id
            WHERE m.lot_id = (SELECT id FROM lots WHERE code = ?) AND m.doc_type = 'sale_line'
            GROUP BY 1, 2
            """,
            (final_code,),
        ).fetchall()

    return walk


def _trace(db: Database, code: str, traces: list[Any]) -> Callable[[], None]:
    def trace() -> None:
        with db.read() as session:
            traces.append(trace_lot(session, code))

    return trace


def _depth(trace: Any) -> int:
    node, depth = trace.back, 1
    while node.inputs:
        node, depth = node.inputs[0], depth + 1
    return depth


def main() -> None:
    folder = scratch()
    path = folder / "trace.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    today = date.today()
    build_demo(db, today)
    raw, final = _chain(db, today)
    movements = _pad_ledger(db)
    traces: list[Any] = []
    times = interleave(
        RUNS,
        {"back": _trace(db, final, traces), "forward": _trace(db, raw, []), "floor": _floor(str(path), final)},
        warm=1,
    )
    back, forward, floor = times["back"], times["forward"], times["floor"]
    depth = _depth(traces[-1])
    print(f"machine: {machine()}")
    print(f"ledger: {movements:,} movements; chain of {depth} levels: {raw} … {final}")
    p95_back, p95_fwd = percentile(back, 95), percentile(forward, 95)
    print(
        f"trace the tray (back {depth} levels + forward): p50 {percentile(back, 50):.1f} ms, "
        f"p95 {p95_back:.1f} ms (target ≤ {TARGET_MS:.0f} ms) {verdict(p95_back <= TARGET_MS)}"
    )
    print(
        f"trace the tomatoes (forward {depth} levels): p50 {percentile(forward, 50):.1f} ms, "
        f"p95 {p95_fwd:.1f} ms (target ≤ {TARGET_MS:.0f} ms) {verdict(p95_fwd <= TARGET_MS)}"
    )
    print(f"floor, plain sqlite3 recursive walk back + sales of the tray: p50 {percentile(floor, 50):.2f} ms")
    print(ratio_line(back, floor, None, "tray's trace / walk"))


if __name__ == "__main__":
    main()
