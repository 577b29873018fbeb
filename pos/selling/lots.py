"""Which lot a sale takes stock from, and when a lot may not be sold at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from inventory.ledger import Move, NegativeStock, lots_fefo
from inventory.lot_blocks import block_reason, open_recalls, why_blocked
from orto import prepared
from orto.i18n import gettext as _
from orto.models import DateType, Lot, MovementKind, Product, Recall, StockLevel
from orto.models.base import table_of
from orto.prepared import Prepared, PreparedIn, in_params


def pick_lot(session: Session, product: Product, location_id: int, today: date) -> Lot | None:
    """The lot the next unit will come from (first expired, first out), skipping blocked lots.

    Raises NotAllowed when every lot with stock here is blocked: the goods on the shelf are those.
    """
    from orto.errors import NotAllowed

    first_reason = None
    levels = [lv for lv in lots_fefo(session, product.id, location_id) if lv.quantity > 0]
    recalls = open_recalls(session, [lv.lot.id for lv in levels])
    for level in levels:
        reason = block_reason(session, level.lot, today, recalls)
        if reason is None:
            return level.lot
        first_reason = first_reason or reason
    if first_reason is not None:
        raise NotAllowed(first_reason)
    return None


# ---------------------------------------------------------------- batched, for the sale's commit


class LotRow(NamedTuple):
    """A lot as the commit reads it: one row of :func:`fefo_rows`, with its stock here."""

    id: int
    code: str
    product_id: int
    expiry: date | None
    date_type: DateType | None
    hold_reason: str | None
    unit_cost_cents: int
    recall_reason: str | None
    quantity: int


_LOTS = table_of(Lot)
_LEVELS = table_of(StockLevel)
_RECALLS = table_of(Recall)
RECALL_REASON = (  # the reason of an open recall of the lot, or NULL (a correlated subquery)
    select(_RECALLS.c.reason)
    .where(_RECALLS.c.lot_id == _LOTS.c.id, _RECALLS.c.lifted_at.is_(None))
    .order_by(_RECALLS.c.id)
    .limit(1)
    .scalar_subquery()
)
_LOT_COLUMNS = (
    _LOTS.c.id,
    _LOTS.c.code,
    _LOTS.c.product_id,
    _LOTS.c.expiry,
    _LOTS.c.date_type,
    _LOTS.c.hold_reason,
    _LOTS.c.unit_cost_cents,
    RECALL_REASON.label("recall_reason"),
)
# lots_fefo for several products at once, in (product, FEFO) order: on PostgreSQL every
# transaction locks the levels in that same order, so two tills never deadlock.
_FEFO_ALL = (
    select(*_LOT_COLUMNS, _LEVELS.c.quantity)
    .join_from(_LOTS, _LEVELS, _LEVELS.c.lot_id == _LOTS.c.id)
    .where(_LEVELS.c.location_id == bindparam("location_id"))
    .order_by(_LEVELS.c.product_id, _LOTS.c.expiry.is_(None), _LOTS.c.expiry, _LOTS.c.received_on, _LOTS.c.id)
)
_FEFO_ONE = _FEFO_ALL.where(_LEVELS.c.product_id == bindparam("product_id"))  # a scan: no IN list to expand
# run on the driver (orto.prepared): a scan reads one product's lots, a commit its lines' products
_FEFO_SCAN = Prepared(_FEFO_ONE)
_FEFO_SCAN_LOCKED = Prepared(_FEFO_ONE.with_for_update(of=_LEVELS))
_FEFO_MANY = PreparedIn(lambda n: _FEFO_ALL.where(_LEVELS.c.product_id.in_(in_params(n))))
_FEFO_MANY_LOCKED = PreparedIn(
    lambda n: _FEFO_ALL.where(_LEVELS.c.product_id.in_(in_params(n))).with_for_update(of=_LEVELS)
)
_LOT_BY_CODE = Prepared(select(*_LOT_COLUMNS).where(_LOTS.c.code == bindparam("code")))
_LOT_BY_UPPER_CODE = Prepared(select(*_LOT_COLUMNS).where(func.upper(_LOTS.c.code) == bindparam("code")))


def lot_by_code(session: Session, code: str) -> LotRow | None:
    """One of our lots by its code (as printed on its label), exact or in any case; None if none."""
    row = prepared.first(session, _LOT_BY_CODE, {"code": code}) or prepared.first(
        session, _LOT_BY_UPPER_CODE, {"code": code.upper()}
    )
    return LotRow._make((*row, 0)) if row is not None else None


def fefo_rows(session: Session, product_ids: Iterable[int], location_id: int, *, lock: bool) -> dict[int, list[LotRow]]:
    """Each product's lots at a location, first-expired-first-out, with open recalls: one query."""
    out: dict[int, list[LotRow]] = {pid: [] for pid in product_ids}
    if not out:
        return out
    if len(out) == 1:
        statement = _FEFO_SCAN_LOCKED if lock else _FEFO_SCAN
        params: dict[str, object] = {"location_id": location_id, "product_id": next(iter(out))}
    else:
        statement, params = (_FEFO_MANY_LOCKED if lock else _FEFO_MANY).params(sorted(out), location_id=location_id)
    for row in prepared.rows(session, statement, params):
        out[row.product_id].append(LotRow._make((*row[:8], int(row.quantity))))
    return out


