"""The sale lifecycle: start, add, change, discount, park, cancel, complete.

A sale is a database row from the moment it starts (status ``open``, with the UUID made then),
and every scanned line is committed as it is added: a killed till or a power cut loses nothing,
and the next start finds the open sale again (:func:`current_sale`).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from orto.barcodes import classify
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    Barcode,
    Counter,
    CounterKind,
    Lot,
    PaymentMethod,
    PriceList,
    Product,
    Sale,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
    Site,
    utcnow,
)
from orto.money import percent_of, price_for_quantity, vat_breakdown
from pos.selling import scale
from pos.selling.audit import audit
from pos.selling.auth import authorise
from pos.selling.lots import block_reason, pick_lot
from pos.selling.pricing import list_price, markdown_for, markdown_rules
from pos.selling.views import LineView, PaymentView, SaleView

ROME = ZoneInfo("Europe/Rome")
DEFAULT_DISCOUNT_THRESHOLD_BP = 1000  # discounts above 10% need a manager


def business_date(moment: datetime | None = None) -> date:
    return (moment or utcnow()).astimezone(ROME).date()


def discount_threshold_bp(settings: Settings | None) -> int:
    value = (settings.section("selling") if settings else {}).get("discount_approval_threshold_percent")
    return int(value * 100) if isinstance(value, int) else DEFAULT_DISCOUNT_THRESHOLD_BP


# ---------------------------------------------------------------- loading and views


def _sale(session: Session, sale_id: int, *, lock: bool = True) -> Sale:
    sale = session.get(Sale, sale_id, with_for_update=lock)
    if sale is None:
        raise NotFound(_("no sale {id}").format(id=sale_id))
    return sale


def _open_sale(session: Session, sale_id: int) -> Sale:
    sale = _sale(session, sale_id)
    if sale.status is not SaleStatus.OPEN:
        raise NotAllowed(_("sale {id} is {status}, not open").format(id=sale_id, status=_(sale.status.value)))
    return sale


def _counter(session: Session, counter_id: int) -> Counter:
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise NotFound(_("no counter {id}").format(id=counter_id))
    return counter


def open_shift_of(session: Session, counter_id: int) -> Shift | None:
    return session.scalar(
        select(Shift).where(Shift.counter_id == counter_id, Shift.status == ShiftStatus.OPEN).order_by(Shift.id.desc())
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def view(session: Session, sale: Sale, warnings: tuple[str, ...] = ()) -> SaleView:
    lots = {
        lot.id: lot
        for lot in session.scalars(select(Lot).where(Lot.id.in_([ln.lot_id for ln in sale.lines if ln.lot_id])))
    }
    codes = dict(
        session.execute(
            select(Product.id, Product.code).where(Product.id.in_([ln.product_id for ln in sale.lines]))
        ).all()
    )
    price_list = session.get(PriceList, sale.price_list_id) if sale.price_list_id else None
    lines = tuple(
        LineView(
            id=ln.id,
            position=ln.position,
            product_id=ln.product_id,
            product_code=codes.get(ln.product_id, ""),
            description=ln.description,
            quantity=ln.quantity,
            weighed=ln.weighed,
            list_price_cents=ln.list_price_cents,
            unit_price_cents=ln.unit_price_cents,
            price_overridden=ln.price_overridden,
            markdown_cents=ln.markdown_cents,
            discount_cents=ln.discount_cents,
            vat_rate_bp=ln.vat_rate_bp,
            total_cents=ln.total_cents,
            lot_code=lots[ln.lot_id].code if ln.lot_id in lots else None,
            lot_expiry=_iso(lots[ln.lot_id].expiry) if ln.lot_id in lots else None,
            kitchen_item=ln.kitchen_item,
            note=ln.note,
        )
        for ln in sorted(sale.lines, key=lambda x: x.position)
    )
    payments = tuple(
        PaymentView(p.id, p.method, p.amount_cents, p.tendered_cents, p.change_cents, p.reference)
        for p in sale.payments
    )
    return SaleView(
        id=sale.id,
        uuid=sale.uuid,
        kind=sale.kind,
        status=sale.status,
        number=sale.number,
        counter_id=sale.counter_id,
        shift_id=sale.shift_id,
        user_id=sale.user_id,
        price_list=price_list.code if price_list else None,
        customer_card=sale.customer_card,
        onsite=sale.onsite,
        started_at=sale.started_at,
        completed_at=sale.completed_at,
        lines=lines,
        total_cents=sale.total_cents,
        discount_cents=sale.discount_cents,
        markdown_cents=sum(ln.markdown_cents for ln in sale.lines),
        vat=tuple(vat_breakdown((ln.vat_rate_bp, ln.total_cents) for ln in sale.lines)),
        payments=payments,
        original_sale_id=sale.original_sale_id,
        warnings=warnings,
    )


def get_sale(db: Database, sale_id: int) -> SaleView:
    with db.read() as session:
        return view(session, _sale(session, sale_id, lock=False))


def find_sale(db: Database, reference: str) -> SaleView:
    """A completed sale by its number (as printed and encoded in the slip's barcode) or UUID."""
    reference = reference.strip()
    with db.read() as session:
        sale = session.scalar(select(Sale).where((Sale.number == reference) | (Sale.uuid == reference)))
        if sale is None:
            raise NotFound(_("no sale with number {number}").format(number=reference))
        return view(session, sale)


# ---------------------------------------------------------------- totals


def _spread(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` in proportion to ``weights`` so the parts sum exactly (largest remainder)."""
    total = sum(weights)
    if total <= 0 or amount == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (amount * weights[i]) % total, reverse=True)
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class LineFigures:
    """What a line comes to: its near-expiry markdown, its discounts (own + share) and its total."""

    markdown_cents: int
    discount_cents: int
    total_cents: int


@dataclass(frozen=True)
class LineTerms:
    """What a line's figures are computed from."""

    gross_cents: int  # quantity x unit price
    markdown_bp: int | None  # near-expiry markdown of its lot, None when none applies
    line_discount_bp: int | None
    line_discount_cents: int | None


def figures(
    lines: Sequence[LineTerms], sale_discount_bp: int | None, sale_discount_cents: int | None
) -> list[LineFigures]:
    """Line totals from gross, markdown and discounts; the sale discount spread on the lines."""
    nets: list[int] = []
    own_discounts: list[int] = []
    markdowns: list[int] = []
    for line in lines:
        markdown = percent_of(line.gross_cents, line.markdown_bp) if line.markdown_bp is not None else 0
        after_markdown = line.gross_cents - markdown
        if line.line_discount_bp:
            own = percent_of(after_markdown, line.line_discount_bp)
        else:
            own = min(line.line_discount_cents or 0, after_markdown)
        markdowns.append(markdown)
        own_discounts.append(own)
        nets.append(after_markdown - own)
    sale_net = sum(nets)
    if sale_discount_bp:
        whole = percent_of(sale_net, sale_discount_bp)
    else:
        whole = min(sale_discount_cents or 0, sale_net)
    shares = _spread(whole, nets)
    return [
        LineFigures(markdown, own + share, net - share)
        for markdown, net, own, share in zip(markdowns, nets, own_discounts, shares, strict=True)
    ]


def recompute(session: Session, sale: Sale, today: date) -> None:
    """Line totals from quantity, price, markdown and discounts; the sale discount spread on lines."""
    rules = markdown_rules(session)
    terms: list[LineTerms] = []
    for line in sale.lines:
        product = session.get(Product, line.product_id)
        lot = session.get(Lot, line.lot_id) if line.lot_id else None
        markdown = markdown_for(session, product, lot, today, rules) if product and not line.price_overridden else None
        terms.append(
            LineTerms(
                price_for_quantity(line.unit_price_cents, line.quantity, line.weighed),
                markdown.percent_bp if markdown else None,
                line.line_discount_bp,
                line.line_discount_cents,
            )
        )
    for line, fig in zip(sale.lines, figures(terms, sale.sale_discount_bp, sale.sale_discount_cents), strict=True):
        line.markdown_cents, line.discount_cents, line.total_cents = (
            fig.markdown_cents,
            fig.discount_cents,
            fig.total_cents,
        )
    sale.total_cents = sum(ln.total_cents for ln in sale.lines)
    sale.discount_cents = sum(ln.discount_cents for ln in sale.lines)


# ---------------------------------------------------------------- lifecycle


def start_sale(db: Database, counter_id: int, user_id: int) -> SaleView:
    """The counter's open sale (restored after a restart), or a new one. Needs an open shift."""
    with db.write() as session:
        authorise(session, user_id, "sell")
        existing = session.scalar(
            select(Sale).where(Sale.counter_id == counter_id, Sale.status == SaleStatus.OPEN).order_by(Sale.id)
        )
        if existing is not None:
            return view(session, existing)
        counter = _counter(session, counter_id)
        shift = open_shift_of(session, counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open at {counter}: open one first").format(counter=counter.name))
        sale = Sale(
            uuid=str(uuid_module.uuid4()),
            counter_id=counter_id,
            shift_id=shift.id,
            user_id=user_id,
            onsite=counter.kind is CounterKind.BAR,
        )
        session.add(sale)
        session.flush()
        return view(session, sale)


def current_sale(db: Database, counter_id: int) -> SaleView | None:
    with db.read() as session:
        sale = session.scalar(
            select(Sale).where(Sale.counter_id == counter_id, Sale.status == SaleStatus.OPEN).order_by(Sale.id)
        )
        return view(session, sale) if sale else None


def parked_sales(db: Database, counter_id: int) -> list[SaleView]:
    with db.read() as session:
        sales = session.scalars(
            select(Sale).where(Sale.counter_id == counter_id, Sale.status == SaleStatus.PARKED).order_by(Sale.id)
        )
        return [view(session, s) for s in sales]


def resolve_code(session: Session, code: str, site: Site) -> tuple[Product, int | None, str | None]:
    """What a scanned or typed code means: (product, quantity from a scale label or None, kind).

    Tries scale labels, barcodes, product codes, in that order; anything else is refused naming
    the code and why.
    """
    code = code.strip()
    if not code:
        raise InvalidInput(_("nothing was scanned"))
    rules = site.scale_barcode_rules
    if scale.is_scale_label(code, rules):
        label = scale.decode(code, rules)
        product = session.scalar(select(Product).where(Product.plu == label.plu))
        if product is None:
            raise NotFound(_("scale label {code}: no product has PLU {plu}").format(code=code, plu=label.plu))
        if label.kind == "weight":
            return product, label.value, "scale"
        if product.price_cents <= 0:
            raise InvalidInput(_("{product} has no price per kg").format(product=product.name))
        if not product.sold_by_weight:
            raise InvalidInput(
                _("scale label {code}: {product} is not sold by weight").format(code=code, product=product.name)
            )
        grams = max(1, (label.value * 1000 + product.price_cents // 2) // product.price_cents)
        return product, grams, "scale"
    product = session.scalar(select(Product).join(Barcode).where(Barcode.code == code))
    if product is None:
        product = session.scalar(select(Product).where(func.upper(Product.code) == code.upper()))
    if product is None:
        if code.isdigit() and len(code) in (8, 12, 13):
            classify(code)  # raises naming the wrong check digit: a misread, scan again
        raise NotFound(_("unknown code {code}: no product has it").format(code=code))
    return product, None, "code"


def _add_line(
    session: Session,
    sale: Sale,
    product: Product,
    quantity: int | None,
    scanned: str | None,
    today: date,
) -> tuple[str, ...]:
    if not product.active:
        raise NotAllowed(_("{product} is no longer sold").format(product=product.name))
    if quantity is None:
        if product.sold_by_weight:
            raise InvalidInput(_("{product} is sold by weight: type the weight").format(product=product.name))
        quantity = 1
    if quantity <= 0:
        raise InvalidInput(_("the quantity must be more than zero"))
    counter = session.get(Counter, sale.counter_id)
    assert counter is not None
    lot = pick_lot(session, product, counter.location_id, today)
    warnings: list[str] = []
    markdown = markdown_for(session, product, lot, today)
    if markdown is not None and markdown.past_date and lot is not None:
        warnings.append(
            _("{product}: lot {lot} is past its best-before date, sold marked down").format(
                product=product.name, lot=lot.code
            )
        )
    # the same piece item scanned again adds to its line, as customers expect on the slip
    for line in sale.lines:
        if (
            line.product_id == product.id
            and not line.weighed
            and not product.sold_by_weight
            and not line.price_overridden
            and not line.line_discount_bp
            and not line.line_discount_cents
            and line.lot_id == (lot.id if lot else None)
        ):
            line.quantity += quantity
            return tuple(warnings)
    rate = product.onsite_vat_rate_bp if sale.onsite and product.onsite_vat_rate_bp else product.vat_rate_bp
    price = list_price(session, product, sale.price_list_id)
    sale.lines.append(
        SaleLine(
            position=max((ln.position for ln in sale.lines), default=0) + 1,
            product_id=product.id,
            description=product.name,
            quantity=quantity,
            weighed=product.sold_by_weight,
            list_price_cents=product.price_cents,
            unit_price_cents=price,
            vat_rate_bp=rate,
            total_cents=0,
            lot_id=lot.id if lot else None,
            scanned_code=scanned,
            kitchen_item=product.kitchen_item,
        )
    )
    return tuple(warnings)


def add_item(
    db: Database, sale_id: int, user_id: int, code: str, *, quantity: int | None = None, today: date | None = None
) -> SaleView:
    """Add by barcode, scale label or product code. ``quantity``: pieces, or grams if weighed."""
    day = today or business_date()
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        counter = _counter(session, sale.counter_id)
        product, label_quantity, _kind = resolve_code(session, code, counter.site)
        warnings = _add_line(session, sale, product, label_quantity or quantity, code, day)
        session.flush()
        recompute(session, sale, day)
        return view(session, sale, warnings)


def add_product(
    db: Database, sale_id: int, user_id: int, product_id: int, *, quantity: int | None = None, today: date | None = None
) -> SaleView:
    """Add a product chosen from a search or a quick key."""
    day = today or business_date()
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        product = session.get(Product, product_id)
        if product is None:
            raise NotFound(_("no product {id}").format(id=product_id))
        warnings = _add_line(session, sale, product, quantity, None, day)
        session.flush()
        recompute(session, sale, day)
        return view(session, sale, warnings)


def _line(sale: Sale, line_id: int) -> SaleLine:
    for line in sale.lines:
        if line.id == line_id:
            return line
    raise NotFound(_("no line {id} on this sale").format(id=line_id))


def set_quantity(db: Database, sale_id: int, user_id: int, line_id: int, quantity: int) -> SaleView:
    if quantity <= 0:
        raise InvalidInput(_("the quantity must be more than zero"))
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        _line(sale, line_id).quantity = quantity
        recompute(session, sale, business_date())
        return view(session, sale)


def remove_line(db: Database, sale_id: int, user_id: int, line_id: int) -> SaleView:
    """Take a line off a sale not yet paid (recorded in the audit log: voids are watched)."""
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        audit(
            session,
            "line_removed",
            user_id,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"product_id": line.product_id, "quantity": line.quantity, "total_cents": line.total_cents},
        )
        sale.lines.remove(line)
        session.delete(line)
        session.flush()
        recompute(session, sale, business_date())
        return view(session, sale)


def _check_discount(percent_bp: int | None, amount_cents: int | None) -> None:
    if (percent_bp is None) == (amount_cents is None):
        raise InvalidInput(_("give either a percentage or an amount"))
    if (percent_bp or 0) < 0 or (amount_cents or 0) < 0 or (percent_bp or 0) > 10_000:
        raise InvalidInput(_("a discount is between 0 and 100%"))


def _approve_discount(
    session: Session,
    settings: Settings | None,
    user_id: int,
    base: int,
    percent_bp: int | None,
    amount_cents: int | None,
    approver_pin: str | None,
) -> int | None:
    """A discount above the threshold needs a manager; returns the approver (None when not needed)."""
    amount = percent_of(base, percent_bp) if percent_bp is not None else min(amount_cents or 0, base)
    if base > 0 and amount * 10_000 > base * discount_threshold_bp(settings):
        return authorise(session, user_id, "discount_over_threshold", approver_pin)
    return None


def discount_line(
    db: Database,
    settings: Settings | None,
    sale_id: int,
    user_id: int,
    line_id: int,
    *,
    percent_bp: int | None = None,
    amount_cents: int | None = None,
    approver_pin: str | None = None,
) -> SaleView:
    """A discount on one line, by percent (basis points) or amount; a big one needs a manager."""
    _check_discount(percent_bp, amount_cents)
    day = business_date()
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        base = line.total_cents + line.discount_cents
        approver = _approve_discount(session, settings, user_id, base, percent_bp, amount_cents, approver_pin)
        line.line_discount_bp, line.line_discount_cents = percent_bp, amount_cents
        recompute(session, sale, day)
        audit(
            session,
            "discount",
            user_id,
            approver_id=approver,
            counter_id=sale.counter_id,
            entity="sale_line",
            entity_id=line.id,
            details={"percent_bp": percent_bp, "amount_cents": amount_cents},
        )
        return view(session, sale)


def discount_sale(
    db: Database,
    settings: Settings | None,
    sale_id: int,
    user_id: int,
    *,
    percent_bp: int | None = None,
    amount_cents: int | None = None,
    approver_pin: str | None = None,
) -> SaleView:
    """A discount on the whole sale, spread over the lines so VAT stays exact per rate."""
    _check_discount(percent_bp, amount_cents)
    day = business_date()
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        sale.sale_discount_bp, sale.sale_discount_cents = None, None
        recompute(session, sale, day)
        base = sale.total_cents
        approver = _approve_discount(session, settings, user_id, base, percent_bp, amount_cents, approver_pin)
        sale.sale_discount_bp, sale.sale_discount_cents = percent_bp, amount_cents
        recompute(session, sale, day)
        audit(
            session,
            "discount",
            user_id,
            approver_id=approver,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"percent_bp": percent_bp, "amount_cents": amount_cents},
        )
        return view(session, sale)


def override_price(
    db: Database, sale_id: int, user_id: int, line_id: int, unit_price_cents: int, *, approver_pin: str | None = None
) -> SaleView:
    """Change a line's unit price: always with a manager's approval (a manager approves their own)."""
    if unit_price_cents < 0:
        raise InvalidInput(_("a price cannot be negative"))
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        approver = authorise(session, user_id, "price_override", approver_pin)
        audit(
            session,
            "price_override",
            user_id,
            approver_id=approver,
            counter_id=sale.counter_id,
            entity="sale_line",
            entity_id=line.id,
            details={"from_cents": line.unit_price_cents, "to_cents": unit_price_cents},
        )
        line.unit_price_cents = unit_price_cents
        line.price_overridden = True
        recompute(session, sale, business_date())
        return view(session, sale)


def set_price_list(db: Database, sale_id: int, user_id: int, code: str | None, *, card: str | None = None) -> SaleView:
    """Sell at a price list: ``tessera`` needs the neighbourhood card number; None for the base list."""
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        if code is None or code == "base":
            sale.price_list_id, sale.customer_card = None, None
        else:
            price_list = session.scalar(select(PriceList).where(PriceList.code == code, PriceList.active.is_(True)))
            if price_list is None:
                raise NotFound(_("no price list {code}").format(code=code))
            if price_list.requires_card and not (card and card.strip()):
                raise InvalidInput(_("{name} needs the card number").format(name=price_list.name))
            sale.price_list_id, sale.customer_card = price_list.id, (card or "").strip() or None
        for line in sale.lines:
            if not line.price_overridden:
                product = session.get(Product, line.product_id)
                assert product is not None
                line.unit_price_cents = list_price(session, product, sale.price_list_id)
        recompute(session, sale, business_date())
        audit(
            session,
            "price_list",
            user_id,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"code": code, "card": sale.customer_card},
        )
        return view(session, sale)


def park_sale(db: Database, sale_id: int, user_id: int, note: str | None = None) -> SaleView:
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        if not sale.lines:
            raise NotAllowed(_("an empty sale cannot be parked"))
        sale.status = SaleStatus.PARKED
        sale.note = note
        return view(session, sale)


def resume_sale(db: Database, sale_id: int, user_id: int) -> SaleView:
    """Bring a parked sale back; the counter's open sale must be empty (or park it first)."""
    with db.write() as session:
        sale = _sale(session, sale_id)
        if sale.status is not SaleStatus.PARKED:
            raise NotAllowed(_("sale {id} is not parked").format(id=sale_id))
        current = session.scalar(select(Sale).where(Sale.counter_id == sale.counter_id, Sale.status == SaleStatus.OPEN))
        if current is not None:
            if current.lines:
                raise NotAllowed(_("park or finish the current sale first"))
            current.status, current.cancelled_at, current.cancel_reason = (
                SaleStatus.CANCELLED,
                utcnow(),
                "empty, replaced by a resumed sale",
            )
        shift = open_shift_of(session, sale.counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open: open one first"))
        sale.status, sale.shift_id, sale.user_id = SaleStatus.OPEN, shift.id, user_id
        recompute(session, sale, business_date())
        return view(session, sale)


def cancel_sale(db: Database, sale_id: int, user_id: int, reason: str, *, approver_pin: str | None = None) -> SaleView:
    """Cancel an unpaid sale: it stays on record as cancelled, with who and why."""
    with db.write() as session:
        sale = _sale(session, sale_id)
        if sale.status not in (SaleStatus.OPEN, SaleStatus.PARKED):
            raise NotAllowed(_("only a sale not yet paid can be cancelled; refund it instead"))
        approver = authorise(session, user_id, "cancel_sale", approver_pin)
        sale.status, sale.cancelled_at, sale.cancel_reason = SaleStatus.CANCELLED, utcnow(), reason
        audit(
            session,
            "sale_cancelled",
            user_id,
            approver_id=approver,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"reason": reason, "total_cents": sale.total_cents},
        )
        return view(session, sale)


def next_number(session: Session, counter: Counter) -> str:
    """The next document number of the counter, bumped under the row's lock."""
    number = session.execute(
        update(Counter)
        .where(Counter.id == counter.id)
        .values(last_sale_number=Counter.last_sale_number + 1)
        .returning(Counter.last_sale_number)
    ).scalar_one()
    return f"{counter.code}-{number:06d}"


def recheck_lines(session: Session, sale: Sale, today: date) -> None:
    """At payment, refuse lines whose lot became unsellable since they were scanned."""
    for line in sale.lines:
        if line.lot_id:
            lot = session.get(Lot, line.lot_id)
            if lot is not None:
                reason = block_reason(session, lot, today)
                if reason:
                    raise NotAllowed(_("{product}: {reason}").format(product=line.description, reason=reason))


__all__ = [
    "PaymentMethod",
    "add_item",
    "add_product",
    "business_date",
    "cancel_sale",
    "current_sale",
    "discount_line",
    "discount_sale",
    "find_sale",
    "get_sale",
    "next_number",
    "override_price",
    "park_sale",
    "parked_sales",
    "recompute",
    "remove_line",
    "resolve_code",
    "resume_sale",
    "set_price_list",
    "set_quantity",
    "start_sale",
    "view",
]
