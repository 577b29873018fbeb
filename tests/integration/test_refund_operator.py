"""Who completed a refund is recorded like who completed a sale: the Z's per-operator totals and
the slip's operator line read it."""

from __future__ import annotations

from sqlalchemy import select

from orto.db import Database
from orto.models import PaymentMethod, SaleOperator
from pos import selling
from pos.selling import PaymentInput
from tests.shop import MANAGER_PIN, build_shop


def test_a_refund_records_who_did_it_not_who_rang_the_sale(db: Database) -> None:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    sold = []
    for _n in range(2):
        sale = selling.start_sale(db, shop.counter, shop.cashier)
        selling.add_item(db, sale.id, shop.cashier, "JAM")
        sold.append(
            selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 490)])
        )
    first, second = (s.sale for s in sold)
    # the cashier hands the money back under a manager's PIN: that refund is the cashier's;
    # the manager refunding at the same counter: the manager's
    by_cashier = selling.refund(
        db, shop.settings, first.number or "", shop.counter, shop.cashier, approver_pin=MANAGER_PIN
    )
    by_manager = selling.refund(db, shop.settings, second.number or "", shop.counter, shop.manager)
    with db.read() as session:
        rows = session.execute(select(SaleOperator.sale_id, SaleOperator.user_id))
        who = {sale_id: user_id for sale_id, user_id in rows}
    assert who == {
        first.id: shop.cashier.id,
        second.id: shop.cashier.id,
        by_cashier.sale.id: shop.cashier.id,
        by_manager.sale.id: shop.manager.id,
    }
