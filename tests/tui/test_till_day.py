"""A day at the counter through the real till (Pilot): closing the day, the screen with no shift,
the menu's numbers, scroll mark and entries by role."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot

from orto.db import Database
from orto.errors import NotAllowed
from orto.models import CashMovement, Payment, PaymentMethod, Role, Sale, SaleStatus, Shift, ShiftStatus, ZReport
from pos import selling
from pos.tui.dialogs import TextPreview
from pos.tui.screens.day import DayScreen
from pos.tui.screens.login import LoginScreen
from pos.tui.screens.menu import MenuScreen
from pos.tui.screens.sale import SaleScreen
from pos.tui.screens.shift import ShiftScreen
from tests import factories
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop
from tests.tui.test_tui_flows import _till, settle, type_text

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
KITCHEN_PIN = "4444"


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    with db.write() as session:
        factories.user(session, "Luca", Role.KITCHEN, KITCHEN_PIN)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


async def login_as(pilot: Pilot, name: str, pin: str) -> None:  # type: ignore[type-arg]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    for _ in range(next(i for i, u in enumerate(screen.users) if u.name == name)):
        await pilot.press("down")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


def _sell_jam(db: Database, shop: Shop, cash: int = 1000) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [selling.PaymentInput(PaymentMethod.CASH, cash)])


def _expected_from_rows(db: Database, shift_id: int) -> int:
    """The drawer's expected cash recomputed from the raw rows, not by the service."""
    with db.read() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        cash = session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0))
            .join(Sale)
            .where(Sale.shift_id == shift_id, Sale.status == SaleStatus.COMPLETED, Payment.method == PaymentMethod.CASH)
        )
        moved = session.scalar(
            select(func.coalesce(func.sum(CashMovement.amount_cents), 0)).where(CashMovement.shift_id == shift_id)
        )
        return shift.opening_float_cents + int(cash or 0) + int(moved or 0)


async def test_the_manager_closes_the_day_in_one_flow_and_the_next_login_is_not_forced(
    db: Database, shop: Shop
) -> None:
    _sell_jam(db, shop)
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Giulia", MANAGER_PIN)
        assert isinstance(app.screen, SaleScreen)
        await pilot.press("f12")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        await type_text(pilot, str(next(i for i, e in enumerate(menu.entries, 1) if e.key == "z")))
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen) and app.screen.take_z
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # the 10,00 € field
        await type_text(pilot, "12")  # more than one digit, all shown
        assert app.screen.query_one("#d1000").value == "12"  # type: ignore[attr-defined]
        await pilot.press("f10")
        await settle(pilot)
        # the Z is on screen as printed, over the day's screen
        assert isinstance(app.screen, TextPreview)
        await pilot.press("enter")
        await settle(pilot)
        day = app.screen
        assert isinstance(day, DayScreen) and day.state is not None and day.state.closed
        assert [key for key, _t, _a in day.choices] == ["kitchen", "leave"]  # no shift, no second Z
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login_as(pilot, "Marco", CASHIER_PIN)  # the next login: told, not forced into a shift
        day = app.screen
        assert isinstance(day, DayScreen) and [key for key, _t, _a in day.choices] == ["leave"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    with db.read() as session:
        shift = session.scalar(select(Shift).where(Shift.counter_id == shop.counter))
        assert shift is not None and shift.status is ShiftStatus.CLOSED
        assert shift.counted_cash_cents == 12000
        assert shift.expected_cash_cents == _expected_from_rows(db, shift.id) == 5000 + 490
        assert shift.difference_cents == 12000 - 5490
        (z,) = session.scalars(select(ZReport).where(ZReport.counter_id == shop.counter))
        assert z.number == 1 and z.totals["sales_count"] == 1 and z.totals["sales_cents"] == 490
        assert z.totals["payments"] == {"cash": 490}
    with pytest.raises(NotAllowed, match=r"Z no\. 1"):
        selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})


async def test_after_a_cashier_closes_the_shift_the_manager_takes_the_z_from_the_day_screen(
    db: Database, shop: Shop
) -> None:
    _sell_jam(db, shop)
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, MenuScreen) and "z" not in [e.key for e in menu.entries]
        await type_text(pilot, str(next(i for i, e in enumerate(menu.entries, 1) if e.key == "close_shift")))
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await type_text(pilot, "5")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login_as(pilot, "Marco", CASHIER_PIN)
        day = app.screen
        assert isinstance(day, DayScreen) and [key for key, _t, _a in day.choices] == ["open", "leave"]
        await pilot.press("1")  # open a shift: asked for, and Esc gives up
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen) and not app.screen.closing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DayScreen)
        await pilot.press("escape")
        await settle(pilot)
        await login_as(pilot, "Giulia", MANAGER_PIN)
        day = app.screen
        assert isinstance(day, DayScreen)
        assert [key for key, _t, _a in day.choices] == ["open", "z", "kitchen", "leave"]
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, TextPreview)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DayScreen) and app.screen.state is not None and app.screen.state.closed
    with db.read() as session:
        (z,) = session.scalars(select(ZReport).where(ZReport.counter_id == shop.counter))
        assert z.totals["shifts"][0]["difference_cents"] == 5000 - 5490
        assert session.scalar(select(func.count()).select_from(Shift).where(Shift.status == ShiftStatus.OPEN)) == 0