def row_block_reason(lot: LotRow, today: date) -> str | None:
    """inventory.lot_blocks.why_blocked for a row already read (its recall came with it)."""
    return why_blocked(lot, today, lot.recall_reason)


def pick_lot_row(rows: Sequence[LotRow], today: date) -> LotRow | None:
    """pick_lot() on rows read by :func:`fefo_rows`: the first unblocked lot with stock here.

    Raises NotAllowed when every lot with stock here is blocked: the goods on the shelf are those.
    """
    from orto.errors import NotAllowed

    first_reason = None
    for lot in rows:
        if lot.quantity <= 0:
            continue
        reason = row_block_reason(lot, today)
        if reason is None:
            return lot
        first_reason = first_reason or reason
    if first_reason is not None:
        raise NotAllowed(first_reason)
    return None


@dataclass(frozen=True)
class Want:
    """A sold quantity to take from stock: one sale line."""

    line_id: int
    product_id: int
    product_name: str
    quantity: int
    preferred_lot_id: int | None
    pinned: LotRow | None = None  # the lot whose code was scanned: sold from it even if none is here


def allocate(
    wants: Sequence[Want],
    levels: dict[int, list[LotRow]],
    *,
    location_id: int,
    today: date,
    allow_negative: bool,
    user_id: int,
    untracked: Callable[[int], tuple[int, int]],
    kind: MovementKind = MovementKind.SALE,
) -> tuple[list[Move], list[str]]:
    """The stock a sale takes, for every line at once, on levels read under lock: movements and warnings.

    The same rules: unblocked lots first-expired-first-out, the lot priced on the line first;
    what is missing goes below zero on the first usable lot (or the product's untracked lot,
    ``untracked(product_id) -> (lot_id, unit_cost_cents)``) with a warning, or is refused where
    the site refuses negative stock. Two lines of one product see each other's takings.
    """
    left = {lot.id: lot.quantity for rows in levels.values() for lot in rows}
    moves: list[Move] = []
    warnings: list[str] = []
    usable_of: dict[int, list[LotRow]] = {}
    for want in wants:
        pinned = want.pinned
        if pinned is not None and left.get(pinned.id, 0) <= 0:
            # the shelf is the truth: the scanned lot is here even if the ledger has none of it
            if not allow_negative:
                raise NegativeStock(
                    _("not enough {product} here: {missing} missing and this site refuses negative stock").format(
                        product=want.product_name, missing=want.quantity
                    )
                )
            left[pinned.id] = left.get(pinned.id, 0) - want.quantity
            moves.append(
                Move(
                    kind,
                    location_id,
                    pinned.id,
                    pinned.product_id,
                    -want.quantity,
                    pinned.unit_cost_cents,
                    user_id,
                    "",
                    "sale_line",
                    want.line_id,
                )
            )
            warnings.append(_("stock of {product} is below zero: count the shelf").format(product=want.product_name))
            continue
        rows = levels.get(want.product_id, [])
        if want.product_id not in usable_of:
            usable_of[want.product_id] = [lot for lot in rows if row_block_reason(lot, today) is None]
        usable = sorted(usable_of[want.product_id], key=lambda lot: lot.id != want.preferred_lot_id)
        remaining = want.quantity
        for lot in usable:
            take = min(remaining, max(left[lot.id], 0))
            if take:
                left[lot.id] -= take
                moves.append(
                    Move(
                        kind,
                        location_id,
                        lot.id,
                        lot.product_id,
                        -take,
                        lot.unit_cost_cents,
                        user_id,
                        "",
                        "sale_line",
                        want.line_id,
                    )
                )
                remaining -= take
            if not remaining:
                break
        if not remaining:
            continue
        if not allow_negative:
            raise NegativeStock(
                _("not enough {product} here: {missing} missing and this site refuses negative stock").format(
                    product=want.product_name, missing=remaining
                )
            )
        if usable:
            lot_id, cost = usable[0].id, usable[0].unit_cost_cents
        else:
            lot_id, cost = untracked(want.product_id)
        if lot_id in left:
            left[lot_id] -= remaining
        moves.append(
            Move(kind, location_id, lot_id, want.product_id, -remaining, cost, user_id, "", "sale_line", want.line_id)
        )
        if rows:  # made to order (a coffee, a meal): no stock is kept here, nothing to warn about
            warnings.append(_("stock of {product} is below zero: count the shelf").format(product=want.product_name))
    return moves, warnings
