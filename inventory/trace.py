"""Traceability of a lot: one step back to the farm, one step forward to every sale.

Back: the supplier, delivery note, supplier's lot code and date of a received lot; for a lot the
lab made, its batch and each input lot with the quantity used, down to the raw lots.
Forward: transfers between sites, the lab batches that used the lot (and, through their output
lots, what became of those), sales by site, day and counter with quantities (refunds net off),
business customers where the sale names one, waste, and what is still on hand where.

Each lot costs a handful of indexed queries (movements by lot, batch inputs by lot), so a trace
stays fast however long the ledger grows. Going forward, a lot reached twice is expanded once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.errors import NotFound
from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import (
    Batch,
    BatchInput,
    CateringOrder,
    Counter,
    Customer,
    Delivery,
    DeliveryLine,
    DeliveryNote,
    DeliveryNoteItem,
    Location,
    Lot,
    LotOrigin,
    MovementKind,
    Product,
    Recall,
    Sale,
    SaleLine,
    Site,
    StockLevel,
    StockMovement,
    Supplier,
    Transfer,
    TransferLine,
    Unit,
    WasteRecord,
)
from orto.money import format_quantity


@dataclass(frozen=True)
class LotInfo:
    id: int
    code: str
    product: str
    unit: str  # pz, kg or l: quantities are in its base unit
    origin: LotOrigin
    received_on: date
    expiry: date | None
    supplier: str | None = None
    supplier_lot_code: str | None = None
    delivery_note: str | None = None
    batch_code: str | None = None
    recall: str | None = None
    hold: str | None = None


@dataclass
class BackNode:
    lot: LotInfo
    quantity: int | None = None  # used in the parent's batch
    inputs: list[BackNode] = field(default_factory=list)


@dataclass(frozen=True)
class TransferRow:
    transfer_id: int
    day: date
    from_location: str
    to_location: str
    sent: int
    received: int | None


@dataclass(frozen=True)
class SaleRow:
    site: str
    day: date
    counter: str
    quantity: int  # net of refunds
    customer: str | None
    customer_id: int | None = None  # who the recall notice informs: matched by id, not by name


@dataclass(frozen=True)
class CateringRow:
    """A catering delivery (DDT) that took some of the lot to a customer."""

    day: date
    note: str  # DDT 2026/0001
    order: str
    customer: str
    vat_number: str | None
    quantity: int
    customer_id: int | None = None


@dataclass(frozen=True)
class WasteRow:
    day: date
    site: str
    reason: str
    quantity: int


@dataclass
class ForwardNode:
    lot: LotInfo
    transfers: list[TransferRow] = field(default_factory=list)
    sales: list[SaleRow] = field(default_factory=list)
    catering: list[CateringRow] = field(default_factory=list)
    waste: list[WasteRow] = field(default_factory=list)
    on_hand: list[tuple[str, str, int]] = field(default_factory=list)  # site, location, quantity
    batches: list[tuple[str, date, int, ForwardNode]] = field(default_factory=list)  # code, day, used, output


@dataclass
class LotTrace:
    lot: LotInfo
    back: BackNode
    forward: ForwardNode


def trace_lot(session: Session, code: str) -> LotTrace:
    lot_id = session.scalar(select(Lot.id).where(Lot.code == code.strip()))
    if lot_id is None:
        raise NotFound(_("no lot with code {code}").format(code=code))
    info = _info(session, lot_id)
    return LotTrace(info, _back(session, info, None, frozenset()), _forward(session, info, set()))


def _info(session: Session, lot_id: int) -> LotInfo:
    row = session.execute(
        select(Lot, Product.name, Product.unit, Supplier.name, Delivery.note_number, Batch.code)
        .join(Product, Product.id == Lot.product_id)
        .outerjoin(Supplier, Supplier.id == Lot.supplier_id)
        .outerjoin(DeliveryLine, DeliveryLine.id == Lot.delivery_line_id)
        .outerjoin(Delivery, Delivery.id == DeliveryLine.delivery_id)
        .outerjoin(Batch, Batch.id == Lot.batch_id)
        .where(Lot.id == lot_id)
    ).one()
    lot, product, unit, supplier, note, batch_code = row
    recall = session.scalar(select(Recall.reason).where(Recall.lot_id == lot_id, Recall.lifted_at.is_(None)))
    return LotInfo(
        lot.id,
        lot.code,
        product,
        Unit(unit).value,
        lot.origin,
        lot.received_on,
        lot.expiry,
        supplier,
        lot.supplier_lot_code,
        note,
        batch_code,
        recall,
        lot.hold_reason,
    )


def _back(session: Session, info: LotInfo, quantity: int | None, path: frozenset[int]) -> BackNode:
    """Every input is shown under each batch that used it (an inspector reads each branch on its
    own); ``path`` only guards against a cycle, which correct data never has."""
    node = BackNode(info, quantity)
    if info.id in path:
        return node
    if info.origin is LotOrigin.BATCH:
        inputs = session.execute(
            select(BatchInput.lot_id, BatchInput.quantity)
            .join(Lot, Lot.batch_id == BatchInput.batch_id)
            .where(Lot.id == info.id)
            .order_by(BatchInput.id)
        ).all()
        for input_lot_id, used in inputs:
            node.inputs.append(_back(session, _info(session, input_lot_id), int(used), path | {info.id}))
    return node


def _forward(session: Session, info: LotInfo, seen: set[int]) -> ForwardNode:
    node = ForwardNode(info)
    if info.id in seen:
        return node
    seen.add(info.id)
    node.transfers = _transfers(session, info.id)
    node.sales = _sales(session, info.id)
    node.catering = _catering(session, info.id)
    node.waste = [
        WasteRow(local_day(at), site, reason.value, int(quantity))
        for at, site, reason, quantity in session.execute(
            select(WasteRecord.at, Site.code, WasteRecord.reason, WasteRecord.quantity)
            .join(Site, Site.id == WasteRecord.site_id)
            .where(WasteRecord.lot_id == info.id)
            .order_by(WasteRecord.at)
        )
    ]
    node.on_hand = [
        (site, location, int(quantity))
        for site, location, quantity in session.execute(
            select(Site.code, Location.name, StockLevel.quantity)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Site, Site.id == Location.site_id)
            .where(StockLevel.lot_id == info.id, StockLevel.quantity != 0)
            .order_by(Site.code, Location.name)
        )
    ]
    uses = session.execute(
        select(Batch.code, Batch.started_at, Batch.output_lot_id, BatchInput.quantity)
        .join(Batch, Batch.id == BatchInput.batch_id)
        .where(BatchInput.lot_id == info.id)
        .order_by(Batch.started_at, Batch.id)
    ).all()
    for batch_code, started, output_lot_id, used in uses:
        if output_lot_id is None:
            continue
        output = _forward(session, _info(session, output_lot_id), seen)
        node.batches.append((batch_code, local_day(started), int(used), output))
    return node


def _transfers(session: Session, lot_id: int) -> list[TransferRow]:
    source = Location.__table__.alias("source")
    target = Location.__table__.alias("target")
    source_site = Site.__table__.alias("source_site")
    target_site = Site.__table__.alias("target_site")
    rows = session.execute(
        select(
            Transfer.id,
            Transfer.sent_at,
            source_site.c.code,
            source.c.name,
            target_site.c.code,
            target.c.name,
            TransferLine.quantity_sent,
            TransferLine.quantity_received,
        )
        .join(Transfer, Transfer.id == TransferLine.transfer_id)
        .join(source, source.c.id == Transfer.from_location_id)
        .join(target, target.c.id == Transfer.to_location_id)
        .join(source_site, source_site.c.id == source.c.site_id)
        .join(target_site, target_site.c.id == target.c.site_id)
        .where(TransferLine.lot_id == lot_id)
        .order_by(Transfer.sent_at, Transfer.id)
    ).all()
    # every site has a "Laboratorio": a place is named with its site
    return [
        TransferRow(
            int(i), local_day(at), f"{a_site} {a}", f"{b_site} {b}", int(sent), None if got is None else int(got)
        )
        for i, at, a_site, a, b_site, b, sent, got in rows
    ]


def _sales(session: Session, lot_id: int) -> list[SaleRow]:
    rows = session.execute(
        select(StockMovement.at, StockMovement.quantity, Site.code, Counter.code, Customer.name, Customer.id)
        .join(SaleLine, SaleLine.id == StockMovement.doc_id)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(Counter, Counter.id == Sale.counter_id)
        .join(Site, Site.id == Counter.site_id)
        .outerjoin(Customer, Customer.id == Sale.customer_id)
        .where(
            StockMovement.lot_id == lot_id,
            StockMovement.doc_type == "sale_line",
            StockMovement.kind.in_([MovementKind.SALE, MovementKind.REFUND]),
        )
    ).all()
    totals: dict[tuple[str, date, str, str | None, int | None], int] = defaultdict(int)
    for at, quantity, site, counter, customer, customer_id in rows:
        totals[(site, local_day(at), counter, customer, customer_id)] -= int(quantity)  # a sale moves stock out
    return [
        SaleRow(site, day, counter, quantity, customer, customer_id)
        for (site, day, counter, customer, customer_id), quantity in sorted(
            totals.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])
        )
        if quantity
    ]


def _catering(session: Session, lot_id: int) -> list[CateringRow]:
    rows = session.execute(
        select(
            DeliveryNote.at,
            DeliveryNote.year,
            DeliveryNote.number,
            CateringOrder.number,
            Customer.name,
            Customer.vat_number,
            DeliveryNoteItem.quantity,
            Customer.id,
        )
        .join(DeliveryNote, DeliveryNote.id == DeliveryNoteItem.note_id)
        .join(CateringOrder, CateringOrder.id == DeliveryNote.order_id)
        .join(Customer, Customer.id == CateringOrder.customer_id)
        .where(DeliveryNoteItem.lot_id == lot_id)
        .order_by(DeliveryNote.at, DeliveryNote.id)
    ).all()
    return [
        CateringRow(local_day(at), f"{year}/{number:04d}", order, name, vat, int(quantity), customer_id)
        for at, year, number, order, name, vat, quantity, customer_id in rows
    ]


def trace_lines(trace: LotTrace) -> list[str]:
    """The trace as text, for the terminal and the till's screen."""
    lines = [_("Lot {code}: {product}").format(code=trace.lot.code, product=trace.lot.product)]
    if trace.lot.recall:
        lines.append("  " + _("RECALLED: {reason}").format(reason=trace.lot.recall))
    if trace.lot.hold:
        lines.append("  " + _("ON HOLD: {reason}").format(reason=trace.lot.hold))
    lines.append("")
    lines.append(_("One step back"))
    _back_lines(trace.back, lines, 1)
    lines.append("")
    lines.append(_("One step forward"))
    _forward_lines(trace.forward, lines, 1)
    return lines


