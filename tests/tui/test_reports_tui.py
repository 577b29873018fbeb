"""The reports screen in the till, driven by Pilot: a manager previews the sales report and
writes it as a file into the documents folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.widgets import Static

from orto.db import Database
from orto.models import PaymentMethod
from orto.money import format_amount
from pos import selling
from pos.tui import documents
from pos.tui.screens import reports as reports_screen
from tests.shop import MANAGER_PIN, Shop, build_shop
from tests.tui.test_tui_flows import _till, login, settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_manager_previews_and_writes_the_sales_report(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop: Shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=3)
    done = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [selling.PaymentInput(PaymentMethod.CARD, 1470)]
    )
    assert done.sale.total_cents == 1470
    monkeypatch.setattr(documents, "documents_dir", lambda: tmp_path)

    app = _till(db, shop)
    async with app.run_test(size=(110, 40)) as pilot:
        await login(pilot, 0, MANAGER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        keys = [entry.key for entry in app.screen.entries]  # type: ignore[attr-defined]
        await pilot.press(*["down"] * keys.index("reports"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, reports_screen.ReportsScreen)
        await pilot.press("f5")
        await settle(pilot)
        preview = str(app.screen.query_one("#r-preview", Static).render())
        assert "Sales" in preview and format_amount(1470, "en") in preview
        await pilot.press("f9")
        await settle(pilot)
    written = list(tmp_path.glob("sales-PAL-*.pdf"))
    assert len(written) == 1
    text = "".join(page.extract_text() for page in PdfReader(written[0]).pages)
    assert "14.70" in text or "14,70" in text
