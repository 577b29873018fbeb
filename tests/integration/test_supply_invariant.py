"""The ledger stays whole through the kitchen's real operations, in any order, on both engines.

A Hypothesis state machine receives deliveries, sends and receives transfers (with differences),
runs lab batches, records waste and closes counts through the services staff use, and keeps its
own model of what should be where. After every step: each stock level equals its ledger and the
model; every batch balances (its input movements are what it used, its output is its yield).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from inventory import counts, lab, transfers
from inventory.ledger import ledger_sum
from inventory.recipes import IngredientInput, StepInput, save_recipe
from inventory.waste import record_waste
from orto.config import Settings
from orto.db import Database
from orto.models import (
    Batch,
    BatchInput,
    DateType,
    Location,
    Lot,
    MovementKind,
    RecipeStep,
    Site,
    StockLevel,
    StockMovement,
    Supplier,
    Unit,
    WasteReason,
)
from suppliers.deliveries import DeliveryLineInput, receive_delivery
from tests import factories

TODAY = date(2026, 11, 25)
_EXAMPLES = itertools.count(1)


class SupplyMachine(RuleBasedStateMachine):
    db: Database

    def __init__(self) -> None:
        super().__init__()
        self.settings = Settings(database_url="", database_url_explicit=True)
        n = next(_EXAMPLES)
        self.actor = factories.manager(self.db)
        with self.db.write() as session:
            factories.sites(session)
            locs = {
                (site, code): loc_id
                for site, code, loc_id in session.execute(
                    select(Site.code, Location.code, Location.id).join(Site, Site.id == Location.site_id)
                )
            }
            self.places = [locs[("PAL", "SHOP")], locs[("CAP", "COLD")], locs[("CAP", "LAB")]]
            self.lab_location = locs[("CAP", "LAB")]
            self.cap_site = session.scalar(select(Site.id).where(Site.code == "CAP"))
            supplier = Supplier(code=f"F{n}", name=f"Farm {n}")
            session.add(supplier)
            tomatoes = factories.product(session, "Pomodori", code=f"T{n}", unit=Unit.KG, cost_cents=150)
            jars = factories.product(session, "Passata", code=f"J{n}", cost_cents=0)
            session.flush()
            self.supplier, self.tomatoes, self.jars = supplier.id, tomatoes.id, jars.id
        self.recipe = save_recipe(
            self.db,
            actor=self.actor,
            code=f"R{n}",
            name="Passata",
            output_product_id=self.jars,
            expected_yield=4,
            shelf_life_days=200,
            date_type=DateType.BEST_BEFORE,
            inputs=[IngredientInput(self.tomatoes, 1000)],
            steps=[StepInput("Pastorizzare", "temperature_dc", min_value=850)],
        )
        with self.db.read() as session:
            self.step = session.scalar(select(RecipeStep.id).where(RecipeStep.recipe_id == self.recipe))
        self.expected: dict[tuple[int, int], int] = {}
        self.lots: set[int] = set()
        self.in_transit: list[tuple[int, int, list[int], int, int]] = []  # transfer, dst, line ids, lot, qty
        self.batches: list[int] = []

    def _add(self, location: int, lot: int, quantity: int) -> None:
        self.expected[(location, lot)] = self.expected.get((location, lot), 0) + quantity
        self.lots.add(lot)

    def _stocked(self, data: st.DataObject, *, site_cap: bool = False) -> tuple[int, int, int] | None:
        choices = sorted(
            (loc, lot, qty)
            for (loc, lot), qty in self.expected.items()
            if qty > 0 and (not site_cap or loc in self.places[1:])
        )
        return data.draw(st.sampled_from(choices)) if choices else None

    @rule(where=st.integers(0, 2), qty=st.integers(500, 9000), days=st.integers(1, 20))
    def delivery(self, where: int, qty: int, days: int) -> None:
        result = receive_delivery(
            self.db,
            self.settings,
            supplier_id=self.supplier,
            location_id=self.places[where],
            note_number="DDT",
            lines=[DeliveryLineInput(self.tomatoes, qty, 150, expiry=TODAY + timedelta(days=days))],
            actor=self.actor,
            today=TODAY,
        )
        with self.db.read() as session:
            lot_id = session.scalar(select(Lot.id).where(Lot.code == result.lines[0].lot_code))
        assert lot_id is not None
        self._add(self.places[where], lot_id, qty)

    @rule(data=st.data(), to=st.integers(0, 2), delta=st.integers(-3, 3))
    def send(self, data: st.DataObject, to: int, delta: int) -> None:
        stocked = self._stocked(data)
        if stocked is None or self.places[to] == stocked[0]:
            return
        source, lot, available = stocked
        qty = data.draw(st.integers(1, available))
        transfer_id = transfers.send_transfer(
            self.db,
            from_location_id=source,
            to_location_id=self.places[to],
            items=[transfers.TransferItem(lot, qty)],
            actor=self.actor,
        )
        self._add(source, lot, -qty)
        with self.db.read() as session:
            line = session.scalar(
                select(StockMovement.doc_id)
                .where(StockMovement.kind == MovementKind.TRANSFER_OUT, StockMovement.lot_id == lot)
                .order_by(StockMovement.id.desc())
            )
        assert line is not None
        self.in_transit.append((transfer_id, self.places[to], [line], lot, max(0, qty + delta)))

    @precondition(lambda self: bool(self.in_transit))
    @rule()
    def receive(self) -> None:
        transfer_id, target, lines, lot, arrived = self.in_transit.pop(0)
        transfers.receive_transfer(self.db, transfer_id, received={lines[0]: arrived}, actor=self.actor)
        self._add(target, lot, arrived)

    @rule(data=st.data())
    def waste(self, data: st.DataObject) -> None:
        stocked = self._stocked(data)
        if stocked is None:
            return
        location, lot, available = stocked
        qty = data.draw(st.integers(1, available))
        record_waste(
            self.db, lot_id=lot, location_id=location, quantity=qty, reason=WasteReason.SPOILED, actor=self.actor
        )
        self._add(location, lot, -qty)

    @rule(data=st.data(), jars=st.integers(1, 12))
    def batch(self, data: st.DataObject, jars: int) -> None:
        with self.db.read() as session:
            tomato_lots = set(session.scalars(select(Lot.id).where(Lot.product_id == self.tomatoes)))
        choices = sorted(
            (loc, lot, qty)
            for (loc, lot), qty in self.expected.items()
            if qty > 0 and lot in tomato_lots and loc in self.places[1:]
        )
        if not choices:
            return
        location, lot, available = data.draw(st.sampled_from(choices))
        qty = data.draw(st.integers(1, available))
        batch_id = lab.start_batch(
            self.db, recipe_id=self.recipe, location_id=self.lab_location, actor=self.actor, today=TODAY
        )
        assert self.step is not None
        lab.record_reading(self.db, batch_id, step_id=self.step, value=900, actor=self.actor)
        done = lab.finish_batch(
            self.db,
            self.settings,
            batch_id,
            inputs=[lab.InputLine(lot, location, qty)],
            yield_quantity=jars,
            actor=self.actor,
            today=TODAY,
        )
        self._add(location, lot, -qty)
        self._add(self.lab_location, done.lot_id, jars)
        self.batches.append(batch_id)

    @rule(where=st.integers(0, 2), data=st.data())
    def count(self, where: int, data: st.DataObject) -> None:
        count_id = counts.open_count(self.db, location_id=self.places[where], actor=self.actor)
        sheet = counts.count_sheet(self.db, count_id)
        counted = {}
        for line in sheet.lines:
            counted[line.id] = data.draw(st.integers(0, line.expected + 50))
        counts.enter_counts(self.db, count_id, counted, actor=self.actor)
        counts.close_count(self.db, count_id, actor=self.actor)
        with self.db.read() as session:
            for line in sheet.lines:
                lot = session.scalar(select(Lot.id).where(Lot.code == line.lot_code))
                assert lot is not None
                if lot in self.lots:
                    self.expected[(self.places[where], lot)] = counted[line.id]

    @invariant()
    def stock_equals_ledger_and_model(self) -> None:
        if not self.lots:
            return
        with self.db.read() as session:
            levels = {
                (lv.location_id, lv.lot_id): lv.quantity
                for lv in session.scalars(select(StockLevel).where(StockLevel.lot_id.in_(self.lots)))
            }
            for (location, lot), quantity in levels.items():
                assert quantity == ledger_sum(session, location, lot)
            assert {k: v for k, v in levels.items() if v} == {k: v for k, v in self.expected.items() if v}

    @invariant()
    def every_batch_balances(self) -> None:
        if not self.batches:
            return
        with self.db.read() as session:
            for batch_id in self.batches:
                batch = session.get(Batch, batch_id)
                assert batch is not None
                used = session.scalar(select(func.sum(BatchInput.quantity)).where(BatchInput.batch_id == batch_id))
                moved = dict(
                    session.execute(
                        select(StockMovement.kind, func.sum(StockMovement.quantity))
                        .where(StockMovement.doc_type == "batch", StockMovement.doc_id == batch_id)
                        .group_by(StockMovement.kind)
                    ).all()
                )
                assert moved[MovementKind.LAB_INPUT] == -used
                assert moved[MovementKind.LAB_OUTPUT] == batch.yield_quantity
                cost = session.scalar(select(func.sum(BatchInput.cost_cents)).where(BatchInput.batch_id == batch_id))
                assert batch.cost_cents == cost


def test_kitchen_operations_keep_the_ledger_whole(db: Database) -> None:
    SupplyMachine.db = db
    runner = SupplyMachine.TestCase
    runner.settings = settings(
        max_examples=8,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    runner().runTest()