def _describe(info: LotInfo) -> str:
    expiry = format_date(info.expiry) if info.expiry else "-"
    if info.origin is LotOrigin.DELIVERY:
        return _(
            "{code} {product}: from {supplier}, delivery note {note}, their lot {their}, received {day}, date {expiry}"
        ).format(
            code=info.code,
            product=info.product,
            supplier=info.supplier or "?",
            note=info.delivery_note or "-",
            their=info.supplier_lot_code or "-",
            day=format_date(info.received_on),
            expiry=expiry,
        )
    if info.origin is LotOrigin.BATCH:
        return _("{code} {product}: made by the lab in batch {batch} on {day}, date {expiry}").format(
            code=info.code,
            product=info.product,
            batch=info.batch_code or "?",
            day=format_date(info.received_on),
            expiry=expiry,
        )
    return _("{code} {product}: stock without a known origin ({origin})").format(
        code=info.code, product=info.product, origin=_(info.origin.value)
    )


def _back_lines(node: BackNode, lines: list[str], depth: int) -> None:
    pad = "  " * depth
    used = (
        ""
        if node.quantity is None
        else _("{quantity} used of").format(quantity=format_quantity(node.quantity, node.lot.unit)) + " "
    )
    lines.append(f"{pad}{used}{_describe(node.lot)}")
    for child in node.inputs:
        _back_lines(child, lines, depth + 1)


