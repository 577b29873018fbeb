"""On hand always equals the sum of the ledger, whatever mix of movements, on both engines;
and two processes decrementing the same stock on one SQLite file lose no update."""

from __future__ import annotations

import itertools
import multiprocessing
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from inventory.ledger import NegativeStock, ledger_sum, lot_on_hand, on_hand, post_movement
from orto.db import Database
from orto.models import Location, Lot, MovementKind, StockLevel
from tests import factories

_EXAMPLES = itertools.count(1)


class LedgerMachine(RuleBasedStateMachine):
    """Random deliveries, sales, transfers, waste and counts; checked against an independent model."""

    db: Database

    def __init__(self) -> None:
        super().__init__()
        with self.db.write() as session:
            sites = factories.sites(session)
            self.locations = [loc.id for site in sites.values() for loc in site.locations][:4]
            product = factories.product(session, "Zucchine", by_weight=True)
            # examples share one database: each gets lot codes of its own (id() can be reused)
            example = next(_EXAMPLES)
            self.lots = [factories.lot(session, product, code=f"Z{i}-{example}").id for i in range(3)]
            self.product_id = product.id
        self.expected: dict[tuple[int, int], int] = {}

    def _post(self, kind: MovementKind, location: int, lot_id: int, quantity: int) -> None:
        with self.db.write() as session:
            lot = session.get(Lot, lot_id)
            assert lot is not None
            post_movement(session, kind=kind, location_id=location, lot=lot, quantity=quantity)
        self.expected[(location, lot_id)] = self.expected.get((location, lot_id), 0) + quantity

    @rule(loc=st.integers(0, 3), lot=st.integers(0, 2), qty=st.integers(1, 5000))
    def delivery(self, loc: int, lot: int, qty: int) -> None:
        self._post(MovementKind.DELIVERY, self.locations[loc], self.lots[lot], qty)

    @rule(loc=st.integers(0, 3), lot=st.integers(0, 2), qty=st.integers(1, 3000))
    def sale(self, loc: int, lot: int, qty: int) -> None:
        # the shelf is the truth: a sale may take stock below zero
        self._post(MovementKind.SALE, self.locations[loc], self.lots[lot], -qty)

    @rule(src=st.integers(0, 3), dst=st.integers(0, 3), lot=st.integers(0, 2), qty=st.integers(1, 2000))
    def transfer(self, src: int, dst: int, lot: int, qty: int) -> None:
        if src == dst:
            return
        self._post(MovementKind.TRANSFER_OUT, self.locations[src], self.lots[lot], -qty)
        self._post(MovementKind.TRANSFER_IN, self.locations[dst], self.lots[lot], qty)

    @rule(loc=st.integers(0, 3), lot=st.integers(0, 2), qty=st.integers(1, 500))
    def waste(self, loc: int, lot: int, qty: int) -> None:
        self._post(MovementKind.WASTE, self.locations[loc], self.lots[lot], -qty)

    @precondition(lambda self: bool(self.expected))
    @rule(data=st.data(), counted=st.integers(0, 8000))
    def count(self, data: st.DataObject, counted: int) -> None:
        location, lot_id = data.draw(st.sampled_from(sorted(self.expected)))
        difference = counted - self.expected[(location, lot_id)]
        if difference:
            self._post(MovementKind.COUNT_ADJUSTMENT, location, lot_id, difference)

    @invariant()
    def on_hand_equals_ledger(self) -> None:
        with self.db.read() as session:
            # each example has its own lots; the database is shared by the examples of one run
            levels = {
                (lv.location_id, lv.lot_id): lv.quantity
                for lv in session.scalars(select(StockLevel).where(StockLevel.lot_id.in_(self.lots)))
            }
            for (location, lot_id), quantity in levels.items():
                assert quantity == ledger_sum(session, location, lot_id)
            assert levels == self.expected
            assert on_hand(session, self.product_id) == sum(self.expected.values())


def test_on_hand_always_equals_the_ledger(db: Database) -> None:
    LedgerMachine.db = db
    runner = LedgerMachine.TestCase
    runner.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    runner().runTest()


def test_a_site_that_refuses_negative_stock_rolls_the_movement_back(db: Database) -> None:
    with db.write() as session:
        site = factories.sites(session)["PAL"]
        location = site.locations[0].id
        lot = factories.lot(session, factories.product(session), location_id=location, quantity=3)
        lot_id = lot.id
    with pytest.raises(NegativeStock), db.write() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        post_movement(session, kind=MovementKind.SALE, location_id=location, lot=lot, quantity=-5, allow_negative=False)
    with db.read() as session:
        assert lot_on_hand(session, lot_id, location) == 3
        assert ledger_sum(session, location, lot_id) == 3


def _sell_many(url: str, lot_id: int, location_id: int, times: int) -> None:
    db = Database(url)
    for _ in range(times):
        with db.write() as session:
            lot = session.get(Lot, lot_id)
            assert lot is not None
            post_movement(session, kind=MovementKind.SALE, location_id=location_id, lot=lot, quantity=-1)
    db.dispose()


@pytest.mark.sqlite_only
def test_two_processes_selling_the_same_stock_lose_no_update(sqlite_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_template.fresh(tmp_path)
    with db.write() as session:
        site = factories.sites(session)["PAL"]
        location = session.scalar(select(Location.id).where(Location.site_id == site.id))
        assert location is not None
        lot = factories.lot(
            session, factories.product(session), location_id=location, quantity=1000, received_on=date(2026, 11, 1)
        )
        lot_id = lot.id
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_sell_many, args=(db.url, lot_id, location, 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with db.read() as session:
        assert lot_on_hand(session, lot_id, location) == 1000 - 300
        assert ledger_sum(session, location, lot_id) == 700
