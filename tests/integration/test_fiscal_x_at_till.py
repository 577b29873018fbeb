"""The till's X report at a counter with an RT shows the RT's own X beside Orto's figures, so a
difference is seen before the day's fiscal closure; an RT that cannot be read is said, and the
X is still Orto's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orto.db import Database
from pos import selling
from pos.selling.fiscal import x_beside_rt
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import done_when_sale, fiscal_shop, queue
from tests.shop import build_shop


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT().start()
    yield server
    server.stop()


def test_the_rts_x_beside_ours_then_an_rt_that_is_off(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    done_when_sale(db, shop)
    assert queue(db, shop).run_once() == 1
    lines = x_beside_rt(db, shop.settings, shop.counter)
    text = "\n".join(lines)
    assert "RT cassa" in text and "RT and Orto agree" in text, text
    assert rt.closures == []  # an X closes nothing
    rt.down()
    (said,) = x_beside_rt(db, shop.settings, shop.counter)
    assert said.startswith("The RT could not be read")


def test_a_counter_without_an_rt_adds_nothing(db: Database) -> None:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    assert x_beside_rt(db, shop.settings, shop.counter) == []
