"""Recording waste: what was lost, from which lot and place, why, and what it was worth at cost.

Measuring is the first step to wasting less: every record is valued at the lot's cost, so the
reports can show the waste rate beside the kilos the lab rescued.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from inventory.ledger import post_movement, require_on_hand, value_of
from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotFound
from orto.i18n import gettext as _
from orto.models import AuditEntry, Location, Lot, MovementKind, Product, WasteReason, WasteRecord
from orto.policy import Action, Operator


@dataclass(frozen=True)
class WasteResult:
    id: int
    value_cents: int
    on_hand_after: int


def book_waste(
    session: Session,
    *,
    lot: Lot,
    location: Location,
    quantity: int,
    reason: WasteReason,
    user_id: int | None,
    note: str = "",
    donation_id: int | None = None,
) -> tuple[WasteRecord, int]:
    """The waste record valued at the lot's cost and its WASTE movement, in the caller's
    transaction (a transfer's shortfall, a discarded batch and a donation book theirs this way
    too). Returns the record and what is left of the lot at that location."""
    product = session.get(Product, lot.product_id)
    assert product is not None
    record = WasteRecord(
        site_id=location.site_id,
        location_id=location.id,
        product_id=lot.product_id,
        lot_id=lot.id,
        quantity=quantity,
        reason=reason,
        value_cents=value_of(quantity, lot.unit_cost_cents, product.base_per_unit),
        note=note,
        donation_id=donation_id,
        user_id=user_id,
    )
    session.add(record)
    session.flush()
    _movement, after = post_movement(
        session,
        kind=MovementKind.WASTE,
        location_id=location.id,
        lot=lot,
        quantity=-quantity,
        user_id=user_id,
        doc_type="waste",
        doc_id=record.id,
        reason=reason.value,
    )
    return record, after


def record_waste(
    db: Database,
    *,
    lot_id: int,
    location_id: int,
    quantity: int,
    reason: WasteReason,
    actor: Operator,
    note: str = "",
) -> WasteResult:
    """One waste record and its WASTE movement, in one transaction; never more than is on hand."""
    limits.stock_quantity(quantity, _("quantity"), minimum=-limits.MAX_INT)
    limits.text(note, _("note"), lines=True)
    if quantity <= 0:
        raise InvalidInput(_("the quantity must be more than zero"))
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        lot = session.get(Lot, lot_id)
        location = session.get(Location, location_id)
        if lot is None or location is None:
            raise NotFound(_("no such lot or location"))
        require_on_hand(session, lot, location, quantity)
        record, after = book_waste(
            session, lot=lot, location=location, quantity=quantity, reason=reason, user_id=actor.id, note=note
        )
        session.add(
            AuditEntry(
                action="waste",
                user_id=actor.id,
                site_id=location.site_id,
                entity="waste",
                entity_id=record.id,
                details={"lot": lot.code, "quantity": quantity, "reason": reason.value},
            )
        )
        return WasteResult(record.id, record.value_cents, after)
