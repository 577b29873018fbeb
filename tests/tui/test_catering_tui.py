"""The catering screen at CAP-1 in the real till, driven by Pilot: a new quote typed question by
question, confirmed, a private customer's deposit put on the counter's sale and paid there, the
delivery, the order of a business invoiced by a manager — each step checked in the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input

from catering.orders import MenuLine, QuoteInput, create_quote
from orto.config import PrinterConfig
from orto.db import Database
from orto.models import CateringOrder, CateringPayment, Counter, DeliveryNote, Invoice, Sale, SaleStatus
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.context import CounterInfo
from tests.catering_world import Kitchen, build_kitchen, event
from tests.shop import CASHIER_PIN, MANAGER_PIN
from tests.tui.workers import work_done

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _till(db: Database, k: Kitchen) -> OrtoTill:
    with db.read() as session:
        counter = session.scalar(select(Counter).where(Counter.code == "CAP-1"))
        assert counter is not None
        info = CounterInfo(
            counter.id, counter.code, counter.name, counter.kind, counter.site_id, counter.site.code, counter.site.name
        )
    settings = replace(k.settings, printers={"banco": PrinterConfig("banco", "none")}, counter_printers={})
    return OrtoTill(db, settings, info, start_queue=False)


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(6):
        await work_done(pilot)
        await pilot.pause()


async def say(pilot: Pilot, text: str = "") -> None:  # type: ignore[type-arg]
    field = pilot.app.focused
    if text and isinstance(field, Input):
        field.value = text  # typed over the selected default
    await pilot.press("enter")
    await settle(pilot)


async def login(pilot: Pilot, index: int, pin: str) -> None:  # type: ignore[type-arg]
    await settle(pilot)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press(*list(pin))
    await pilot.press("enter")
    await settle(pilot)


async def open_catering(pilot: Pilot) -> None:  # type: ignore[type-arg]
    await pilot.press("f12")
    await settle(pilot)
    entries = pilot.app.screen.entries  # type: ignore[attr-defined]
    for _ in range(next(i for i, e in enumerate(entries) if e.key == "catering")):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CateringScreen"


def _order(db: Database, number: str) -> CateringOrder:
    with db.read() as session:
        order = session.scalar(select(CateringOrder).where(CateringOrder.number == number))
        assert order is not None
        return order


async def test_a_private_order_at_the_counter(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    k = build_kitchen(db)
    selling.open_shift(db, k.counter, k.shop.cashier, {1000: 5})
    app = _till(db, k)
    day = (date.today() + timedelta(days=12)).strftime("%d/%m/%Y")
    async with app.run_test(size=(120, 36)) as pilot:
        await login(pilot, 1, CASHIER_PIN)  # Giulia, Marco
        await open_catering(pilot)
        await pilot.press("n")
        await settle(pilot)
        for answer in (
            "Rossi",
            day,
            "19:30",
            "8",
            "Via Porpora 4",
            "Aperitivo=9,00",
            "@GIARD Giardiniera=6,50x4",
            "",
            "1 celiaco",
        ):
            await say(pilot, answer)
        order = _order(db, "CAT-2026-0001")
        assert (order.guests, order.total_cents, order.status, order.dietary) == (8, 9800, "quote", "1 celiaco")
        await pilot.press("c")
        await settle(pilot)
        assert _order(db, "CAT-2026-0001").status == "confirmed"
        await pilot.press("d")
        await settle(pilot)
        assert pilot.app.focused is not None and pilot.app.focused.value == "29.40"  # type: ignore[attr-defined]
        await say(pilot)  # 30 %, as suggested
        with db.read() as session:
            payment = session.scalar(select(CateringPayment))
            assert payment is not None and payment.amount_cents == 2940 and payment.sale_id is not None
        await pilot.press("v")
        await settle(pilot)
        assert _order(db, "CAT-2026-0001").status == "delivered"
        await pilot.press("escape")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "SaleScreen"
        cart = pilot.app.screen.sale  # type: ignore[attr-defined]
        assert cart is not None and cart.total_cents == 2940
    with db.read() as session:
        note = session.scalar(select(DeliveryNote))
        assert note is not None and [i.quantity for i in note.items] == [4]
        sale = session.get(Sale, payment.sale_id)
        assert sale is not None and sale.status is SaleStatus.OPEN
    assert list((tmp_path / "Documents" / "Orto").glob("DDT-CAT-2026-0001-*.pdf"))


async def test_a_manager_invoices_a_business_order(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    k = build_kitchen(db)
    selling.open_shift(db, k.counter, k.shop.cashier, {1000: 5})
    order = create_quote(
        db, k.cashier, QuoteInput(k.business, event(5, k.today), 20, [MenuLine("Buffet", 1500)], place="Via Padova 21")
    )
    app = _till(db, k)
    async with app.run_test(size=(120, 36)) as pilot:
        await login(pilot, 0, MANAGER_PIN)
        await open_catering(pilot)
        for key in ("c", "d"):
            await pilot.press(key)
            await settle(pilot)
        await say(pilot, "90,00")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
    with db.read() as session:
        kinds = [(i.doc_type, i.total_cents) for i in session.scalars(select(Invoice).order_by(Invoice.id))]
        assert kinds == [("TD02", 9000), ("TD01", 21000)]
        assert session.get(CateringOrder, order).status == "invoiced"  # type: ignore[union-attr]
    folder = tmp_path / "Documents" / "Orto"
    assert sorted(p.name for p in folder.glob("IT*")) == ["IT07654320154_00002.pdf", "IT07654320154_00002.xml"]


async def test_a_customers_statement_at_the_counter_shows_what_is_overdue(db: Database) -> None:
    from datetime import timedelta as days

    from textual.widgets import Static

    from catering import money

    k = build_kitchen(db)
    money.charge_account(db, k.cashier, k.business, 4500, "Bar tab, assemblea", today=date.today() - days(40))
    money.charge_account(db, k.cashier, k.business, 3000, "Bar tab, festa", today=date.today())
    selling.open_shift(db, k.counter, k.shop.cashier, {1000: 5})
    app = _till(db, k)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, 1, CASHIER_PIN)
        await open_catering(pilot)
        await pilot.press("e")
        await settle(pilot)
        await say(pilot, "Ortica")
        shown = str(pilot.app.screen.query_one("#k-info", Static).render())
    assert "Associazione Ortica APS" in shown and "Bar tab, assemblea" in shown
    assert "OVERDUE €45.00" in shown and "Balance €75.00, overdue €45.00" in shown
