"""Refunds: a new document linked to the sale, never an edit of it.

- Found by sale number (printed on the slip and encoded in its barcode) or UUID.
- Whole sale or chosen lines and quantities; never more than was sold, counting earlier refunds.
- A line's money back is its paid total in proportion to the quantity; refunding the last units
  of a line returns exactly what is left of it, so a line refunded in parts returns its total.
- Goods go back to the lots the sale took them from, at the refunding counter's location; goods
  that cannot be sold again are put back and recorded as waste (reason "damaged").
- Money goes back to the original methods by default, in the order they were paid (gift card
  credit to the same card, spesa sospesa to the fund, meal vouchers as cash), or all to one
  method if the manager chooses.
- Needs a manager (a cashier gets a manager's PIN as approval).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement
from inventory.waste import book_waste
from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.km0 import Km0Rule
from orto.models import (
    Counter,
    FundMovement,
    GiftCard,
    GiftCardMovement,
    Location,
    Lot,
    MovementKind,
    Payment,
    PaymentMethod,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SaleOperator,
    SaleStatus,
    SolidarityFund,
    StockMovement,
    WasteReason,
    utcnow,
)
from orto.money import div_round_half_up
from orto.policy import Action, Operator
from pos.selling.audit import audit
from pos.selling.document import load_sale_doc, view_of
from pos.selling.sales import business_date, next_number, open_shift_of, sale_by_reference
from pos.selling.views import SaleResult
from receipts.jobs import queue_sale_jobs


@dataclass(frozen=True)
class RefundLine:
    line_id: int  # the original sale's line
    quantity: int  # pieces, or grams for weighed items
    restock: bool = True  # False: not resellable, goes to waste


def refunded_so_far(session: Session, line_id: int) -> tuple[int, int]:
    """(quantity, cents) already refunded of an original line."""
    quantity, cents = session.execute(
        select(func.coalesce(func.sum(SaleLine.quantity), 0), func.coalesce(func.sum(SaleLine.total_cents), 0))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.original_line_id == line_id, Sale.status == SaleStatus.COMPLETED)
    ).one()
    return int(quantity), -int(cents)


@dataclass(frozen=True)
class _Part:
    line: SaleLine
    item: RefundLine
    cents: int  # positive: the money back for this part of the line
    discount_cents: int  # the share of the line's discount and markdown, so the slip shows them
    markdown_cents: int


def _share(session: Session, line: SaleLine, item: RefundLine) -> _Part:
    done_qty, done_cents = refunded_so_far(session, line.id)
    if item.quantity < 0 or item.quantity > line.quantity - done_qty:
        raise NotAllowed(
            _("{product}: only {left} left to refund").format(product=line.description, left=line.quantity - done_qty)
        )
    if done_qty + item.quantity == line.quantity:  # the last units return exactly what is left
        done_discount, done_markdown = session.execute(
            select(
                func.coalesce(func.sum(SaleLine.discount_cents), 0), func.coalesce(func.sum(SaleLine.markdown_cents), 0)
            )
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(SaleLine.original_line_id == line.id, Sale.status == SaleStatus.COMPLETED)
        ).one()
        return _Part(
            line,
            item,
            line.total_cents - done_cents,
            line.discount_cents + int(done_discount),
            line.markdown_cents + int(done_markdown),
        )

    def part(cents: int) -> int:
        return div_round_half_up(cents * item.quantity, line.quantity)

    return _Part(line, item, part(line.total_cents), part(line.discount_cents), part(line.markdown_cents))


def _parts(session: Session, original: Sale, lines: Sequence[RefundLine] | None) -> list[_Part]:
    by_id = {ln.id: ln for ln in original.lines}
    wanted = (
        list(lines)
        if lines is not None
        else [RefundLine(ln.id, ln.quantity - refunded_so_far(session, ln.id)[0]) for ln in original.lines]
    )
    wanted = [w for w in wanted if w.quantity]
    if not wanted:
        raise NotAllowed(_("everything on this sale has already been refunded"))
    parts = []
    for item in wanted:
        line = by_id.get(item.line_id)
        if line is None:
            raise NotFound(_("line {id} is not on sale {number}").format(id=item.line_id, number=original.number))
        parts.append(_share(session, line, item))
    return parts


def _refundable_sale(session: Session, reference: str, *, for_update: bool = False) -> Sale:
    original = sale_by_reference(session, reference, for_update=for_update)
    if original.kind is not SaleKind.SALE or original.status is not SaleStatus.COMPLETED:
        raise NotAllowed(_("only a completed sale can be refunded"))
    return original


@dataclass(frozen=True)
class RefundPlan:
    """What a refund will give back, before it is made: what the till shows the cashier."""

    number: str  # the sale's slip number
    total_cents: int  # positive
    lines: tuple[tuple[str, int, bool, int], ...]  # description, quantity, weighed, cents back
    back: tuple[tuple[PaymentMethod, int], ...]  # per method, positive cents, in the order given back

    @property
    def cash_cents(self) -> int:
        """The cash to hand over from the drawer."""
        return sum(cents for method, cents in self.back if method is PaymentMethod.CASH)


def refund_plan(
    db: Database,
    reference: str,
    *,
    lines: Sequence[RefundLine] | None = None,
    to_method: PaymentMethod | None = None,
) -> RefundPlan:
    """The refund ``refund`` would make with the same arguments, computed the same way, nothing written."""
    with db.read() as session:
        original = _refundable_sale(session, reference)
        parts = _parts(session, original, lines)
        total = sum(p.cents for p in parts)
        back: dict[PaymentMethod, int] = {}
        for payment in _money_back(original, session, total, to_method):
            back[payment.method] = back.get(payment.method, 0) - payment.amount_cents
        return RefundPlan(
            original.number or str(original.id),
            total,
            tuple((p.line.description, p.item.quantity, p.line.weighed, p.cents) for p in parts),
            tuple((m, c) for m, c in back.items() if c),
        )


def _money_back(original: Sale, session: Session, amount: int, to_method: PaymentMethod | None) -> list[Payment]:
    """Split the refund over the original payments, in order, net of what was already given back."""
    if to_method is not None:
        return [Payment(method=to_method, amount_cents=-amount)]
    given_back: dict[int, int] = {}
    for ref, cents in session.execute(
        select(Payment.reference, Payment.amount_cents)
        .join(Sale)
        .where(Sale.original_sale_id == original.id, Sale.status == SaleStatus.COMPLETED)
    ).all():
        if ref and ref.startswith("payment:"):
            given_back[int(ref.split(":")[1])] = given_back.get(int(ref.split(":")[1]), 0) - cents
    out: list[Payment] = []
    remaining = amount
    for paid in original.payments:
        room = paid.amount_cents - given_back.get(paid.id, 0)
        share = min(room, remaining)
        if share <= 0:
            continue
        method = PaymentMethod.CASH if paid.method is PaymentMethod.VOUCHER else paid.method
        out.append(
            Payment(
                method=method,
                amount_cents=-share,
                reference=f"payment:{paid.id}",
                gift_card_id=paid.gift_card_id,
                fund_id=paid.fund_id,
            )
        )
        remaining -= share
        if not remaining:
            break
    if remaining:
        out.append(Payment(method=PaymentMethod.CASH, amount_cents=-remaining))
    return out


def _return_goods(
    session: Session,
    line: SaleLine,
    refund_line: SaleLine,
    quantity: int,
    restock: bool,
    location_id: int,
    user_id: int,
    today: date,
) -> None:
    taken = list(
        session.execute(
            select(StockMovement.lot_id, StockMovement.quantity)
            .where(StockMovement.doc_type == "sale_line", StockMovement.doc_id == line.id)
            .order_by(StockMovement.id.desc())
        ).all()
    )
    remaining = quantity
    for lot_id, moved in taken:  # the lots the sale took from, last first
        share = min(remaining, -moved) if moved < 0 else 0
        if share <= 0:
            continue
        lot = session.get(Lot, lot_id)
        assert lot is not None
        _put_back(session, lot, share, restock, location_id, user_id, refund_line)
        remaining -= share
        if not remaining:
            return
    if remaining:  # sold before any movement was kept: back to the line's lot or the untracked one
        from inventory.ledger import untracked_lot

        product = session.get(Product, line.product_id)
        assert product is not None
        lot = session.get(Lot, line.lot_id) if line.lot_id else untracked_lot(session, product, today)
        assert lot is not None
        _put_back(session, lot, remaining, restock, location_id, user_id, refund_line)


def _put_back(
    session: Session,
    lot: Lot,
    quantity: int,
    restock: bool,
    location_id: int,
    user_id: int,
    refund_line: SaleLine,
) -> None:
    post_movement(
        session,
        kind=MovementKind.REFUND,
        location_id=location_id,
        lot=lot,
        quantity=quantity,
        user_id=user_id,
        doc_type="sale_line",
        doc_id=refund_line.id,
    )
    if restock:
        return
    location = session.get(Location, location_id)
    assert location is not None
    book_waste(
        session,
        lot=lot,
        location=location,
        quantity=quantity,
        reason=WasteReason.DAMAGED,
        user_id=user_id,
        note=_("returned by a customer, not resellable"),
    )


def refund(
    db: Database,
    settings: Settings,
    reference: str,
    counter_id: int,
    actor: Operator,
    *,
    lines: Sequence[RefundLine] | None = None,
    to_method: PaymentMethod | None = None,
    approver_pin: str | None = None,
    reason: str = "",
    void: bool = False,
) -> SaleResult:
    """Refund all (``lines=None``) or part of a completed sale; returns the refund document.

    ``void``: the sale's documento commerciale was issued by mistake moments ago: the RT annuls it
    (an annullo, whole sale only, before the RT's Z) instead of issuing a reso.
    """
    if void and lines is not None:
        raise NotAllowed(_("an annullo voids the whole document: refund single lines with a reso"))
    limits.text(reference, _("sale number"), 64)
    limits.text(reason, _("reason"), lines=True)
    for item in lines or ():
        limits.whole(item.line_id, _("line"))
        limits.stock_quantity(item.quantity, _("quantity"), minimum=-limits.MAX_INT)
    today = business_date()
    with db.write() as session:
        original = _refundable_sale(session, reference, for_update=True)
        approver = authorise(session, actor, Action.REFUND, approver_pin)
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        shift = open_shift_of(session, counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open at {counter}: open one first").format(counter=counter.name))
        parts = _parts(session, original, lines)

        refund_sale = Sale(
            uuid=str(uuid_module.uuid4()),
            kind=SaleKind.REFUND,
            status=SaleStatus.OPEN,  # completed below with its figures: a completed sale is never changed
            counter_id=counter_id,
            shift_id=shift.id,
            user_id=actor.id,
            original_sale_id=original.id,
            price_list_id=original.price_list_id,
            customer_card=original.customer_card,
            onsite=original.onsite,
            note=reason or None,
        )
        session.add(refund_sale)
        session.flush()
        session.add(SaleOperator(sale_id=refund_sale.id, user_id=actor.id))
        for position, part in enumerate(parts, start=1):
            line, item = part.line, part.item
            refund_line = SaleLine(
                sale_id=refund_sale.id,
                position=position,
                product_id=line.product_id,
                description=line.description,
                quantity=item.quantity,
                weighed=line.weighed,
                list_price_cents=line.list_price_cents,
                unit_price_cents=line.unit_price_cents,
                vat_rate_bp=line.vat_rate_bp,
                take_away=line.take_away,
                total_cents=-part.cents,
                discount_cents=-part.discount_cents,
                markdown_cents=-part.markdown_cents,
                original_line_id=line.id,
                lot_id=line.lot_id,
                restock=item.restock,
            )
            session.add(refund_line)
            session.flush()
            _return_goods(
                session,
                line,
                refund_line,
                item.quantity,
                item.restock,
                counter.location_id,
                actor.id,
                today,
            )
        session.flush()
        session.refresh(refund_sale)
        refund_sale.total_cents = sum(ln.total_cents for ln in refund_sale.lines)
        for payment in _money_back(original, session, -refund_sale.total_cents, to_method):
            refund_sale.payments.append(payment)
            if payment.method is PaymentMethod.GIFT_CARD and payment.gift_card_id:
                card = session.get(GiftCard, payment.gift_card_id, with_for_update=True)
                assert card is not None
                card.balance_cents -= payment.amount_cents
                session.add(
                    GiftCardMovement(
                        gift_card_id=card.id,
                        amount_cents=-payment.amount_cents,
                        sale_id=refund_sale.id,
                        user_id=actor.id,
                    )
                )
            if payment.method is PaymentMethod.SOLIDARITY and payment.fund_id:
                fund = session.get(SolidarityFund, payment.fund_id, with_for_update=True)
                assert fund is not None
                fund.balance_cents -= payment.amount_cents
                session.add(
                    FundMovement(
                        fund_id=fund.id,
                        kind="reversal",
                        amount_cents=-payment.amount_cents,
                        sale_id=refund_sale.id,
                        user_id=actor.id,
                        approver_id=approver,
                    )
                )
        refund_sale.number = "R-" + next_number(session, counter)
        refund_sale.completed_at = utcnow()
        refund_sale.status = SaleStatus.COMPLETED
        cash = any(p.method is PaymentMethod.CASH for p in refund_sale.payments)
        audit(
            session,
            "refund",
            actor.id,
            approver_id=approver,
            counter_id=counter_id,
            entity="sale",
            entity_id=refund_sale.id,
            details={"original": original.number, "total_cents": refund_sale.total_cents, "reason": reason},
        )
        if cash:
            audit(session, "drawer_opened", actor.id, approver_id=approver, counter_id=counter_id)
        session.flush()  # the document is read with Core
        doc = load_sale_doc(session, refund_sale.id, Km0Rule.of(settings))
        jobs = queue_sale_jobs(session, settings, doc, open_drawer=cash, void=void)
        return SaleResult(view_of(doc), 0, cash, tuple(jobs))


def refundable(db: Database, reference: str) -> list[tuple[int, str, int]]:
    """(line id, description, quantity still refundable) of a sale, for the till's refund screen."""
    with db.read() as session:
        sale = sale_by_reference(session, reference)
        if sale.kind is not SaleKind.SALE:
            raise InvalidInput(_("{number} is itself a refund").format(number=reference))
        return [(ln.id, ln.description, ln.quantity - refunded_so_far(session, ln.id)[0]) for ln in sale.lines]
