"""Traceability on a generated multi-level graph, checked against an independent walk.

A seeded generator receives deliveries, runs batches whose inputs are raw lots and earlier
batches' outputs, transfers output lots to other sites and sells them there, and keeps its own
record of what was made from what and sold where. For every lot, the trace's back tree must
reach exactly the lots the record says it was made from (at any depth, with the quantities
used), and its forward tree exactly the batches and sales (per site and counter) downstream.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from inventory import lab, transfers
from inventory.recipes import IngredientInput, StepInput, save_recipe
from inventory.trace import BackNode, ForwardNode, trace_lot
from orto.db import Database
from orto.models import Counter, DateType, Lot, PaymentMethod, RecipeStep, Site, Supplier, Unit
from pos import selling
from pos.selling import PaymentInput
from suppliers.deliveries import DeliveryLineInput, receive_delivery
from tests import factories
from tests.shop import build_shop

TODAY = date(2026, 11, 25)


def _back_set(node: BackNode) -> dict[int, list[int]]:
    """lot -> quantities it was used with, anywhere in the back tree below the root."""
    found: dict[int, list[int]] = defaultdict(list)

    def walk(n: BackNode) -> None:
        for child in n.inputs:
            assert child.quantity is not None
            found[child.lot.id].append(child.quantity)
            walk(child)

    walk(node)
    return found


def _forward_sets(node: ForwardNode) -> tuple[set[str], dict[tuple[int, str], int]]:
    batches: set[str] = set()
    sales: dict[tuple[int, str], int] = defaultdict(int)

    def walk(n: ForwardNode) -> None:
        for row in n.sales:
            sales[(n.lot.id, row.counter)] += row.quantity
        for code, _day, _used, output in n.batches:
            batches.add(code)
            walk(output)

    walk(node)
    return batches, dict(sales)


@pytest.mark.parametrize("seed", [1, 2])
def test_trace_matches_an_independent_walk(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    shop = build_shop(db, today=TODAY)
    with db.write() as session:
        cap = session.scalar(select(Site).where(Site.code == "CAP"))
        assert cap is not None
        lab_location = next(loc.id for loc in cap.locations if loc.code == "LAB")
        farm = Supplier(code="F", name="Farm")
        session.add(farm)
        raw_products = [factories.product(session, f"Raw {i}", unit=Unit.KG, cost_cents=100).id for i in range(3)]
        made_products = [
            factories.product(session, f"Made {i}", price_cents=300, vat_rate_bp=1000).id for i in range(4)
        ]
        session.flush()
        farm_id = farm.id
        counters = {
            c.code: (c.id, c.location_id)
            for c in session.scalars(select(Counter).where(Counter.code.in_(["PAL-1", "MON-1", "CAP-1"])))
        }
    # Independent record of the graph, kept as it is generated.
    made_from: dict[int, list[tuple[int, int]]] = {}
    batch_of: dict[int, str] = {}
    sold: dict[tuple[int, str], int] = defaultdict(int)
    stock: dict[int, tuple[int, int]] = {}  # lot -> (location, quantity there)

    for product in raw_products:
        result = receive_delivery(
            db,
            shop.settings,
            supplier_id=farm_id,
            location_id=lab_location,
            note_number=f"DDT {product}",
            lines=[DeliveryLineInput(product, 50_000, 100, expiry=TODAY + timedelta(days=20))],
            actor=shop.manager,
            today=TODAY,
        )
        with db.read() as session:
            lot_id = session.scalar(select(Lot.id).where(Lot.code == result.lines[0].lot_code))
        assert lot_id is not None
        stock[lot_id] = (lab_location, 50_000)

    for level, output in enumerate(made_products):
        recipe = save_recipe(
            db,
            actor=shop.manager,
            code=f"R{level}",
            name=f"Recipe {level}",
            output_product_id=output,
            expected_yield=10,
            shelf_life_days=100,
            date_type=DateType.BEST_BEFORE,
            inputs=[IngredientInput(raw_products[0], 1)],
            steps=[StepInput("cook", "temperature_dc", min_value=850)],
        )
        with db.read() as session:
            step = session.scalar(select(RecipeStep.id).where(RecipeStep.recipe_id == recipe))
        assert step is not None
        for _batch in range(2):
            candidates = [lot for lot, (loc, qty) in stock.items() if loc == lab_location and qty >= 4]
            chosen = rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3)))
            inputs = []
            for lot in chosen:
                take = rng.randint(1, min(stock[lot][1] // 2, 5000))
                inputs.append(lab.InputLine(lot, lab_location, take))
            batch = lab.start_batch(db, recipe_id=recipe, location_id=lab_location, actor=shop.manager, today=TODAY)
            lab.record_reading(db, batch, step_id=step, value=900, actor=shop.manager)
            done = lab.finish_batch(
                db, shop.settings, batch, inputs=inputs, yield_quantity=30, actor=shop.manager, today=TODAY
            )
            for item in inputs:
                stock[item.lot_id] = (lab_location, stock[item.lot_id][1] - item.quantity)
            made_from[done.lot_id] = [(i.lot_id, i.quantity) for i in inputs]
            batch_of[done.lot_id] = done.batch_code
            stock[done.lot_id] = (lab_location, 30)

    # Some outputs go to the shops and are sold there; the model picks the lot as the till must
    # (first expired first out: same dates here, so the oldest lot).
    with db.read() as session:
        product_of = dict(session.execute(select(Lot.id, Lot.product_id).where(Lot.id.in_(made_from))).all())
    shelf: dict[tuple[int, int], int] = defaultdict(int)
    for counter_code in ("PAL-1", "MON-1"):
        counter_id, location = counters[counter_code]
        selling.open_shift(db, counter_id, shop.manager, {})
        for lot in rng.sample(sorted(made_from), k=3):
            here, quantity = stock[lot]
            send = rng.randint(2, 5)
            transfer = transfers.send_transfer(
                db,
                from_location_id=here,
                to_location_id=location,
                items=[transfers.TransferItem(lot, send)],
                actor=shop.manager,
            )
            transfers.receive_transfer(db, transfer, actor=shop.manager)
            stock[lot] = (here, quantity - send)
            shelf[(location, lot)] += send
            product = product_of[lot]
            sale = selling.start_sale(db, counter_id, shop.manager)
            sale = selling.add_product(db, sale.id, shop.manager, product, quantity=1, today=TODAY)
            selling.complete_sale(
                db,
                shop.settings,
                sale.id,
                shop.manager,
                [PaymentInput(PaymentMethod.CARD, sale.total_cents)],
                today=TODAY,
            )
            picked = min(
                other for (loc, other), q in shelf.items() if loc == location and q > 0 and product_of[other] == product
            )
            shelf[(location, picked)] -= 1
            sold[(picked, counter_code)] += 1

    with db.read() as session:
        codes = dict(session.execute(select(Lot.id, Lot.code)).all())

    def expected_back(lot: int) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for source, quantity in made_from.get(lot, []):
            found[source].append(quantity)
            for deeper, quantities in expected_back(source).items():
                found[deeper].extend(quantities)
        return found

    users: dict[int, list[int]] = defaultdict(list)
    for output, inputs in made_from.items():
        for source, _q in inputs:
            users[source].append(output)

    def expected_forward(lot: int, seen: set[int]) -> tuple[set[str], dict[tuple[int, str], int]]:
        batches: set[str] = set()
        sales = {key: q for key, q in sold.items() if key[0] == lot}
        seen.add(lot)
        for output in users.get(lot, []):
            batches.add(batch_of[output])
            if output in seen:
                continue
            more_batches, more_sales = expected_forward(output, seen)
            batches |= more_batches
            sales.update(more_sales)
        return batches, sales

    assert made_from and sold
    for lot in stock:
        with db.read() as session:
            trace = trace_lot(session, codes[lot])
        back = _back_set(trace.back)
        assert {k: sorted(v) for k, v in back.items()} == {k: sorted(v) for k, v in expected_back(lot).items()}
        assert _forward_sets(trace.forward) == expected_forward(lot, set())
