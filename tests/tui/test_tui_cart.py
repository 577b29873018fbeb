"""The cart as the cashier sees it, the line of keys, and the login's keys."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Digits, Input

from orto.db import Database
from orto.models import AuditEntry, User
from pos.tui.cart import CartTable
from pos.tui.dialogs import TextPrompt
from pos.tui.keys import KeyBar
from tests.shop import CASHIER_PIN, Shop
from tests.tui.test_tui_flows import _open_sale, _till, login, scan, settle, shop, type_text

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
        # in English, as every test starts: the formats follow the language (1,250 kg in Italian)
        assert "Confettura di albicocche" in drawn and "1.250 kg" in drawn and "4.38" in drawn
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


def _bar_lines(bar: KeyBar) -> list[str]:
    return [bar.render_line(y).text.rstrip() for y in range(bar.size.height)]


async def test_every_key_is_in_sight_with_its_whole_word_and_a_click_presses_it(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        bar = app.screen.query_one(KeyBar)
        lines = _bar_lines(bar)
        assert len(lines) == 1 and len(lines[0]) <= 80  # the sale screen's nine fit in English
        for key in ("f2", "f4", "f5", "f6", "f8", "f9", "f10", "f12", "^l"):
            assert f"{key} " in lines[0]
        await scan(pilot, "8001234567897")
        await pilot.press("f10")
        await settle(pilot)
        # the payment screen's ten do not fit in 80 columns: two lines, every word whole,
        # so F6 "Card" and F8 "Gift card" never look alike
        bar = app.screen.query_one(KeyBar)
        lines = _bar_lines(bar)
        assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
        both = " ".join(lines)
        for key, word in [("f1", "Exact"), ("f6", "Card"), ("f7", "Voucher"), ("f8", "Gift card"), ("esc", "Back")]:
            assert f"{key} {word} " in both + " "
        assert "f9 Spesa sospesa" in both
        # a click on F12 on the sale screen opens the menu
        await pilot.press("escape")
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        start = _bar_lines(bar)[0].index("f12")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "MenuScreen"


class _ManyKeys(App[None]):
    BINDINGS = [Binding(f"f{n}", f"press({n})", f"Description number {n}") for n in range(1, 13)]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[int] = []

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def action_press(self, n: int) -> None:
        self.pressed.append(n)


async def test_keys_that_two_lines_cannot_hold_are_shortened_alike_and_still_clickable() -> None:
    app = _ManyKeys()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        lines = _bar_lines(bar)
        assert len(lines) == 2 and all(len(line) <= 60 for line in lines)
        words = " ".join(lines).split()
        assert [w for w in words if w.startswith("f")] == [f"f{n}" for n in range(1, 13)]
        assert all(w.endswith(".") for w in words[1::2])  # each description cut the same way
        second = lines[1]
        await pilot.click(KeyBar, offset=(second.index("f12") + 1, 1))
        await pilot.pause()
        assert app.pressed == [12]
    wide = _ManyKeys()
    async with wide.run_test(size=(200, 10)) as pilot:
        await pilot.pause()
        # room for them whole on two lines: split evenly, nothing cut
        whole = [f"f{n} Description number {n}" for n in range(1, 13)]
        assert _bar_lines(wide.query_one(KeyBar)) == [" ".join(whole[:6]), " ".join(whole[6:])]


async def test_in_italian_the_cart_and_the_total_use_the_decimal_comma(db: Database, shop: Shop) -> None:
    from orto.i18n import set_language

    set_language("it")
    try:
        app = _till(db, shop)
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot)
            await scan(pilot, "1.250*POM")  # typed with a point: read the same
            drawn = "\n".join(_lines(app.screen.query_one("#cart", CartTable)))
            assert "1,250 kg" in drawn and "4,38" in drawn and "4.38" not in drawn
            assert app.screen.query_one("#total", Digits).value == "4,38"
    finally:
        set_language("en")


class _Prompting(App[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "pos" / "tui" / "till.tcss")

    answers: ClassVar[list[str | None]] = []

    def on_mount(self) -> None:
        lines = "  ".join(f"{i}) Prodotto numero {i} (1)" for i in range(1, 31))
        prompt = TextPrompt(f"Refund what? Enter = everything. {lines}", empty_is_an_answer=True)
        self.push_screen(prompt, self.answers.append)


async def test_a_long_question_scrolls_and_its_answer_stays_in_sight() -> None:
    app = _Prompting()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        answer = app.screen.query_one("#answer", Input)
        assert answer.region.height > 0 and answer.region.bottom <= 24 - 1  # above the key bar
        assert app.focused is answer
        await pilot.press("enter")  # an empty Enter is an answer here, not a cancel
        await pilot.pause()
        assert app.answers == [""] and not isinstance(app.screen, TextPrompt)


async def test_the_keys_of_a_modal_cover_the_keys_below_after_a_resize(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(120, 24)) as pilot:
        await login(pilot)
        await pilot.press("f12")  # the menu over the sale screen
        await settle(pilot)
        await pilot.resize_terminal(60, 24)  # the sale screen's keys now take two lines
        await settle(pilot)
        below = app.screen_stack[-2].query_one(KeyBar)
        assert len(below._layout(60)[0]) == 2
        assert app.screen.query_one(KeyBar).styles.height is not None
        assert app.screen.query_one(KeyBar).styles.height.value == 2
