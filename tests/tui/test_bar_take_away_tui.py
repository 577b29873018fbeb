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
from tests.tui.test_tui_flows import _bar, _till, login, scan, settle

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


async def test_the_tab_list_shows_what_the_payment_asks(db: Database, shop: Shop) -> None:
    from datetime import timedelta

    from textual.widgets import OptionList, Static

    from orto.models import DateType, PaymentMethod, Sale, SaleStatus
    from tests import factories

    with db.write() as session:
        cornetto = factories.product(session, "Cornetto", code="CRN", price_cents=130, vat_rate_bp=1000)
        factories.lot(
            session,
            cornetto,
            location_id=shop.bar_location,
            quantity=10,
            expiry=shop.today + timedelta(days=1),  # 30 % off under the shop's rule
            date_type=DateType.BEST_BEFORE,
        )
        cornetto_id = cornetto.id
    selling.open_shift(db, shop.bar, shop.cashier, {})
    tab = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 9")
    selling.add_round(db, tab.id, shop.cashier, [(cornetto_id, 2, None), (shop.water, 1, None)])
    app = OrtoTill(db, _till(db, shop).settings, _bar(db, shop), start_queue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        for _ in range(next(i for i, e in enumerate(entries) if e.key == "tabs")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        listed = str(app.screen.query_one("#tabs", OptionList).get_option_at_index(0).prompt)
        assert "Tavolo 9" in listed and "2.82" in listed  # 2 × 1.30 less 30 % = 1.82, and 1.00
        assert "▼ 2 x Cornetto  1.82" in str(app.screen.query_one("#tab-lines", Static).render())
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("f6")  # card for what is asked
        await settle(pilot)
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.bar, Sale.status == SaleStatus.COMPLETED))
        assert sale is not None and sale.total_cents == 282
        assert [p.method for p in sale.payments] == [PaymentMethod.CARD]
        assert sum(p.amount_cents for p in sale.payments) == 282
