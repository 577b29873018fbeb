"""A gift card scanned where goods are scanned: the cashier is told what it is and what to do,
never "unknown code", and the sale is left as it was."""

from __future__ import annotations

import pytest

from orto.db import Database
from orto.errors import InvalidInput, NotFound
from orto.models import PaymentMethod
from orto.money import format_money
from pos import selling
from pos.selling import PaymentInput
from pos.selling import gift_cards as cards
from tests.shop import Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _sold(db: Database, shop: Shop, code: str | None = None) -> str:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    view = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 2500, code=code)
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 2500)])
    return view.gift_cards[0].code


def test_a_card_scanned_as_goods_says_what_it_holds_and_adds_nothing(db: Database, shop: Shop) -> None:
    code = _sold(db, shop)
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    before = selling.add_item(db, sale.id, shop.cashier, "JAM")
    for scanned in (code, cards.grouped(code), code.lower()):
        with pytest.raises(InvalidInput) as refused:
            selling.add_item(db, sale.id, shop.cashier, scanned)
        said = str(refused.value)
        assert "is a gift card" in said and format_money(2500) in said and "F8" in said
        assert code not in said and code[-4:] in said  # masked, as on every slip but the card's own
    assert selling.get_sale(db, sale.id).total_cents == before.total_cents == 490


def test_an_unknown_code_of_our_shape_and_a_pre_printed_card(db: Database, shop: Shop) -> None:
    printed = _sold(db, shop, code="PRE-PRINTED-0042")
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(InvalidInput, match="gift card code Orto does not know"):
        selling.add_item(db, sale.id, shop.cashier, "GC000000000000")
    with pytest.raises(NotFound, match="unknown code NOPE-1234"):  # anything else: still unknown
        selling.add_item(db, sale.id, shop.cashier, "NOPE-1234")
    with pytest.raises(InvalidInput, match="is a gift card"):
        selling.add_item(db, sale.id, shop.cashier, printed)
