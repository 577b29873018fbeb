"""Stock counts: a sheet per location, counted by hand, the differences booked with their value.

Opening a count takes a snapshot of what the system expects per lot at that moment. Counting
fills in the lines (a line left blank is not counted: closing refuses until every line is
counted, or the caller says blank means zero). Closing turns each difference into a
COUNT_ADJUSTMENT movement valued at the lot's cost, in one transaction.

Sales go on while the shelf is counted, so the adjustment is the difference between counted and
expected *at opening*, applied to the stock as it is at closing: what was sold meanwhile stays
sold. Goods found that the sheet does not list are added as a line with a lot (an "opening" lot
when nobody knows where they came from).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement, value_of
from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    AuditEntry,
    CountStatus,
    Location,
    Lot,
    LotOrigin,
    MovementKind,
    Product,
    StockCount,
    StockCountLine,
    StockLevel,
    utcnow,
)
from orto.policy import Action, Operator


@dataclass(frozen=True)
class CountLine:
    id: int
    lot_code: str
    product: str
    unit: str
    expiry: date | None
    expected: int
    counted: int | None


@dataclass(frozen=True)
class CountSheet:
    id: int
    location: str
    status: CountStatus
    lines: tuple[CountLine, ...]


@dataclass(frozen=True)
class CountResult:
    adjusted: int  # lines with a difference
    value_cents: int  # net value of the differences (negative: stock was missing)


def open_count(db: Database, *, location_id: int, actor: Operator) -> int:
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        location = session.get(Location, location_id)
        if location is None:
            raise NotFound(_("no such location"))
        busy = session.scalar(
            select(StockCount.id).where(StockCount.location_id == location_id, StockCount.status == CountStatus.OPEN)
        )
        if busy is not None:
            raise NotAllowed(_("count {number} of this location is still open").format(number=busy))
        count = StockCount(location_id=location_id, started_by=actor.id, status=CountStatus.OPEN)
        session.add(count)
        session.flush()
        levels = session.execute(
            select(StockLevel.lot_id, StockLevel.product_id, StockLevel.quantity)
            .join(Lot, Lot.id == StockLevel.lot_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(StockLevel.location_id == location_id, StockLevel.quantity != 0)
            .order_by(Product.name, Lot.expiry, Lot.code)
        ).all()
        session.add_all(
            StockCountLine(count_id=count.id, lot_id=lot_id, product_id=product_id, expected=int(quantity))
            for lot_id, product_id, quantity in levels
        )
        return count.id


def count_sheet(db: Database, count_id: int) -> CountSheet:
    with db.read() as session:
        count = session.get(StockCount, count_id)
        if count is None:
            raise NotFound(_("no count number {number}").format(number=count_id))
        location = session.get(Location, count.location_id)
        assert location is not None
        rows = session.execute(
            select(StockCountLine, Lot.code, Lot.expiry, Product.name, Product.unit)
            .join(Lot, Lot.id == StockCountLine.lot_id)
            .join(Product, Product.id == StockCountLine.product_id)
            .where(StockCountLine.count_id == count_id)
            .order_by(StockCountLine.id)
        ).all()
        lines = tuple(
            CountLine(line.id, code, name, unit.value, expiry, line.expected, line.counted)
            for line, code, expiry, name, unit in rows
        )
        return CountSheet(count.id, location.name, count.status, lines)


def enter_counts(db: Database, count_id: int, counted: Mapping[int, int], *, actor: Operator) -> None:
    """Record counted quantities by line id (may be called many times while counting)."""
    for line_id, quantity in counted.items():
        if quantity is not None:
            limits.stock_quantity(quantity, _("line {n}: counted").format(n=line_id), minimum=-limits.MAX_INT)
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        count = _open(session, count_id)
        lines = {line.id: line for line in count.lines}
        for line_id, quantity in counted.items():
            if line_id not in lines:
                raise InvalidInput(_("count {number} has no line {line}").format(number=count_id, line=line_id))
            if quantity < 0:
                raise InvalidInput(_("a counted quantity cannot be negative"))
            lines[line_id].counted = quantity


def add_found(
    db: Database,
    count_id: int,
    *,
    actor: Operator,
    product_id: int,
    quantity: int,
    lot_code: str | None,
    today: date,
) -> int:
    """Goods on the shelf the sheet does not list: a line with its lot (a new opening lot if
    ``lot_code`` is empty). Returns the line id."""
    limits.stock_quantity(quantity, _("counted"), minimum=-limits.MAX_INT)
    limits.optional_text(lot_code, _("lot"), 48)
    if quantity < 0:
        raise InvalidInput(_("a counted quantity cannot be negative"))
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        count = _open(session, count_id)
        product = session.get(Product, product_id)
        if product is None:
            raise NotFound(_("no such product"))
        if lot_code:
            lot = session.scalar(select(Lot).where(Lot.code == lot_code.strip()))
            if lot is None or lot.product_id != product.id:
                raise NotFound(_("no lot {code} of {product}").format(code=lot_code, product=product.name))
        else:
            lot = Lot(
                code=f"CNT-{count.id}-{product.code}",
                product_id=product.id,
                origin=LotOrigin.OPENING,
                received_on=today,
                unit_cost_cents=product.cost_cents,
                date_type=product.date_type,
            )
            session.add(lot)
            session.flush()
        if any(line.lot_id == lot.id for line in count.lines):
            raise NotAllowed(_("lot {code} is already on the sheet").format(code=lot.code))
        line = StockCountLine(count_id=count.id, lot_id=lot.id, product_id=product.id, expected=0, counted=quantity)
        session.add(line)
        session.flush()
        return line.id


def close_count(db: Database, count_id: int, *, actor: Operator, blank_is_zero: bool = False) -> CountResult:
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        count = _open(session, count_id, lock=True)
        location = session.get(Location, count.location_id)
        assert location is not None
        missing = [line for line in count.lines if line.counted is None]
        if missing and not blank_is_zero:
            raise NotAllowed(
                _("{n} lines are not counted yet: count them, or close saying blank means zero").format(n=len(missing))
            )
        adjusted = 0
        total = 0
        for line in count.lines:
            counted = 0 if line.counted is None else line.counted
            line.counted = counted
            difference = counted - line.expected
            if difference == 0:
                line.value_cents = 0
                continue
            lot = session.get(Lot, line.lot_id)
            product = session.get(Product, line.product_id)
            assert lot is not None and product is not None
            value = value_of(abs(difference), lot.unit_cost_cents, product.base_per_unit)
            line.value_cents = value if difference > 0 else -value
            total += line.value_cents
            adjusted += 1
            post_movement(
                session,
                kind=MovementKind.COUNT_ADJUSTMENT,
                location_id=location.id,
                lot=lot,
                quantity=difference,
                user_id=actor.id,
                doc_type="stock_count_line",
                doc_id=line.id,
                reason=_("count {number}").format(number=count.id),
            )
        count.status = CountStatus.CLOSED
        count.closed_at = utcnow()
        count.closed_by = actor.id
        session.add(
            AuditEntry(
                action="count_close",
                user_id=actor.id,
                site_id=location.site_id,
                entity="stock_count",
                entity_id=count.id,
                details={"adjusted": adjusted, "value_cents": total},
            )
        )
        return CountResult(adjusted, total)


def _open(session: Session, count_id: int, *, lock: bool = False) -> StockCount:
    count = session.get(StockCount, count_id, with_for_update=lock)
    if count is None:
        raise NotFound(_("no count number {number}").format(number=count_id))
    if count.status is not CountStatus.OPEN:
        raise NotAllowed(_("count {number} is closed").format(number=count_id))
    return count


def count_sheet_pdf(db: Database, count_id: int, target: Path | BytesIO, *, site_label: str = "") -> None:
    """The sheet to count on, as an A4 PDF: product, lot, date and unit, with an empty box to
    write the count in. Blind on purpose: the expected quantity is not printed, so the person
    counting writes what is on the shelf, not what the system hopes for."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.i18n import format_date
    from orto.pdf import build_pdf, styles, table

    sheet = count_sheet(db, count_id)
    s = styles()
    rows: list[list[object]] = [[_("Product"), _("Lot"), _("Date"), _("Unit"), _("Counted")]]
    for line in sheet.lines:
        rows.append(
            [
                Paragraph(line.product, s["cell"]),
                line.lot_code,
                format_date(line.expiry) if line.expiry else "",
                "kg" if line.unit == "kg" else "l" if line.unit == "l" else "pz",
                "",
            ]
        )
    story = [
        Paragraph(_("Stock count {number}: {location}").format(number=sheet.id, location=sheet.location), s["title"]),
        Paragraph(
            _("Write what is on the shelf; goods not listed go at the bottom with their lot, if any."), s["body"]
        ),
        Spacer(1, 6),
        table(rows + [["", "", "", "", ""]] * 6, [70 * mm, 40 * mm, 25 * mm, 15 * mm, 30 * mm]),
        Spacer(1, 18),
        Paragraph(_("Counted by: ____________________    Date: ____________"), s["body"]),
    ]
    build_pdf(
        target,
        title=_("Stock count {number}").format(number=sheet.id),
        site_label=site_label or sheet.location,
        story=story,
    )
