"""The scan and the commit check who is acting on their own first row (orto.access.authorise_with):
the same refusals as every other service, at once, with nothing written."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from orto.db import Database
from orto.errors import NotAllowed, NotFound
from orto.models import PaymentMethod, PrintJob, Role, Sale, SaleLine, SaleOperator, SaleStatus, User, utcnow
from orto.policy import Operator
from pos import selling
from pos.selling import PaymentInput
from tests.shop import Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


def _cart(db: Database, shop: Shop) -> selling.SaleView:
    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    return selling.add_item(db, sale.id, shop.cashier, "8001234567897")


def _change_cashier(db: Database, shop: Shop, **values: object) -> None:
    with db.write() as session:
        session.execute(update(User).where(User.id == shop.cashier.id).values(**values))


def _lines(db: Database, sale_id: int) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(SaleLine).where(SaleLine.sale_id == sale_id)) or 0)


def _pay(db: Database, shop: Shop, sale: selling.SaleView, actor: Operator) -> None:
    selling.complete_sale(db, shop.settings, sale.id, actor, [PaymentInput(PaymentMethod.CASH, sale.total_cents)])


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"active": False}, "no longer an active user"),
        ({"role": Role.MANAGER}, "role has changed: log in again"),
        ({"locked_until": utcnow() + timedelta(minutes=10)}, "(?i)locked|bloccat|riprova"),
    ],
)
def test_a_user_deactivated_promoted_or_locked_a_moment_ago_can_neither_scan_nor_pay(
    db: Database, shop: Shop, change: dict[str, object], refusal: str
) -> None:
    sale = _cart(db, shop)
    _change_cashier(db, shop, **change)
    with pytest.raises(NotAllowed, match=refusal):
        selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    with pytest.raises(NotAllowed, match=refusal):
        selling.add_product(db, sale.id, shop.cashier, shop.jam)
    with pytest.raises(NotAllowed, match=refusal):
        _pay(db, shop, sale, shop.cashier)
    assert _lines(db, sale.id) == 1
    with db.read() as session:
        assert session.get(Sale, sale.id).status is SaleStatus.OPEN  # type: ignore[union-attr]


def test_a_forged_operator_is_refused_before_anything_is_read_even_for_a_sale_that_does_not_exist(
    db: Database, shop: Shop
) -> None:
    sale = _cart(db, shop)
    forged = Operator(shop.manager.id, "Giulia", Role.MANAGER)
    stolen_seal = replace(shop.cashier, id=shop.manager.id)
    for who in (forged, stolen_seal):
        for sale_id in (sale.id, 99_999):
            with pytest.raises(NotAllowed, match="log in with your PIN"):
                selling.add_item(db, sale_id, who, "8001234567897")
            with pytest.raises(NotAllowed, match="log in with your PIN"):
                _pay(db, shop, sale if sale_id == sale.id else replace(sale, id=sale_id), who)
    with pytest.raises(NotFound):  # a genuine cashier is told the sale is not there
        selling.add_item(db, 99_999, shop.cashier, "8001234567897")
    assert _lines(db, sale.id) == 1


def test_another_genuine_user_may_pay_for_the_sale_and_the_slip_names_them(db: Database, shop: Shop) -> None:
    sale = _cart(db, shop)
    paid = selling.complete_sale(
        db, shop.settings, sale.id, shop.manager, [PaymentInput(PaymentMethod.CASH, sale.total_cents)]
    )
    assert paid.sale.status is SaleStatus.COMPLETED
    with db.read() as session:
        manager_name = session.get(User, shop.manager.id).name  # type: ignore[union-attr]
        assert session.scalar(select(SaleOperator.user_id).where(SaleOperator.sale_id == sale.id)) == shop.manager.id
        slips = session.scalars(select(PrintJob.document).where(PrintJob.doc_id == sale.id)).all()
    assert [slip["operator"] for slip in slips] == [manager_name]
