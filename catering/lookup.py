"""Reads the till's catering screen needs, each in one short transaction."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from catering.dishes import parse_dish
from catering.orders import MenuLine
from orto.db import Database
from orto.models import CateringOrder, Customer


def customers_matching(db: Database, text: str) -> list[tuple[int, str]]:
    """Customers whose name, code or partita IVA contains ``text`` (case-insensitive)."""
    pattern = f"%{text.strip().lower()}%"
    with db.read() as session:
        rows = session.execute(
            select(Customer.id, Customer.name)
            .where(
                Customer.active.is_(True),
                or_(
                    func.lower(Customer.name).like(pattern),
                    func.lower(Customer.code).like(pattern),
                    Customer.vat_number.like(pattern),
                ),
            )
            .order_by(Customer.name)
            .limit(30)
        ).all()
        return [(int(i), str(n)) for i, n in rows]


def dish(db: Database, text: str) -> MenuLine:
    with db.read() as session:
        return parse_dish(session, text)


def order_summary(db: Database, order_id: int) -> tuple[str, int, int, int, str]:
    """(number, total, paid, customer id, customer kind) of an order."""
    from catering.money import paid, pending

    with db.read() as session:
        order = session.get(CateringOrder, order_id)
        assert order is not None
        customer = session.get(Customer, order.customer_id)
        assert customer is not None
        return (
            order.number,
            order.total_cents,
            paid(session, order.id) + pending(session, order.id),
            customer.id,
            customer.kind,
        )


def account_balance_of(db: Database, customer_id: int) -> int:
    from catering.money import account_balance

    with db.read() as session:
        return account_balance(session, customer_id, include_pending=True)
