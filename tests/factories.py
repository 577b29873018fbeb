"""Small builders for tests: the standard sites, users, products, lots with stock."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement
from orto.db import Database
from orto.models import (
    Barcode,
    BarcodeKind,
    Category,
    DateType,
    Lot,
    LotOrigin,
    MovementKind,
    Product,
    Role,
    Site,
    Unit,
    User,
)
from orto.policy import Operator, issue
from orto.security import hash_pin
from orto.sites import ensure_standard_sites

_seq = count(1)
_PIN_HASHES: dict[str, str] = {}


def sites(session: Session) -> dict[str, Site]:
    return ensure_standard_sites(session)


def user(session: Session, name: str, role: Role = Role.CASHIER, pin: str = "1234") -> User:
    if pin not in _PIN_HASHES:  # argon2 is slow on purpose: hash each test PIN once
        _PIN_HASHES[pin] = hash_pin(pin)
    u = User(name=name, role=role, pin_hash=_PIN_HASHES[pin])
    session.add(u)
    session.flush()
    return u


def logged_in(user: User) -> Operator:
    """The Operator of a test user, as ``login`` would return it after their PIN (the seeding
    path, ``orto.policy.issue``, without the slow PIN check and the login's audit entry)."""
    return issue(user.id, user.name, user.role)


def manager(db: Database) -> Operator:
    """A logged-in manager for tests that need someone allowed to write (made the first time)."""
    with db.write() as session:
        found = session.scalar(select(User).where(User.name == "Responsabile"))
        return logged_in(found or user(session, "Responsabile", Role.MANAGER, "9191"))


def category(session: Session, name: str) -> Category:
    c = Category(name=name)
    session.add(c)
    session.flush()
    return c


def product(
    session: Session,
    name: str = "Pomodori",
    *,
    code: str | None = None,
    price_cents: int = 250,
    cost_cents: int = 120,
    vat_rate_bp: int = 400,
    unit: Unit = Unit.PIECE,
    by_weight: bool = False,
    barcode: str | None = None,
    category_obj: Category | None = None,
    **extra: object,
) -> Product:
    p = Product(
        code=code or f"P{next(_seq):05d}",
        name=name,
        unit=unit,
        sold_by_weight=by_weight,
        vat_rate_bp=vat_rate_bp,
        price_cents=price_cents,
        cost_cents=cost_cents,
        category_id=category_obj.id if category_obj else None,
        **extra,
    )
    session.add(p)
    session.flush()
    if barcode:
        session.add(Barcode(product_id=p.id, code=barcode, kind=BarcodeKind.EAN13))
        session.flush()
    return p


def lot(
    session: Session,
    prod: Product,
    *,
    location_id: int | None = None,
    quantity: int = 0,
    expiry: date | None = None,
    date_type: DateType | None = None,
    code: str | None = None,
    received_on: date | None = None,
) -> Lot:
    lt = Lot(
        code=code or f"L{next(_seq):06d}",
        product_id=prod.id,
        expiry=expiry,
        date_type=date_type,
        origin=LotOrigin.DELIVERY,
        received_on=received_on or date(2026, 11, 1),
        unit_cost_cents=prod.cost_cents,
    )
    session.add(lt)
    session.flush()
    if quantity and location_id is not None:
        post_movement(session, kind=MovementKind.DELIVERY, location_id=location_id, lot=lt, quantity=quantity)
    return lt
