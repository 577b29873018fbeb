"""Moving goods between sites: sent, in transit, received, with any difference on record.

Sending takes the goods out of the sender's location at once (TRANSFER_OUT): while the van is
on the road they are on hand nowhere, and the transfer says where they are. Receiving puts the
quantity sent into the receiving location (TRANSFER_IN) and then books the difference, so the
ledger of every lot still balances and a loss is valued like any other:

- less arrived than was sent: the missing quantity is recorded as waste at the receiving
  location (reason "damaged", note "transfer T…: sent N, received M");
- more arrived than was sent (the sender miscounted): the extra is a count adjustment at the
  receiving location, with the same note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement, require_on_hand
from inventory.waste import book_waste
from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    AuditEntry,
    Location,
    Lot,
    MovementKind,
    Product,
    Transfer,
    TransferLine,
    TransferStatus,
    WasteReason,
    utcnow,
)
from orto.policy import Action, Operator


@dataclass(frozen=True)
class TransferItem:
    lot_id: int
    quantity: int  # base units


@dataclass(frozen=True)
class TransferView:
    id: int
    status: TransferStatus
    from_location: str
    to_location: str
    lines: tuple[tuple[int, str, str, int, int | None], ...]  # line id, lot code, product, sent, received


def send_transfer(
    db: Database,
    *,
    from_location_id: int,
    to_location_id: int,
    items: Sequence[TransferItem],
    actor: Operator,
    note: str = "",
) -> int:
    """Write the transfer and take the goods out of the sender; returns the transfer id."""
    for number, item in enumerate(items, start=1):
        limits.stock_quantity(item.quantity, _("line {n}: quantity").format(n=number), minimum=-limits.MAX_INT)
    limits.text(note, _("note"), lines=True)
    if not items:
        raise InvalidInput(_("a transfer needs at least one line"))
    if from_location_id == to_location_id:
        raise InvalidInput(_("a transfer goes from one location to another"))
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        source = session.get(Location, from_location_id)
        target = session.get(Location, to_location_id)
        if source is None or target is None:
            raise NotFound(_("no such location"))
        transfer = Transfer(
            from_location_id=source.id,
            to_location_id=target.id,
            sent_by=actor.id,
            note=note,
            status=TransferStatus.IN_TRANSIT,
        )
        session.add(transfer)
        session.flush()
        for item in items:
            if item.quantity <= 0:
                raise InvalidInput(_("the quantity must be more than zero"))
            lot = session.get(Lot, item.lot_id)
            if lot is None:
                raise NotFound(_("no such lot"))
            require_on_hand(session, lot, source, item.quantity)
            line = TransferLine(
                transfer_id=transfer.id, lot_id=lot.id, product_id=lot.product_id, quantity_sent=item.quantity
            )
            session.add(line)
            session.flush()
            post_movement(
                session,
                kind=MovementKind.TRANSFER_OUT,
                location_id=source.id,
                lot=lot,
                quantity=-item.quantity,
                user_id=actor.id,
                doc_type="transfer_line",
                doc_id=line.id,
                reason=_("to {location}").format(location=target.name),
            )
        session.add(
            AuditEntry(
                action="transfer_send",
                user_id=actor.id,
                site_id=source.site_id,
                entity="transfer",
                entity_id=transfer.id,
                details={"to": target.name, "lines": len(items)},
            )
        )
        return transfer.id


def receive_transfer(
    db: Database,
    transfer_id: int,
    *,
    received: Mapping[int, int] | None = None,
    actor: Operator,
    note: str = "",
) -> list[tuple[int, int]]:
    """Receive a transfer; ``received`` maps line id to the quantity that arrived (default: as
    sent). Returns (line id, difference) for each line that did not match."""
    received = dict(received or {})
    for line_id, quantity in received.items():
        limits.stock_quantity(quantity, _("line {n}: quantity").format(n=line_id), minimum=-limits.MAX_INT)
    limits.text(note, _("note"), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        transfer = session.get(Transfer, transfer_id, with_for_update=True)
        if transfer is None:
            raise NotFound(_("no transfer number {number}").format(number=transfer_id))
        if transfer.status is not TransferStatus.IN_TRANSIT:
            raise NotAllowed(_("transfer {number} was already received").format(number=transfer_id))
        target = session.get(Location, transfer.to_location_id)
        assert target is not None
        unknown = set(received) - {line.id for line in transfer.lines}
        if unknown:
            raise InvalidInput(_("transfer {number} has no line {line}").format(number=transfer_id, line=min(unknown)))
        differences: list[tuple[int, int]] = []
        for line in transfer.lines:
            arrived = received.get(line.id, line.quantity_sent)
            if arrived < 0:
                raise InvalidInput(_("a received quantity cannot be negative"))
            lot = session.get(Lot, line.lot_id)
            assert lot is not None
            line.quantity_received = arrived
            post_movement(
                session,
                kind=MovementKind.TRANSFER_IN,
                location_id=target.id,
                lot=lot,
                quantity=line.quantity_sent,
                user_id=actor.id,
                doc_type="transfer_line",
                doc_id=line.id,
            )
            difference = arrived - line.quantity_sent
            if difference:
                differences.append((line.id, difference))
                why = _("transfer {number}: sent {sent}, received {received}").format(
                    number=transfer.id, sent=line.quantity_sent, received=arrived
                )
                line.difference_note = f"{why}. {note}".strip() if note else why
                _book_difference(session, line, lot, target, difference, actor.id, why)
        transfer.status = TransferStatus.RECEIVED
        transfer.received_at = utcnow()
        transfer.received_by = actor.id
        session.add(
            AuditEntry(
                action="transfer_receive",
                user_id=actor.id,
                site_id=target.site_id,
                entity="transfer",
                entity_id=transfer.id,
                details={"differences": differences},
            )
        )
        return differences


def _book_difference(
    session: Session, line: TransferLine, lot: Lot, target: Location, difference: int, user_id: int | None, why: str
) -> None:
    if difference < 0:
        book_waste(
            session,
            lot=lot,
            location=target,
            quantity=-difference,
            reason=WasteReason.DAMAGED,
            user_id=user_id,
            note=why,
        )
    else:
        post_movement(
            session,
            kind=MovementKind.COUNT_ADJUSTMENT,
            location_id=target.id,
            lot=lot,
            quantity=difference,
            user_id=user_id,
            doc_type="transfer_line",
            doc_id=line.id,
            reason=why,
        )


def transfers_in_transit(db: Database, to_site_id: int | None = None) -> list[TransferView]:
    """Transfers on the road, oldest first (for a site: those coming to it)."""
    with db.read() as session:
        stmt = select(Transfer).where(Transfer.status == TransferStatus.IN_TRANSIT).order_by(Transfer.sent_at)
        views = []
        for transfer in session.scalars(stmt):
            source = session.get(Location, transfer.from_location_id)
            target = session.get(Location, transfer.to_location_id)
            assert source is not None and target is not None
            if to_site_id is not None and target.site_id != to_site_id:
                continue
            lines = []
            for line in transfer.lines:
                lot = session.get(Lot, line.lot_id)
                product = session.get(Product, line.product_id)
                assert lot is not None and product is not None
                lines.append((line.id, lot.code, product.name, line.quantity_sent, line.quantity_received))
            views.append(TransferView(transfer.id, transfer.status, source.name, target.name, tuple(lines)))
        return views
