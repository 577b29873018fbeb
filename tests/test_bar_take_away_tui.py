"""At the bar's till (MON-1, 80×24): F7 takes the selected line away, F3 the whole sale; the cart marks it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import SaleLine
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.cart import CartTable
from pos.tui.keys import KeyBar
from tests.shop import Shop, build_shop
from tests.test_tui_flows import _bar, _till, login, scan, settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


def _lines(db: Database) -> list[tuple[str, int, bool]]:
    with db.read() as session:
        return [
            (ln.description, ln.vat_rate_bp, ln.take_away)
            for ln in session.scalars(select(SaleLine).order_by(SaleLine.sale_id, SaleLine.position))
        ]


async def test_take_away_at_the_bar_by_line_and_by_sale(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.bar, shop.cashier, {})
    app = OrtoTill(db, _till(db, shop).settings, _bar(db, shop), start_queue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        bar = app.screen.query_one(KeyBar)
        keys = [bar.render_line(y).text.rstrip() for y in range(bar.size.height)]
        assert all(len(line) <= 80 for line in keys)
        both = " ".join(keys) + " "
        assert "f7 To go " in both and "f3 All to go " in both
        await scan(pilot, "8000000000017")  # water: 10 % served
        assert _lines(db) == [("Acqua 0,5 l", 1000, False)]
        await pilot.press("f7")
        await settle(pilot)
        assert _lines(db) == [("Acqua 0,5 l", 2200, True)]
        cart = app.screen.query_one("#cart", CartTable)
        assert cart.rows[0][0].startswith("» ") and cart.rows[0][-1] == "22%"
        await pilot.press("f7")  # again: served after all
        await settle(pilot)
        assert _lines(db) == [("Acqua 0,5 l", 1000, False)]
        assert not cart.rows[0][0].startswith("»")
        await pilot.press("f3")  # the whole sale, and what is added after
        await settle(pilot)
        await scan(pilot, "TST")
        assert _lines(db) == [("Acqua 0,5 l", 2200, True), ("Toast", 1000, True)]
        assert "take-away sale" in str(app.screen.query_one("#hint").render())


async def test_the_emporio_has_no_take_away_keys(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.counter, shop.cashier, {})
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        bar = app.screen.query_one(KeyBar)
        both = " ".join(bar.render_line(y).text for y in range(bar.size.height))
        assert "To go" not in both
        await scan(pilot, "8000000000017")
        await pilot.press("f7")
        await settle(pilot)
        assert _lines(db) == [("Acqua 0,5 l", 2200, False)]