async def test_menu_entries_follow_the_role(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = {}
        for name, pin in (("Luca", KITCHEN_PIN), ("Marco", CASHIER_PIN), ("Giulia", MANAGER_PIN)):
            await login_as(pilot, name, pin)
            await pilot.press("f12")
            await settle(pilot)
            menu = app.screen
            assert isinstance(menu, MenuScreen)
            seen[name] = {e.key for e in menu.entries}
            await pilot.press("escape")
            await pilot.press("ctrl+l")
            await settle(pilot)
    counter_only = {"refund", "cash_out", "close_shift", "cash_in", "x", "donation"}
    assert not seen["Luca"] & (counter_only | {"z", "reports"})
    assert counter_only <= seen["Marco"] and not seen["Marco"] & {"z", "reports", "k_lab"}
    assert counter_only | {"z", "reports", "k_lab"} <= seen["Giulia"]


async def test_menu_numbers_choose_and_a_mark_tells_of_entries_out_of_sight(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Giulia", MANAGER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, MenuScreen) and len(menu.entries) > 15  # more than fit at 80×24
        listing = menu.query_one("#menu")
        above, below = listing.hidden()  # type: ignore[attr-defined]
        assert above == 0 and below > 0
        assert f"↓ {below}" in str(menu.query_one("#menu-more").render())
        await pilot.press("end")
        await settle(pilot)
        above, below = listing.hidden()  # type: ignore[attr-defined]
        assert above > 0 and below == 0  # the last entry is in sight when it is highlighted
        assert f"↑ {above}" in str(menu.query_one("#menu-more").render())
        lock = next(i for i, e in enumerate(menu.entries, 1) if e.key == "lock")
        assert lock >= 10
        await type_text(pilot, str(lock))  # two digits: the first waits for the second
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_the_sale_belongs_to_who_is_logged_in_when_it_is_paid(db: Database, shop: Shop) -> None:
    from orto.models import PrintJob, SaleOperator

    with db.write() as session:
        aisha = factories.user(session, "Aisha", Role.CASHIER, "3333").id
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)  # the shift is Marco's; his empty sale waits
        await pilot.press("ctrl+l")
        await login_as(pilot, "Aisha", "3333")  # the same shift, the same open sale
        assert isinstance(app.screen, SaleScreen)
        await type_text(pilot, "JAM")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f1")  # exact cash
        await settle(pilot)
    selling.cash_movement(db, shop.counter, shop.cashier, 1000, "change from the bank")
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.status == SaleStatus.COMPLETED))
        assert sale is not None and sale.user_id == shop.cashier.id  # started by Marco...
        by = session.get(SaleOperator, sale.id)
        assert by is not None and by.user_id == aisha  # ...paid with Aisha at the till
        job = session.scalar(select(PrintJob).where(PrintJob.doc_id == sale.id, PrintJob.doc_type == "receipt"))
        assert job is not None and job.document["operator"] == "Aisha"
        shifts = list(session.scalars(select(Shift)))
    assert len(shifts) == 1  # changing operator kept the shift
    operators = selling.x_report(db, shop.counter)["operators"]
    assert operators == [
        {
            "name": "Aisha",
            "sales_count": 1,
            "sales_cents": 490,
            "refunds_cents": 0,
            "cash_cents": 490,
            "cash_moved_cents": 0,
        },
        {
            "name": "Marco",
            "sales_count": 0,
            "sales_cents": 0,
            "refunds_cents": 0,
            "cash_cents": 0,
            "cash_moved_cents": 1000,
        },
    ]


async def test_parked_sales_say_whose_when_and_who_and_ctrl_q_asks_with_a_cart(db: Database, shop: Shop) -> None:
    from pos.tui.dialogs import Choice, Confirm

    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)
        await type_text(pilot, "JAM")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, "Rossi")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("enter")  # 1: parked sales
        await settle(pilot)
        choice = app.screen
        assert isinstance(choice, Choice)
        (text,) = [t for _id, t in choice.options]
        assert "Rossi" in text and "Marco" in text and "1 items" in text and "4.90" in text
        assert any(len(part) == 5 and part[2] == ":" for part in text.split())  # the time, hh:mm
        await pilot.press("enter")  # resumed
        await settle(pilot)
        await pilot.press("ctrl+q")  # a cart is open: asked, and Enter says no
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen) and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 0
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.status == SaleStatus.OPEN))
        assert sale is not None and sale.note == "Rossi" and len(sale.lines) == 1  # kept for the next start


