"""The manager's Z at the till (Textual's Pilot) closes the RT's day first and shows both totals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import FiscalClosure, ZReport
from orto.money import format_money
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.dialogs import TextPreview
from pos.tui.screens.day import DayScreen
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import done_when_sale, fiscal_shop, queue
from tests.shop import MANAGER_PIN
from tests.tui.test_tui_flows import _counter, login, settle


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT().start()
    yield server
    server.stop()


async def test_the_managers_z_closes_the_rt_and_shows_rt_and_orto_side_by_side(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    sale = done_when_sale(db, shop).sale
    assert queue(db, shop).run_once() == 1
    selling.close_shift(db, shop.counter, shop.cashier, {})
    app = OrtoTill(db, shop.settings, _counter(db, shop.counter), start_queue=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await login(pilot, 0, MANAGER_PIN)
        # the shift is closed: the day screen offers the Z, whose first step is the RT's closure
        day = app.screen
        assert isinstance(day, DayScreen)
        await pilot.press(str(next(i for i, (key, _t, _a) in enumerate(day.choices, 1) if key == "z")))
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, TextPreview), type(preview)
        text = preview.text
    assert rt.closures and rt.closures[0]["z_number"] == 1 and rt.z_number == 2
    total = format_money(sale.total_cents)
    total_row = next(line for line in text.splitlines() if total in line and "≠" not in line)
    assert total_row.count(total) == 2  # RT and Orto, side by side, equal
    with db.read() as session:
        closure = session.scalars(select(FiscalClosure)).one()
        assert closure.differences == {} and closure.rt_totals["total"] == sale.total_cents
        assert session.scalars(select(ZReport)).one().totals["net_cents"] == sale.total_cents


async def test_the_cashier_adds_a_lotteria_code_that_reaches_the_rt(db: Database, rt: SimulatedRT) -> None:
    from orto.models import LotteryCode
    from tests.tui.test_tui_flows import menu_entry, scan, type_text

    shop = fiscal_shop(db, rt)
    app = OrtoTill(db, shop.settings, _counter(db, shop.counter), start_queue=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await login(pilot)
        await scan(pilot, "8001234567897")
        await menu_entry(pilot, "lottery")
        await type_text(pilot, "ab12cd34")
        await pilot.press("enter")
        await settle(pilot)
    with db.read() as session:
        assert [row.code for row in session.scalars(select(LotteryCode))] == ["AB12CD34"]


async def test_the_x_report_at_an_rt_counter_shows_the_rts_x_too(db: Database, rt: SimulatedRT) -> None:
    from tests.tui.test_tui_flows import menu_entry

    shop = fiscal_shop(db, rt)
    done_when_sale(db, shop)
    assert queue(db, shop).run_once() == 1
    app = OrtoTill(db, shop.settings, _counter(db, shop.counter), start_queue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, 0, MANAGER_PIN)
        await menu_entry(pilot, "x")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, TextPreview), type(preview)
        text = preview.text
    assert "RT cassa" in text and "RT and Orto agree" in text
    assert rt.closures == []  # the X closes nothing
