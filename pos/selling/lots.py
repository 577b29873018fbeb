"""Which lot a sale takes stock from, and when a lot may not be sold at all."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from inventory.ledger import NegativeStock, lots_fefo, post_movement, untracked_lot
from inventory.lot_blocks import block_reason, open_recalls
from orto.i18n import gettext as _
from orto.models import Lot, MovementKind, Product


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


def take_stock(
    session: Session,
    *,
    product: Product,
    location_id: int,
    quantity: int,
    preferred_lot_id: int | None,
    today: date,
    allow_negative: bool,
    user_id: int,
    doc_id: int,
    kind: MovementKind = MovementKind.SALE,
) -> list[str]:
    """Post the movements for a sold quantity; returns warnings (stock gone below zero)."""
    levels = lots_fefo(session, product.id, location_id, lock=True)
    recalls = open_recalls(session, [lv.lot.id for lv in levels])
    usable = [lv for lv in levels if block_reason(session, lv.lot, today, recalls) is None]
    usable.sort(key=lambda lv: lv.lot.id != preferred_lot_id)  # the lot priced on the line first
    remaining = quantity
    for level in usable:
        take = min(remaining, max(level.quantity, 0))
        if take:
            post_movement(
                session,
                kind=kind,
                location_id=location_id,
                lot=level.lot,
                quantity=-take,
                user_id=user_id,
                doc_type="sale_line",
                doc_id=doc_id,
            )
            remaining -= take
        if not remaining:
            return []
    if not allow_negative:
        raise NegativeStock(
            _("not enough {product} here: {missing} missing and this site refuses negative stock").format(
                product=product.name, missing=remaining
            )
        )
    lot = usable[0].lot if usable else untracked_lot(session, product, today)
    post_movement(
        session,
        kind=kind,
        location_id=location_id,
        lot=lot,
        quantity=-remaining,
        user_id=user_id,
        doc_type="sale_line",
        doc_id=doc_id,
    )
    if not levels:
        return []  # made to order (a coffee, a meal): no stock is kept here, nothing to warn about
    return [_("stock of {product} is below zero: count the shelf").format(product=product.name)]
