"""Gift cards sold, topped up, spent and refunded at the till: balances, the Z, the slip, the RT."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.models import GiftCard, GiftCardLoad, GiftCardMovement, PaymentMethod, PrintJob, Sale, SaleStatus
from orto.money import format_amount
from pos import selling
from pos.selling import PaymentInput, RefundLine
from pos.selling import gift_cards as cards
from receipts.documents import layout_for
from receipts.fiscal.document import NOT_COLLECTED
from receipts.fiscal.rules import TENDERS, receipt_of
from receipts.layout import render_text
from receipts.snapshots import sale_snapshot
from tests.shop import Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _card(db: Database, code: str) -> GiftCard:
    with db.read() as session:
        card = session.scalar(select(GiftCard).where(GiftCard.code == code))
        assert card is not None
        session.expunge(card)
        return card


def _cash(db: Database, shop: Shop, sale_id: int, amount: int) -> selling.SaleResult:
    return selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [PaymentInput(PaymentMethod.CASH, amount)])


def test_a_card_sold_with_goods_is_loaded_at_the_commit_and_outside_the_vat(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")  # 4,90 at 10 %
    open_sale = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 5000)
    (line,) = open_sale.gift_cards
    assert open_sale.total_cents == 5490 and open_sale.goods_cents == 490
    assert [v.rate_bp for v in open_sale.vat] == [1000] and sum(v.gross_cents for v in open_sale.vat) == 490
    assert line.code.startswith("GC") and len(line.code) == 14
    # nothing is loaded while the sale is open
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(GiftCard).where(GiftCard.code == line.code)) == 0
    # a scan after the card keeps it in the total
    assert selling.add_item(db, sale.id, shop.cashier, "JAM").total_cents == 5980

    done = _cash(db, shop, sale.id, 6000)
    assert done.change_cents == 20 and done.sale.total_cents == 5980
    card = _card(db, line.code)
    assert card.balance_cents == 5000 and card.active and card.expires_on is None
    with db.read() as session:
        moves = session.scalars(select(GiftCardMovement).where(GiftCardMovement.gift_card_id == card.id)).all()
        assert [(m.amount_cents, m.sale_id) for m in moves] == [(5000, sale.id)]
        load = session.scalar(select(GiftCardLoad).where(GiftCardLoad.sale_id == sale.id))
        assert load is not None and load.gift_card_id == card.id and load.balance_cents == 5000
        jobs = session.scalars(select(PrintJob).where(PrintJob.doc_id == sale.id).order_by(PrintJob.id)).all()
    slip, voucher = jobs
    assert slip.doc_type == "receipt" and voucher.doc_type == "gift_card"
    with db.read() as session:  # a reprint, built from the stored rows, says what the slip said
        stored = session.get(Sale, sale.id)
        assert stored is not None and slip.document == sale_snapshot(session, shop.settings, stored)
    # the sale's slip: the card masked, outside VAT, its new balance; the VAT table the goods' only
    assert slip.document["vat"] == [{"rate_bp": 1000, "taxable_cents": 891, "tax_cents": 89, "gross_cents": 980}]
    text = render_text(layout_for(slip.document))
    assert "GC********" + line.code[-4:] in text and line.code not in text
    assert format_amount(5000) in text and format_amount(5980) in text
    # the card's own slip: the whole code, for its barcode
    assert voucher.document["code"] == line.code
    assert cards.grouped(line.code) in render_text(layout_for(voucher.document))

    # the Z: the card in the sales and the payments, not in the VAT table
    z = selling.x_report(db, shop.counter)
    assert z["sales_cents"] == 5980 and z["net_cents"] == 5980
    assert z["gift_cards_cents"] == 5000 and z["gift_cards_count"] == 1
    assert sum(v["gross_cents"] for v in z["vat"]) == 980
    assert z["payments"] == {"cash": 5980}


def test_top_up_pay_and_refund_move_the_balance(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    code = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 2000).gift_cards[0].code
    _cash(db, shop, sale.id, 2000)

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    typed = cards.grouped(code).lower().replace(" ", "-")  # read however it was typed
    topped = cards.top_up_card(db, shop.settings, sale.id, shop.cashier, typed, 1500)
    assert topped.gift_cards[0].kind == "top_up" and topped.total_cents == 1500
    with pytest.raises(NotAllowed, match="already on this sale"):
        cards.top_up_card(db, shop.settings, sale.id, shop.cashier, code, 100)
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 1500)])
    assert _card(db, code).balance_cents == 3500

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=2)  # 9,80
    paid = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.GIFT_CARD, 980, code)]
    )
    assert _card(db, code).balance_cents == 2520
    with db.read() as session:
        slip = session.scalar(select(PrintJob).where(PrintJob.doc_id == sale.id, PrintJob.doc_type == "receipt"))
        assert slip is not None
    assert slip.document["payments"][0]["card_balance_cents"] == 2520
    with db.read() as session:
        stored = session.get(Sale, sale.id)
        assert stored is not None and slip.document == sale_snapshot(session, shop.settings, stored)
    assert format_amount(2520) in render_text(layout_for(slip.document))

    line = paid.sale.lines[0].id
    selling.refund(db, shop.settings, paid.sale.number or "", shop.counter, shop.manager, lines=[RefundLine(line, 1)])
    assert _card(db, code).balance_cents == 3010

    found = cards.balance(db, code)
    assert found.balance_cents == 3010 and not found.expired
    assert [m.what for m in found.movements] == ["refunded", "spent", "topped_up", "loaded"]
    assert [m.amount_cents for m in found.movements] == [490, -980, 1500, 2000]


def test_a_cancelled_sale_loads_nothing(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    code = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 3000).gift_cards[0].code
    cards.top_up_card(db, shop.settings, sale.id, shop.cashier, "GC1", 500)
    selling.cancel_sale(db, sale.id, shop.manager, "changed her mind")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(GiftCard).where(GiftCard.code == code)) == 0
        assert session.get(Sale, sale.id).status is SaleStatus.CANCELLED  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(GiftCardMovement)) == 0
    assert _card(db, "GC1").balance_cents == 1000
    with pytest.raises(NotFound):
        cards.balance(db, code)


def test_a_card_removed_from_the_sale_leaves_the_total(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    load = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 1000).gift_cards[0]
    after = cards.remove_card(db, sale.id, shop.cashier, load.id)
    assert after.gift_cards == () and after.total_cents == 490
    done = _cash(db, shop, sale.id, 490)
    assert done.sale.total_cents == 490


def test_limits_and_refusals_say_what_is_wrong(db: Database, shop: Shop) -> None:
    settings = dataclasses.replace(shop.settings, raw={"gift_cards": {"max_euros": 100, "validity_months": 12}})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(InvalidInput, match=r"at least €?1[,.]00"):
        cards.sell_card(db, settings, sale.id, shop.cashier, 99)
    with pytest.raises(InvalidInput, match=r"at most €?100[,.]00"):
        cards.sell_card(db, settings, sale.id, shop.cashier, 10_001)
    with pytest.raises(NotAllowed, match=r"at most €?90[,.]00 more"):
        cards.top_up_card(db, settings, sale.id, shop.cashier, "GC1", 9_500)  # GC1 holds 10,00
    with pytest.raises(NotFound, match="no gift card GC999"):
        cards.top_up_card(db, settings, sale.id, shop.cashier, "GC999", 500)
    with pytest.raises(NotAllowed, match="already exists"):
        cards.sell_card(db, settings, sale.id, shop.cashier, 500, code="gc1")
    code = cards.new_code()
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(InvalidInput, match="check digit"):
        cards.sell_card(db, settings, sale.id, shop.cashier, 500, code=wrong)

    # a pre-printed card scanned: its code; valid 12 months from the sale
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    cards.sell_card(db, settings, sale.id, shop.cashier, 5000, code="CARD-000123")
    # a card cannot be bought with a gift card: only the goods can
    with pytest.raises(NotAllowed, match=r"at most €?4[,.]90"):
        selling.complete_sale(db, settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.GIFT_CARD, 1000, "GC1")])
    done = selling.complete_sale(
        db,
        settings,
        sale.id,
        shop.cashier,
        [PaymentInput(PaymentMethod.GIFT_CARD, 490, "GC1"), PaymentInput(PaymentMethod.CASH, 5000)],
    )
    assert done.sale.status is SaleStatus.COMPLETED
    card = _card(db, "CARD000123")  # kept as read: no hyphens
    assert card.balance_cents == 5000 and card.expires_on == cards.expiry_from(selling.business_date(), 12)
    with db.read() as session:  # no own slip for a card whose code Orto did not make
        assert session.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.doc_type == "gift_card")) == 0

    # an expired or blocked card is refused, to pay and to top up
    with db.write() as session:
        expired = session.scalar(select(GiftCard).where(GiftCard.code == "CARD000123"))
        assert expired is not None
        expired.expires_on = date.today() - timedelta(days=1)
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="expired on"):
        cards.top_up_card(db, settings, sale.id, shop.cashier, "CARD-000123", 500)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    with pytest.raises(NotAllowed, match="expired on"):
        selling.complete_sale(
            db, settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.GIFT_CARD, 490, "CARD-000123")]
        )
    assert cards.balance(db, "card 000123").expired


def test_the_rt_gets_the_card_outside_vat_and_its_spending_not_collected() -> None:
    slip = {
        "kind": "sale",
        "lines": [
            {
                "description": "Confettura",
                "quantity": 1,
                "weighed": False,
                "unit_price_cents": 490,
                "gross_cents": 490,
                "markdown_cents": 0,
                "discount_cents": 0,
                "total_cents": 490,
                "vat_rate_bp": 1000,
            }
        ],
        "gift_cards": [{"kind": "new", "code": "GC********9012", "amount_cents": 5000}],
        "total_cents": 5490,
        "payments": [{"method": "cash", "amount_cents": 5490, "tendered_cents": 6000}],
    }
    with pytest.raises(InvalidInput, match='"N2" = 5'):
        receipt_of(slip, {1000: 2}, "cassa")
    doc = receipt_of(slip, {1000: 2, -1: 5}, "cassa")
    assert [(i.description, i.department, i.total_cents) for i in doc.items] == [
        ("Confettura", 2, 490),
        ("CARTA REGALO 9012", 5, 5000),
    ]
    assert TENDERS["gift_card"][1] == NOT_COLLECTED


def test_orto_giftcard_balance_reads_the_card(db: Database, shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli.app import main_group

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    code = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 2500).gift_cards[0].code
    done = _cash(db, shop, sale.id, 2500)
    before = _card(db, code).balance_cents
    status = main_group(["--db", db.url, "--lang", "en", "giftcard", "balance", cards.grouped(code)])
    out, _err = capsys.readouterr()
    assert status == 0
    assert f"Gift card {cards.grouped(code)}" in out and "Balance: €25.00" in out and "No expiry" in out
    assert "loaded" in out and (done.sale.number or "") in out
    assert _card(db, code).balance_cents == before  # read-only
    status = main_group(["--db", db.url, "--lang", "en", "giftcard", "balance", "GC000000000000"])
    out, err = capsys.readouterr()
    assert status != 0 and "no gift card GC000000000000" in out + err and "Traceback" not in out + err


async def test_selling_a_card_at_the_till_then_looking_up_its_balance(db: Database, shop: Shop) -> None:
    from textual.widgets import Static

    from pos.tui.cart import CartTable
    from tests.tui.test_tui_flows import _till, login, menu_entry, scan, settle, type_text

    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        await menu_entry(pilot, "gift_card_sell")
        await type_text(pilot, "30")
        await pilot.press("enter")  # the amount
        await settle(pilot)
        await pilot.press("enter")  # no pre-printed card: Orto makes the code
        await settle(pilot)
        with db.read() as session:
            load = session.scalar(select(GiftCardLoad))
            assert load is not None and load.amount_cents == 3000
            code = load.code
        cart = app.screen.query_one("#cart", CartTable)
        assert cart.row_count == 2
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f1")  # exact cash: 34,90
        await settle(pilot)
        assert _card(db, code).balance_cents == 3000

        await menu_entry(pilot, "gift_card_balance")
        await type_text(pilot, code)
        await pilot.press("enter")
        await settle(pilot)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert cards.grouped(code) in shown and format_amount(3000) in shown
