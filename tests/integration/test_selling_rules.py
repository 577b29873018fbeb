"""The rules of the counter, one by one, each checked in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.models import (
    AuditEntry,
    DateType,
    FundMovement,
    GiftCard,
    PaymentMethod,
    PrintJob,
    Recall,
    Sale,
    SaleStatus,
    SolidarityFund,
    StockMovement,
    Tab,
    TabStatus,
    User,
    WasteRecord,
)
from pos import selling
from pos.selling import ApprovalRequired, PaymentInput, RefundLine
from tests import factories
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _pay_cash(db: Database, shop: Shop, sale_id: int, amount: int) -> selling.SaleResult:
    return selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [PaymentInput(PaymentMethod.CASH, amount)])


def test_unknown_and_misread_codes_add_nothing_and_say_why(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotFound, match="unknown code 8001234567880"):
        selling.add_item(db, sale.id, shop.cashier, "8001234567880")
    with pytest.raises(InvalidInput, match="should be 7"):
        selling.add_item(db, sale.id, shop.cashier, "8001234567891")
    with pytest.raises(NotFound, match="PLU 999"):
        selling.add_item(db, sale.id, shop.cashier, "2100999012508")
    with pytest.raises(InvalidInput, match="type the weight"):
        selling.add_item(db, sale.id, shop.cashier, "POM")
    assert selling.get_sale(db, sale.id).lines == ()


def test_price_labels_give_grams_from_the_price(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "2300101004388")  # PLU 101, 4,38 € at 3,50 €/kg
    assert sale.lines[0].quantity == 1251 and sale.lines[0].total_cents == 438


def test_a_sale_needs_an_open_shift(db: Database) -> None:
    shop = build_shop(db)
    with pytest.raises(NotAllowed, match="open one first"):
        selling.start_sale(db, shop.counter, shop.cashier)


def test_the_open_sale_survives_a_restart(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    again = selling.start_sale(db, shop.counter, shop.cashier)  # a new till process starting
    assert again.id == sale.id and [ln.product_code for ln in again.lines] == ["JAM"]


def test_use_by_past_is_refused_best_before_past_is_marked_down(db: Database, shop: Shop) -> None:
    with db.write() as session:
        milk = factories.product(session, "Latte", code="MILK", price_cents=180, vat_rate_bp=400)
        factories.lot(
            session,
            milk,
            location_id=shop.location,
            quantity=5,
            code="MILK-OLD",
            expiry=shop.today - timedelta(days=1),
            date_type=DateType.USE_BY,
        )
        biscuits = factories.product(session, "Biscotti", code="BIS", price_cents=400, vat_rate_bp=1000)
        factories.lot(
            session,
            biscuits,
            location_id=shop.location,
            quantity=5,
            code="BIS-OLD",
            expiry=shop.today - timedelta(days=3),
            date_type=DateType.BEST_BEFORE,
        )
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="MILK-OLD is past its use-by date"):
        selling.add_item(db, sale.id, shop.cashier, "MILK")
    sale = selling.add_item(db, sale.id, shop.cashier, "BIS")
    assert sale.lines[0].markdown_cents == 120 and sale.lines[0].total_cents == 280  # 30% off
    assert any("past its best-before" in w for w in sale.warnings)


def test_near_expiry_markdown_follows_the_rule(db: Database, shop: Shop) -> None:
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
    sale = selling.add_item(db, sale.id, shop.cashier, "YOG")
    assert sale.lines[0].markdown_cents == 78 and sale.lines[0].lot_code == "YOG-1"


def test_a_recalled_lot_cannot_be_sold(db: Database, shop: Shop) -> None:
    with db.write() as session:
        session.add(Recall(lot_id=shop.jam_lot, reason="vasetti non sigillati"))
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="recalled: vasetti non sigillati"):
        selling.add_item(db, sale.id, shop.cashier, "8001234567897")


def test_big_discounts_and_every_override_need_a_manager(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=2)
    line = sale.lines[0].id
    sale = selling.discount_line(db, shop.settings, sale.id, shop.cashier, line, percent_bp=1000)  # 10%: alone
    assert sale.total_cents == 882
    with pytest.raises(ApprovalRequired):
        selling.discount_line(db, shop.settings, sale.id, shop.cashier, line, percent_bp=2000)
    with pytest.raises(ApprovalRequired, match="not a manager"):
        selling.discount_line(db, shop.settings, sale.id, shop.cashier, line, percent_bp=2000, approver_pin=CASHIER_PIN)
    sale = selling.discount_line(
        db, shop.settings, sale.id, shop.cashier, line, percent_bp=2000, approver_pin=MANAGER_PIN
    )
    assert sale.total_cents == 784
    with pytest.raises(ApprovalRequired):
        selling.override_price(db, sale.id, shop.cashier, line, 300)
    sale = selling.override_price(db, sale.id, shop.cashier, line, 300, approver_pin=MANAGER_PIN)
    assert sale.lines[0].unit_price_cents == 300 and sale.total_cents == 480
    with db.read() as session:
        actions = [(a.action, a.approver_id) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("price_override", shop.manager.id) in actions
    assert ("discount", shop.manager.id) in actions


def test_a_sale_discount_is_spread_so_vat_stays_exact(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "2100101010002")  # 1 kg tomatoes, 3,50 at 4%
    selling.add_item(db, sale.id, shop.cashier, "JAM")  # 4,90 at 10%
    sale = selling.discount_sale(db, shop.settings, sale.id, shop.cashier, amount_cents=84)
    assert sale.total_cents == 756
    assert sum(ln.total_cents for ln in sale.lines) == sale.total_cents
    assert sum(ln.discount_cents for ln in sale.lines) == 84
    assert sum(v.taxable_cents + v.tax_cents for v in sale.vat) == 756


def test_the_bar_charges_the_on_site_rate(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.bar, shop.cashier, {})
    sale = selling.start_sale(db, shop.bar, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "8000000000017")
    assert sale.lines[0].vat_rate_bp == 1000
    shelf = selling.start_sale(db, shop.counter, shop.cashier)
    shelf = selling.add_product(db, shelf.id, shop.cashier, shop.water)
    assert shelf.lines[0].vat_rate_bp == 2200


def test_completing_twice_counts_once(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    first = _pay_cash(db, shop, sale.id, 500)
    second = _pay_cash(db, shop, sale.id, 500)
    assert first.sale.number == second.sale.number
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(StockMovement).where(StockMovement.kind == "sale")) == 1
        assert session.scalar(select(func.count()).select_from(PrintJob)) == 1


def test_underpaid_sales_do_not_complete(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    with pytest.raises(InvalidInput, match="still due"):
        selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 400)])
    with pytest.raises(InvalidInput, match="more than"):
        selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 600)])
    assert selling.get_sale(db, sale.id).status is SaleStatus.OPEN


def test_vouchers_gift_cards_and_spesa_sospesa(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=3)  # 14,70
    with pytest.raises(InvalidInput, match="referral"):
        selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.SOLIDARITY, 500)])
    result = selling.complete_sale(
        db,
        shop.settings,
        sale.id,
        shop.cashier,
        [
            PaymentInput(PaymentMethod.GIFT_CARD, 700, "GC1"),
            PaymentInput(PaymentMethod.SOLIDARITY, 500, "SS-2026-17"),
            PaymentInput(PaymentMethod.VOUCHER, 800, "BP-1"),  # worth 8 €, 2,70 due: no change
        ],
    )
    assert result.change_cents == 0
    assert any("no change" in w for w in result.warnings)
    with db.read() as session:
        card = session.scalar(select(GiftCard).where(GiftCard.code == "GC1"))
        fund = session.scalar(select(SolidarityFund).where(SolidarityFund.name == "Spesa sospesa PAL"))
        assert card is not None and card.balance_cents == 300
        assert fund is not None and fund.balance_cents == 1500
        redemption = session.scalar(select(FundMovement).where(FundMovement.kind == "redemption"))
        assert redemption is not None and redemption.referral == "SS-2026-17"
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=4)
    with pytest.raises(NotAllowed, match="fund holds only"):
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.SOLIDARITY, 1960, "SS-2026-18")]
        )
    assert selling.donate_to_fund(db, shop.counter, shop.cashier, 1000) == 2500


def test_refunds_never_exceed_what_was_sold(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=3)
    done = _pay_cash(db, shop, sale.id, 1500)
    number = done.sale.number or ""
    line = done.sale.lines[0].id
    with pytest.raises(ApprovalRequired):
        selling.refund(db, shop.settings, number, shop.counter, shop.cashier, lines=[RefundLine(line, 1)])
    selling.refund(db, shop.settings, number, shop.counter, shop.manager, lines=[RefundLine(line, 2)])
    with pytest.raises(NotAllowed, match="only 1 left"):
        selling.refund(db, shop.settings, number, shop.counter, shop.manager, lines=[RefundLine(line, 2)])
    last = selling.refund(
        db, shop.settings, number, shop.counter, shop.manager, lines=[RefundLine(line, 1, restock=False)]
    )
    assert last.sale.total_cents == -490
    with pytest.raises(NotAllowed, match="already been refunded"):
        selling.refund(db, shop.settings, number, shop.counter, shop.manager)
    with db.read() as session:
        waste = session.scalars(select(WasteRecord)).all()
        assert [(w.quantity, w.value_cents) for w in waste] == [(1, 200)]
        back = session.scalar(select(func.sum(StockMovement.quantity)).where(StockMovement.lot_id == shop.jam_lot))
        assert back == 30 - 3 + 2  # two back on the shelf, one to waste


def test_park_resume_and_cancel_are_recorded(db: Database, shop: Shop) -> None:
    first = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, first.id, shop.cashier, "JAM")
    selling.park_sale(db, first.id, shop.cashier, "signora con il cane")
    second = selling.start_sale(db, shop.counter, shop.cashier)
    assert second.id != first.id
    selling.add_item(db, second.id, shop.cashier, "JAM")
    with pytest.raises(NotAllowed, match="park or finish"):
        selling.resume_sale(db, first.id, shop.cashier)
    selling.cancel_sale(db, second.id, shop.cashier, "cliente senza soldi")
    resumed = selling.resume_sale(db, first.id, shop.cashier)
    assert resumed.status is SaleStatus.OPEN and len(resumed.lines) == 1
    with db.read() as session:
        cancelled = session.get(Sale, second.id)
        assert cancelled is not None and cancelled.status is SaleStatus.CANCELLED
        assert cancelled.cancel_reason == "cliente senza soldi"


def test_five_wrong_pins_lock_for_a_minute(db: Database, shop: Shop) -> None:
    for _ in range(4):
        with pytest.raises(selling.LoginFailed, match="wrong PIN"):
            selling.login(db, shop.cashier.id, "0000")
    with pytest.raises(selling.LoginFailed, match="locked"):
        selling.login(db, shop.cashier.id, "0000")
    with pytest.raises(selling.LoginFailed, match="locked until"):
        selling.login(db, shop.cashier.id, CASHIER_PIN)
    with db.write() as session:
        user = session.get(User, shop.cashier.id)
        assert user is not None and user.locked_until is not None
        user.locked_until = user.locked_until - timedelta(minutes=2)
    assert selling.login(db, shop.cashier.id, CASHIER_PIN).name == "Marco"


def test_a_tab_refused_at_the_till_leaves_no_empty_sale_behind(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.bar, shop.cashier, {})
    empty = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 9")

    def sales() -> int:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(Sale).where(Sale.counter_id == shop.bar)) or 0)

    before = sales()
    with pytest.raises(NotAllowed, match="nothing left to pay"):
        selling.tab_to_sale(db, empty.id, shop.bar, shop.cashier)
    assert sales() == before  # one transaction: the sale it would have opened went with the refusal
    selling.add_round(db, empty.id, shop.cashier, [(shop.water, 1, None)])
    sale = selling.tab_to_sale(db, empty.id, shop.bar, shop.cashier)
    assert sales() == before + 1 and [ln.quantity for ln in sale.lines] == [1]


def test_bar_tabs_rounds_kitchen_merge_and_split(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.bar, shop.cashier, {})
    table = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 4")
    other = selling.open_tab(db, shop.bar, shop.cashier, "Luca")
    selling.add_round(db, table.id, shop.cashier, [(shop.water, 2, None), (shop.toast, 1, "senza formaggio")])
    selling.add_round(db, other.id, shop.cashier, [(shop.water, 1, None)])
    jobs = selling.send_to_kitchen(db, shop.settings, table.id, shop.cashier)
    assert len(jobs) == 1 and selling.send_to_kitchen(db, shop.settings, table.id, shop.cashier) == []
    merged = selling.merge_tabs(db, other.id, table.id, shop.cashier)
    assert merged.total_cents == 100 * 3 + 400
    toast_line = next(ln.id for ln in merged.lines if ln.product_id == shop.toast)
    sale = selling.tab_to_sale(db, table.id, shop.bar, shop.cashier, line_ids=[toast_line])
    assert sale.total_cents == 400
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 400)])
    rest = selling.tab_to_sale(db, table.id, shop.bar, shop.cashier)
    parts = selling.split_evenly(rest.total_cents, 3)
    assert parts == [100, 100, 100]
    selling.complete_sale(
        db,
        shop.settings,
        rest.id,
        shop.cashier,
        [PaymentInput(PaymentMethod.CARD, p) for p in parts[:2]] + [PaymentInput(PaymentMethod.CASH, parts[2])],
    )
    with db.read() as session:
        tab = session.get(Tab, table.id)
        assert tab is not None and tab.status is TabStatus.CLOSED
        kitchen = session.scalar(select(PrintJob).where(PrintJob.doc_type == "kitchen"))
        assert kitchen is not None and kitchen.document["lines"][0]["note"] == "senza formaggio"
    assert selling.split_evenly(1000, 3) == [334, 333, 333]
