"""The stock ledger: the only code that changes stock on hand.

Each call appends one StockMovement and moves the matching StockLevel by the same amount in
the caller's transaction, with a single ``INSERT … ON CONFLICT DO UPDATE SET quantity =
quantity + :delta`` so two tills never overwrite each other's count (on PostgreSQL the row is
locked by that statement; on SQLite the transaction already holds the write lock from
``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from orto.errors import NotAllowed
from orto.models import Lot, LotOrigin, MovementKind, Product, StockLevel, StockMovement, utcnow


class NegativeStock(NotAllowed):
    """The site refuses to let stock go below zero."""


def _upsert(session: Session):
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def post_movement(
    session: Session,
    *,
    kind: MovementKind,
    location_id: int,
    lot: Lot,
    quantity: int,
    user_id: int | None = None,
    reason: str = "",
    doc_type: str | None = None,
    doc_id: int | None = None,
    at: datetime | None = None,
    allow_negative: bool = True,
) -> tuple[StockMovement, int]:
    """Append a movement and apply it; returns the movement and the new on-hand quantity."""
    if quantity == 0:
        raise ValueError("a stock movement moves something")
    if not isinstance(quantity, int):
        raise TypeError("quantities are integers in base units")
    insert = _upsert(session)
    stmt = insert(StockLevel).values(
        location_id=location_id, lot_id=lot.id, product_id=lot.product_id, quantity=quantity
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[StockLevel.location_id, StockLevel.lot_id],
        set_={"quantity": StockLevel.quantity + stmt.excluded.quantity},
    ).returning(StockLevel.quantity)
    on_hand = int(session.execute(stmt).scalar_one())
    if on_hand < 0 and quantity < 0 and not allow_negative:
        raise NegativeStock(f"only {on_hand - quantity} of lot {lot.code} left here, {-quantity} asked")
    movement = StockMovement(
        at=at or utcnow(),
        kind=kind,
        location_id=location_id,
        lot_id=lot.id,
        product_id=lot.product_id,
        quantity=quantity,
        unit_cost_cents=lot.unit_cost_cents,
        reason=reason,
        user_id=user_id,
        doc_type=doc_type,
        doc_id=doc_id,
    )
    session.add(movement)  # inserted with the others at flush time: one executemany, not one per row
    return movement, on_hand


def on_hand(session: Session, product_id: int, location_id: int | None = None) -> int:
    """Stock on hand of a product (all lots), at one location or everywhere."""
    stmt = select(func.coalesce(func.sum(StockLevel.quantity), 0)).where(StockLevel.product_id == product_id)
    if location_id is not None:
        stmt = stmt.where(StockLevel.location_id == location_id)
    return int(session.scalar(stmt) or 0)


def lot_on_hand(session: Session, lot_id: int, location_id: int) -> int:
    level = session.scalar(
        select(StockLevel.quantity).where(StockLevel.lot_id == lot_id, StockLevel.location_id == location_id)
    )
    return int(level or 0)


@dataclass(frozen=True)
class LotStock:
    lot: Lot
    quantity: int


def lots_fefo(session: Session, product_id: int, location_id: int, *, lock: bool = False) -> list[LotStock]:
    """The product's lots at a location, first-expired-first-out (no date last, then oldest)."""
    stmt = (
        select(Lot, StockLevel.quantity)
        .join(StockLevel, StockLevel.lot_id == Lot.id)
        .where(StockLevel.product_id == product_id, StockLevel.location_id == location_id)
        .order_by(Lot.expiry.is_(None), Lot.expiry, Lot.received_on, Lot.id)
    )
    if lock:
        stmt = stmt.with_for_update(of=StockLevel)
    return [LotStock(lot, int(qty)) for lot, qty in session.execute(stmt)]


def untracked_lot(session: Session, product: Product, today: date) -> Lot:
    """The lot that absorbs stock sold or counted before any lot of the product was received."""
    code = f"NOLOT-{product.code}"
    lot = session.scalar(select(Lot).where(Lot.code == code))
    if lot is None:
        lot = Lot(
            code=code,
            product_id=product.id,
            origin=LotOrigin.UNTRACKED,
            received_on=today,
            unit_cost_cents=product.cost_cents,
        )
        session.add(lot)
        session.flush()
    return lot


def ledger_sum(session: Session, location_id: int, lot_id: int) -> int:
    """Sum of the ledger for one (location, lot): must always equal its StockLevel."""
    total = session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.location_id == location_id, StockMovement.lot_id == lot_id
        )
    )
    return int(total or 0)


def value_of(quantity: int, unit_cost_cents: int, base_per_unit: int) -> int:
    """Value in cents of a quantity in base units at a cost per sale unit (half-up)."""
    from orto.money import div_round_half_up

    return div_round_half_up(quantity * unit_cost_cents, base_per_unit)
