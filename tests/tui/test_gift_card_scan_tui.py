"""At the till, 80×24: a gift card scanned where goods are scanned says what it is and where to
use it, and adds nothing to the cart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import PaymentMethod, Sale, SaleLine, SaleStatus
from pos import selling
from pos.selling import PaymentInput
from pos.selling import gift_cards as cards
from tests.shop import Shop, build_shop
from tests.tui.test_tui_flows import _till, login, scan


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


async def test_a_gift_card_scanned_as_goods_is_named_not_unknown(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    code = cards.sell_card(db, shop.settings, sale.id, shop.cashier, 2000).gift_cards[0].code
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 2000)])
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        await scan(pilot, code)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "is a gift card" in said and "€20.00" in said and "F8" in said
        assert "unknown code" not in said
    with db.read() as session:
        open_sale = session.scalar(select(Sale.id).where(Sale.status == SaleStatus.OPEN))
        lines = session.scalars(select(SaleLine.description).where(SaleLine.sale_id == open_sale)).all()
    assert list(lines) == ["Confettura di albicocche"]
