"""Refunds at the till (Pilot): what goes back per method, the cash large, cash instead of card,
the number on screen finds the sale, and the refund slip keeps the markdown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from textual.widgets import Digits

from orto.db import Database
from orto.models import DateType, Payment, PaymentMethod, PrintJob, Sale, SaleKind, Shift
from pos import selling
from pos.tui.screens.refund import RefundScreen
from receipts.documents import customer_slip
from receipts.layout import render_text
from tests import factories
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop
from tests.tui.test_till_day import _expected_from_rows, login_as
from tests.tui.test_tui_flows import _till, scan, settle, type_text

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _split_paid(db: Database, shop: Shop) -> selling.SaleResult:
    """Two jars (9,80): 1,00 by card, then a 10 € note (8,80 cash, 1,20 change)."""
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=2)
    return selling.complete_sale(
        db,
        shop.settings,
        sale.id,
        shop.cashier,
        [selling.PaymentInput(PaymentMethod.CARD, 100), selling.PaymentInput(PaymentMethod.CASH, 1000)],
    )


@pytest.mark.parametrize(("all_cash", "back"), [(False, {"card": 100, "cash": 390}), (True, {"cash": 490})])
async def test_a_split_paid_sale_refunded_by_the_number_on_screen(
    db: Database, shop: Shop, all_cash: bool, back: dict[str, int]
) -> None:
    sold = _split_paid(db, shop)
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_as(pilot, "Marco", CASHIER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        await type_text(pilot, str(next(i for i, e in enumerate(entries, 1) if e.key == "refund")))
        await settle(pilot)
        await scan(pilot, str(sold.sale.id))  # the number the status line showed while it was rung up
        await scan(pilot, "1x1")
        refund_screen = app.screen
        assert isinstance(refund_screen, RefundScreen)
        plan_text = str(refund_screen.query_one("#refund-plan").render())
        assert "card" in plan_text and "1.00" in plan_text and "3.90" in plan_text
        assert refund_screen.query_one("#refund-cash", Digits).value == "3.90"
        if all_cash:
            await pilot.press("f2")
            await settle(pilot)
            assert refund_screen.query_one("#refund-cash", Digits).value == "4.90"
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, MANAGER_PIN)  # the refund needs a manager: approving what was on screen
        # back on the sale screen: the cash to hand over, large
        assert app.screen.query_one("#total", Digits).value == f"{back['cash'] / 100:.2f}"
    with db.read() as session:
        refund = session.scalar(select(Sale).where(Sale.kind == SaleKind.REFUND))
        assert refund is not None and refund.total_cents == -490 and refund.original_sale_id == sold.sale.id
        paid = session.scalars(select(Payment).where(Payment.sale_id == refund.id))
        assert {p.method.value: -p.amount_cents for p in paid} == back
        shift = session.scalar(select(Shift).where(Shift.counter_id == shop.counter))
        assert shift is not None
    expected = selling.close_shift(db, shop.counter, shop.cashier, {}).expected_cash_cents
    # the drawer follows what was handed over: the float, the sale's cash, less the refund's cash
    assert expected == _expected_from_rows(db, shift.id) == 5000 + 880 - back["cash"]


def test_the_refund_slip_keeps_the_markdown(db: Database, shop: Shop) -> None:
    with db.write() as session:
        yogurt = factories.product(session, "Yogurt", code="YOG", price_cents=260, vat_rate_bp=1000)
        factories.lot(
            session,
            yogurt,
            location_id=shop.location,
            quantity=5,
            code="YOG-1",
            expiry=shop.today + timedelta(days=1),
            date_type=DateType.BEST_BEFORE,
        )
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "YOG", quantity=2)  # 2 x 2,60, 30% off: 1,56 off
    sold = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [selling.PaymentInput(PaymentMethod.CASH, 500)]
    )
    plan = selling.refund_plan(db, sold.sale.number or "")
    assert plan.total_cents == 364 and plan.back == ((PaymentMethod.CASH, 364),)
    line = selling.refundable(db, sold.sale.number or "")[0][0]
    once = selling.refund(
        db, shop.settings, sold.sale.number or "", shop.counter, shop.manager, lines=[selling.RefundLine(line, 1)]
    )
    twice = selling.refund(db, shop.settings, str(sold.sale.id), shop.counter, shop.manager)
    with db.read() as session:
        refunds = list(session.scalars(select(Sale).where(Sale.kind == SaleKind.REFUND).order_by(Sale.id)))
        marked = [ln.markdown_cents for r in refunds for ln in r.lines]
        assert marked == [-78, -78] and sum(r.total_cents for r in refunds) == -364  # all of it, no cent lost
        job = session.scalar(select(PrintJob).where(PrintJob.doc_id == once.sale.id, PrintJob.doc_type == "refund"))
        assert job is not None
        slip = render_text(customer_slip(job.document))
    assert "near-expiry markdown" in slip and "0.78" in slip and "-0.78" not in slip.replace("--", "")
    assert "-2.60" in slip and "-1.82" in slip  # the price paid back, less the markdown: the total
    assert twice.sale.total_cents == -182
