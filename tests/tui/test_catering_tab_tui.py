"""At the bar's tab screen (MON-1), Pilot: A puts the tab on an association's account, chosen by
a search among the customers allowed one; the database then holds the charge and its invoice."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from orto.config import PrinterConfig
from orto.db import Database
from orto.models import AccountEntry, Counter, Invoice, Tab, TabStatus
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.context import CounterInfo
from tests.catering_world import build_kitchen
from tests.integration.test_catering_accounts_public import association
from tests.shop import CASHIER_PIN
from tests.tui.workers import work_done

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(5):
        await work_done(pilot)
        await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:  # type: ignore[type-arg]
    await pilot.press(*list(text))


async def test_a_tab_put_on_an_associations_account_at_the_bar(db: Database) -> None:
    k = build_kitchen(db)
    customer = association(k)
    association(k, allowed=False)  # not offered
    shop = k.shop
    selling.open_shift(db, shop.bar, shop.cashier, {})
    tab = selling.open_tab(db, shop.bar, shop.cashier, "Circolo")
    selling.add_round(db, tab.id, shop.cashier, [(shop.water, 2, None), (shop.toast, 1, None)])
    with db.read() as session:
        counter = session.get(Counter, shop.bar)
        assert counter is not None
        info = CounterInfo(
            counter.id, counter.code, counter.name, counter.kind, counter.site_id, counter.site.code, counter.site.name
        )
    settings = replace(k.settings, printers={"banco": PrinterConfig("banco", "none")}, counter_printers={})
    app = OrtoTill(db, settings, info, start_queue=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        for _ in range(next(i for i, e in enumerate(entries) if e.key == "tabs")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")  # on account
        await settle(pilot)
        await type_text(pilot, "circolo")
        await pilot.press("enter")
        await settle(pilot)
        choices = [str(o.prompt) for o in app.screen.query_one("#choices").options]  # type: ignore[attr-defined]
        assert choices == ["Circolo Arci Monti  (balance 0.00)"]
        await pilot.press("enter")
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert "Tab Circolo on account: 6.00" in shown
    with db.read() as session:
        closed = session.get(Tab, tab.id)
        assert closed is not None and closed.status is TabStatus.CLOSED
        entry = session.scalar(select(AccountEntry).where(AccountEntry.tab_id == tab.id))
        assert entry is not None and entry.customer_id == customer and entry.amount_cents == 600
        invoice = session.get(Invoice, entry.invoice_id)
        assert invoice is not None and invoice.doc_type == "TD01" and invoice.total_cents == 600