async def test_the_near_expiry_list_holds_its_window_in_units_and_fits_80_columns(db: Database, shop: Shop) -> None:
    from datetime import timedelta

    from orto.models import DateType, Unit

    with db.write() as session:
        salad = factories.product(
            session, "Insalata mista di stagione lavata", code="INS", price_cents=900, vat_rate_bp=400, unit=Unit.KG
        )
        factories.lot(
            session,
            salad,
            location_id=shop.location,
            quantity=23000,
            code="INS-SOON",
            expiry=shop.today + timedelta(days=1),
            date_type=DateType.USE_BY,
        )
        factories.lot(
            session,
            salad,
            location_id=shop.location,
            quantity=500,
            code="INS-OLD",
            expiry=shop.today - timedelta(days=60),
            date_type=DateType.USE_BY,
        )
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        await type_text(pilot, str(next(i for i, e in enumerate(entries, 1) if e.key == "near_expiry")))
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, TextPreview)
        text = preview.text
    assert "INS-SOON" in text and "23.000 kg" in text and "INS-OLD" not in text
    assert "1 more lots are past their date" in text
    assert max(len(line) for line in text.splitlines()) <= 70  # the dialog's width at 80 columns


def test_the_cli_reads_days_as_the_till_writes_them() -> None:
    from datetime import date

    from orto.i18n import format_date, set_language
    from pos.reports.filters import parse_day

    for language in ("it", "en"):
        set_language(language)
        written = format_date(date(2026, 12, 1))
        assert written == "01/12/2026"  # the whole year, in both languages
        assert parse_day(written, "--from") == date(2026, 12, 1)
    set_language("en")
    assert parse_day("2026-12-01", "--from") == date(2026, 12, 1)
    with pytest.raises(Exception, match="25/11/2026"):
        parse_day("2 maggio", "--from")


async def test_an_ambiguous_round_text_asks_which_product(db: Database, shop: Shop) -> None:
    from orto.models import TabLine
    from pos.tui.dialogs import Choice
    from tests.tui.test_tui_flows import _bar

    with db.write() as session:
        plain = factories.product(session, "Cornetto vuoto", code="CRV", price_cents=120, vat_rate_bp=1000)
        factories.product(session, "Cornetto alla crema", code="CRC", price_cents=150, vat_rate_bp=1000)
    selling.open_shift(db, shop.bar, shop.cashier, {})
    from pos.tui.app import OrtoTill

    app = OrtoTill(db, _till(db, shop).settings, _bar(db, shop), start_queue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        await type_text(pilot, str(next(i for i, e in enumerate(entries, 1) if e.key == "tabs")))
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "T1")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "2*cornetto")
        await pilot.press("enter")
        await settle(pilot)
        choice = app.screen
        assert isinstance(choice, Choice)  # two cornetti: asked, not guessed
        assert len(choice.options) == 2
        for _ in range(next(i for i, (pid, _t) in enumerate(choice.options) if pid == plain.id)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
    with db.read() as session:
        lines = list(session.scalars(select(TabLine)))
        assert [(ln.product_id, ln.quantity) for ln in lines] == [(plain.id, 2)]


@pytest.mark.parametrize("language", ["it", "en"])
async def test_the_reports_form_fits_80_by_24(db: Database, shop: Shop, language: str) -> None:
    from textual.widgets import Input, Label

    from orto.i18n import set_language
    from pos.tui.screens import reports as reports_screen

    set_language(language)
    try:
        app = _till(db, shop)
        async with app.run_test(size=(80, 24)) as pilot:
            await login_as(pilot, "Giulia", MANAGER_PIN)
            await pilot.press("f12")
            await settle(pilot)
            entries = app.screen.entries  # type: ignore[attr-defined]
            await type_text(pilot, str(next(i for i, e in enumerate(entries, 1) if e.key == "reports")))
            await settle(pilot)
            if isinstance(app.screen, MenuScreen):  # a number that a second digit could follow: Enter
                await pilot.press("enter")
                await settle(pilot)
            screen = app.screen
            assert isinstance(screen, reports_screen.ReportsScreen)
            for label in screen.query(".r-field Label").results(Label):
                text = str(label.render())
                assert label.size.width * label.size.height >= len(text)  # the whole label in sight
            for field in ("#r-from", "#r-to"):
                box = screen.query_one(field, Input)
                assert box.content_region.width >= len(box.value) == 10  # dd/mm/yyyy whole
    finally:
        set_language("en")


def test_the_menu_order_does_not_depend_on_what_a_process_imported_first() -> None:
    """Menu numbers are what a cashier types: the same entry under the same number in every till."""
    import subprocess
    import sys

    from pos.tui.navigation import menu_entries

    for first in ("reports, gift_cards, people", "gift_cards, kitchen_home", "catering, manager_actions"):
        modules = ", ".join(f"pos.tui.screens.{m.strip()}" for m in first.split(","))
        code = (
            f"import {modules}; from pos.tui.navigation import menu_entries; "
            "print(' '.join(e.key for e in menu_entries()))"
        )
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        assert other == [e.key for e in menu_entries()], first
