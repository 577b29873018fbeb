"""The cart as the cashier sees it, the line of keys, and the login's keys."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.app import App, ComposeResult
from textual.widgets import Input

from orto.db import Database
from orto.models import AuditEntry, User
from pos.tui.cart import CartTable
from pos.tui.keys import KeyBar
from tests.shop import CASHIER_PIN, Shop
from tests.test_tui_flows import _open_sale, _till, login, scan, settle, shop, type_text

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
__all__ = ["shop"]  # the fixture, shared with the flows


def _lines(cart: CartTable) -> list[str]:
    return [cart.render_line(y).text for y in range(cart.size.height)]


class _OneCart(App[None]):
    def compose(self) -> ComposeResult:
        yield CartTable(id="cart")


async def test_the_cart_shows_what_fits_and_follows_the_selection() -> None:
    app = _OneCart()
    async with app.run_test(size=(40, 6)) as pilot:
        cart = app.query_one(CartTable)
        cart.set_columns("Product", "Qty", "Total")
        rows = [(f"Item {i}", str(i), f"{i},00") for i in range(12)]
        cart.set_rows(rows, cursor=11)
        await pilot.pause()
        lines = _lines(cart)
        # a header and five rows; the selection (the last row) is in sight, seven rows are above
        assert lines[0].split()[:2] == ["Product", "↑7"]
        assert [line.split()[1] for line in lines[1:]] == ["7", "8", "9", "10", "11"]
        # numbers are right-aligned in their column, whatever their width
        assert lines[-1].rstrip().endswith("11 11,00")
        assert lines[1].rstrip().endswith(" 7  7,00")
        cart.move_cursor(0)
        await pilot.pause()
        lines = _lines(cart)
        assert "↓7" in lines[0] and lines[1].split()[:2] == ["Item", "0"]
        # a name longer than its column is cut with an ellipsis; the numbers stay whole
        cart.set_rows([("Confettura extra di albicocche del Vesuvio", "1", "4,90")], cursor=0)
        await pilot.pause()
        line = _lines(cart)[1]
        assert "…" in line and line.rstrip().endswith("1  4,90") and len(line) == 40


async def test_a_new_line_is_selected_and_f8_removes_the_selected_one(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "8001234567897")  # jam
        await scan(pilot, "1,250*POM")  # tomatoes
        cart = app.screen.query_one("#cart", CartTable)
        assert cart.cursor_row == 1
        drawn = "\n".join(_lines(cart))
        assert "Confettura di albicocche" in drawn and "1,250 kg" in drawn and "4,38" in drawn
        await pilot.press("up")  # back to the jam
        await pilot.press("f8")
        await settle(pilot)
        assert [(ln.description, ln.quantity) for ln in _open_sale(db, shop).lines] == [("Pomodori", 1250)]
        assert cart.row_count == 1 and "Confettura" not in "\n".join(_lines(cart))
    with db.read() as session:
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.action == "line_removed")) == "line_removed"


async def test_login_arrows_pick_the_user_and_an_empty_pin_is_no_wrong_pin(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "pin"
        await pilot.press("enter")  # nothing typed yet
        await pilot.press("down")  # users by name: Giulia, Marco
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "pin"
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SaleScreen"
        assert app.screen.ctx.operator.name == "Marco"  # type: ignore[attr-defined]
    with db.read() as session:
        # the Enter with no PIN was on Giulia, still highlighted then
        assert session.scalars(select(User.failed_attempts).order_by(User.name)).all() == [0, 0]


async def test_every_key_of_the_sale_screen_is_in_sight_at_80_columns_and_a_click_presses_it(
    db: Database, shop: Shop
) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render_line(0).text
        assert len(line.rstrip()) <= 80
        for key in ("f2", "f4", "f5", "f6", "f8", "f9", "f10", "f12", "^l"):
            assert f"{key} " in line
        assert "Pay" in line or "Pa." in line
        start = line.index("f12")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "MenuScreen"