def _forward_lines(node: ForwardNode, lines: list[str], depth: int) -> None:
    pad = "  " * depth
    lines.append(f"{pad}{node.lot.code} {node.lot.product}")
    for t in node.transfers:
        received = "?" if t.received is None else format_quantity(t.received, node.lot.unit)
        lines.append(
            pad
            + "  "
            + _("{day} transfer {number}: {sent} from {source} to {target}, {received} received").format(
                day=format_date(t.day),
                number=t.transfer_id,
                sent=format_quantity(t.sent, node.lot.unit),
                source=t.from_location,
                target=t.to_location,
                received=received,
            )
        )
    for s in node.sales:
        who = f" ({s.customer})" if s.customer else ""
        lines.append(
            pad
            + "  "
            + _("{day} sold {quantity} at {site}, counter {counter}").format(
                day=format_date(s.day),
                quantity=format_quantity(s.quantity, node.lot.unit),
                site=s.site,
                counter=s.counter,
            )
            + who
        )
    for c in node.catering:
        lines.append(
            pad
            + "  "
            + _("{day} catering: {quantity} to {customer} ({vat}), order {order}, DDT {note}").format(
                day=format_date(c.day),
                quantity=format_quantity(c.quantity, node.lot.unit),
                customer=c.customer,
                vat=c.vat_number or "-",
                order=c.order,
                note=c.note,
            )
        )
    for w in node.waste:
        lines.append(
            pad
            + "  "
            + _("{day} waste {quantity} at {site}: {reason}").format(
                day=format_date(w.day),
                quantity=format_quantity(w.quantity, node.lot.unit),
                site=w.site,
                reason=_(w.reason),
            )
        )
    for site, location, quantity in node.on_hand:
        lines.append(
            pad
            + "  "
            + _("on hand {quantity} at {site}, {location}").format(
                quantity=format_quantity(quantity, node.lot.unit), site=site, location=location
            )
        )
    for code, day, used, output in node.batches:
        lines.append(
            pad
            + "  "
            + _("{day} {quantity} used in lab batch {batch}:").format(
                day=format_date(day), quantity=format_quantity(used, node.lot.unit), batch=code
            )
        )
        _forward_lines(output, lines, depth + 2)
