"""The stock ledger: the only code that changes stock on hand.

Each call appends one StockMovement and moves the matching StockLevel by the same amount in
the caller's transaction, with a single ``INSERT … ON CONFLICT DO UPDATE SET quantity =
quantity + :delta`` so two tills never overwrite each other's count (on PostgreSQL the row is
locked by that statement; on SQLite the transaction already holds the write lock from
``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from orto import prepared
from orto.errors import NotAllowed
from orto.i18n import gettext as _
from orto.models import Location, Lot, LotOrigin, MovementKind, Product, StockLevel, StockMovement, utcnow
from orto.models.base import table_of
from orto.prepared import Prepared


class NegativeStock(NotAllowed):
    """The site refuses to let stock go below zero."""


def _upsert(session: Session):
    # imported here: the PostgreSQL dialect module costs the till's start 40 ms it never needs on SQLite
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


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


@dataclass(frozen=True)
class Move:
    """One ledger row for :func:`post_movements`: the arguments of :func:`post_movement`, by value."""

    kind: MovementKind
    location_id: int
    lot_id: int
    product_id: int
    quantity: int
    unit_cost_cents: int = 0
    user_id: int | None = None
    reason: str = ""
    doc_type: str | None = None
    doc_id: int | None = None


# post_movements runs on the driver (orto.prepared): every sale's commit posts its stock
_MOVEMENT_KEYS = (
    "at",
    "kind",
    "location_id",
    "lot_id",
    "product_id",
    "quantity",
    "unit_cost_cents",
    "reason",
    "user_id",
    "doc_type",
    "doc_id",
)
_INSERT_MOVEMENTS = Prepared(insert(table_of(StockMovement)), _MOVEMENT_KEYS)
_UPSERTS: dict[str, Prepared] = {}


def _batched_upsert(session: Session) -> Prepared:
    """The level upsert as an executemany statement, built once per dialect (``excluded`` is costly)."""
    dialect = session.get_bind().dialect.name
    found = _UPSERTS.get(dialect)
    if found is None:
        levels = table_of(StockLevel)
        stmt = _upsert(session)(levels)
        stmt = stmt.on_conflict_do_update(
            index_elements=[levels.c.location_id, levels.c.lot_id],
            set_={"quantity": levels.c.quantity + stmt.excluded.quantity},
        )
        found = _UPSERTS[dialect] = Prepared(stmt, ("location_id", "lot_id", "product_id", "quantity"))
    return found


def post_movements(session: Session, moves: Sequence[Move], *, at: datetime | None = None) -> None:
    """Many :func:`post_movement` calls in two statements, for a sale's lines.

    The signed quantities are summed per (location, lot) and applied with one executemany of the
    same atomic upsert (in (location, lot) order, so two PostgreSQL transactions lock the levels
    in the same order), and the movements are appended with one executemany: StockLevel stays
    equal to the sum of its ledger. The caller has checked negative stock (``lots_fefo`` with
    ``lock=True`` read the levels under lock).
    """
    if not moves:
        return
    deltas: dict[tuple[int, int], list[int]] = {}
    for move in moves:
        if move.quantity == 0:
            raise ValueError("a stock movement moves something")
        if not isinstance(move.quantity, int):
            raise TypeError("quantities are integers in base units")
        key = (move.location_id, move.lot_id)
        entry = deltas.setdefault(key, [move.product_id, 0])
        entry[1] += move.quantity
    stmt = _batched_upsert(session)
    rows = [
        {"location_id": loc, "lot_id": lot, "product_id": product, "quantity": delta}
        for (loc, lot), (product, delta) in sorted(deltas.items())
        if delta  # moves that cancel out leave the level as it was
    ]
    if rows:
        prepared.run_many(session, stmt, rows)
    when = at or utcnow()
    prepared.run_many(
        session,
        _INSERT_MOVEMENTS,
        [
            {
                "at": when,
                "kind": move.kind,
                "location_id": move.location_id,
                "lot_id": move.lot_id,
                "product_id": move.product_id,
                "quantity": move.quantity,
                "unit_cost_cents": move.unit_cost_cents,
                "reason": move.reason,
                "user_id": move.user_id,
                "doc_type": move.doc_type,
                "doc_id": move.doc_id,
            }
            for move in moves
        ],
    )


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


def require_on_hand(session: Session, lot: Lot, location: Location, quantity: int) -> int:
    """Refuse to take more of a lot from a place than is there; returns what is there.

    Waste, transfers, the lab, donations and returns move goods someone has counted in hand, so
    the ledger must agree; only a sale may take the shelf's word over the ledger's.
    """
    here = lot_on_hand(session, lot.id, location.id)
    if quantity > here:
        raise NotAllowed(
            _("only {left} of lot {lot} at {location}").format(left=here, lot=lot.code, location=location.name)
        )
    return here


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
