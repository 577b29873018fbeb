"""Paying and completing a sale: everything it causes is written in one transaction.

Payment rules, decided for the counter:
- card, gift card and spesa sospesa are applied first, in the order given, and may not exceed
  what is still due (nobody gets change from a card);
- a meal voucher counts at its face value and gives no change: if it is worth more than what is
  due, the difference is lost and the till says so;
- cash comes last: ``amount_cents`` is what the customer hands over, the change is the rest;
- the sale completes only when the payments cover the total exactly (plus the cash change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    Counter,
    FundMovement,
    GiftCard,
    GiftCardMovement,
    Payment,
    PaymentMethod,
    Product,
    Sale,
    SaleStatus,
    SolidarityFund,
    utcnow,
)
from orto.money import format_money
from pos.selling.audit import audit
from pos.selling.auth import authorise
from pos.selling.lots import take_stock
from pos.selling.sales import business_date, next_number, open_shift_of, recheck_lines, recompute, view
from pos.selling.views import PaymentInput, SaleResult

_FIRST = (PaymentMethod.CARD, PaymentMethod.GIFT_CARD, PaymentMethod.SOLIDARITY, PaymentMethod.VOUCHER)


@dataclass
class _Applied:
    payment: Payment
    warning: str | None = None


def gift_card(session: Session, code: str | None, *, lock: bool = True) -> GiftCard:
    stmt = select(GiftCard).where(GiftCard.code == (code or "").strip())
    card = session.scalar(stmt.with_for_update() if lock else stmt)
    if card is None or not card.active:
        raise NotFound(_("no active gift card {code}").format(code=code))
    return card


def site_fund(session: Session, site_id: int, *, lock: bool = True) -> SolidarityFund:
    stmt = (
        select(SolidarityFund)
        .where((SolidarityFund.site_id == site_id) | SolidarityFund.site_id.is_(None))
        .order_by(SolidarityFund.site_id.is_(None))
    )
    fund = session.scalar(stmt.with_for_update() if lock else stmt)
    if fund is None:
        raise NotFound(_("this site has no spesa sospesa fund"))
    return fund


def _apply(session: Session, sale: Sale, counter: Counter, due: int, entry: PaymentInput, user_id: int) -> _Applied:
    if entry.amount_cents <= 0:
        raise InvalidInput(_("a payment must be more than zero"))
    method = entry.method
    if method is PaymentMethod.CASH:
        change = max(entry.amount_cents - due, 0)
        return _Applied(
            Payment(
                method=method,
                amount_cents=entry.amount_cents - change,
                tendered_cents=entry.amount_cents,
                change_cents=change,
            )
        )
    if method is PaymentMethod.VOUCHER:
        applied = min(entry.amount_cents, due)
        lost = entry.amount_cents - applied
        warning = (
            _("vouchers give no change: {amount} not returned").format(amount=format_money(lost)) if lost else None
        )
        return _Applied(
            Payment(method=method, amount_cents=applied, tendered_cents=entry.amount_cents, reference=entry.reference),
            warning,
        )
    if entry.amount_cents > due:
        raise InvalidInput(
            _("{method} payment of {amount} is more than the {due} due").format(
                method=_(method.value), amount=format_money(entry.amount_cents), due=format_money(due)
            )
        )
    if method is PaymentMethod.GIFT_CARD:
        card = gift_card(session, entry.reference)
        if card.balance_cents < entry.amount_cents:
            raise NotAllowed(
                _("gift card {code} holds only {balance}").format(
                    code=card.code, balance=format_money(card.balance_cents)
                )
            )
        card.balance_cents -= entry.amount_cents
        session.add(
            GiftCardMovement(gift_card_id=card.id, amount_cents=-entry.amount_cents, sale_id=sale.id, user_id=user_id)
        )
        return _Applied(
            Payment(method=method, amount_cents=entry.amount_cents, reference=card.code, gift_card_id=card.id)
        )
    if method is PaymentMethod.SOLIDARITY:
        referral = (entry.reference or "").strip()
        if not referral:
            raise InvalidInput(_("spesa sospesa needs the social services' referral number"))
        authorise(session, user_id, "solidarity_redemption")
        fund = site_fund(session, counter.site_id)
        if fund.balance_cents < entry.amount_cents:
            raise NotAllowed(
                _("the spesa sospesa fund holds only {balance}").format(balance=format_money(fund.balance_cents))
            )
        fund.balance_cents -= entry.amount_cents
        session.add(
            FundMovement(
                fund_id=fund.id,
                kind="redemption",
                amount_cents=-entry.amount_cents,
                sale_id=sale.id,
                referral=referral,
                user_id=user_id,
            )
        )
        return _Applied(Payment(method=method, amount_cents=entry.amount_cents, reference=referral, fund_id=fund.id))
    return _Applied(Payment(method=method, amount_cents=entry.amount_cents, reference=entry.reference))


def complete_sale(
    db: Database,
    settings: Settings,
    sale_id: int,
    user_id: int,
    payments: Sequence[PaymentInput],
    *,
    today: date | None = None,
) -> SaleResult:
    """Take the payments and complete: sale, lines, payments, stock, audit and slips in one commit.

    Completing a sale that is already complete changes nothing and returns it again, so a till
    that retries after a lost answer never counts a sale twice.
    """
    day = today or business_date()
    with db.write() as session:
        sale = session.get(Sale, sale_id, with_for_update=True)
        if sale is None:
            raise NotFound(_("no sale {id}").format(id=sale_id))
        if sale.status is SaleStatus.COMPLETED:
            done = view(session, sale)
            return SaleResult(done, done.change_cents, False, ())
        if sale.status is not SaleStatus.OPEN:
            raise NotAllowed(_("sale {id} is {status}, not open").format(id=sale_id, status=_(sale.status.value)))
        if not sale.lines:
            raise NotAllowed(_("the sale has no items"))
        counter = session.get(Counter, sale.counter_id)
        assert counter is not None
        shift = open_shift_of(session, counter.id)
        if shift is None:
            raise NotAllowed(_("no shift is open at {counter}: open one first").format(counter=counter.name))
        recheck_lines(session, sale, day)
        recompute(session, sale, day)

        due = sale.total_cents
        warnings: list[str] = []
        ordered = sorted(payments, key=lambda p: (p.method not in _FIRST, p.method is PaymentMethod.CASH))
        for entry in ordered:
            if due <= 0:
                raise InvalidInput(_("the sale is already paid: remove the extra payment"))
            applied = _apply(session, sale, counter, due, entry, user_id)
            sale.payments.append(applied.payment)
            due -= applied.payment.amount_cents
            if applied.warning:
                warnings.append(applied.warning)
        if due > 0:
            raise InvalidInput(_("{amount} still due").format(amount=format_money(due)))

        sale.number = next_number(session, counter)
        sale.shift_id = shift.id
        sale.status = SaleStatus.COMPLETED
        sale.completed_at = utcnow()
        session.flush()
        allow_negative = counter.site.allow_negative_stock
        for line in sale.lines:
            product = session.get(Product, line.product_id)
            assert product is not None
            warnings.extend(
                take_stock(
                    session,
                    product=product,
                    location_id=counter.location_id,
                    quantity=line.quantity,
                    preferred_lot_id=line.lot_id,
                    today=day,
                    allow_negative=allow_negative,
                    user_id=user_id,
                    doc_id=line.id,
                )
            )
        if sale.tab_id is not None:
            from pos.selling.tabs import close_tab_if_paid

            session.flush()
            close_tab_if_paid(session, sale.tab_id)
        cash = any(p.method is PaymentMethod.CASH for p in sale.payments)
        audit(
            session,
            "sale_completed",
            user_id,
            counter_id=counter.id,
            site_id=counter.site_id,
            entity="sale",
            entity_id=sale.id,
            details={"number": sale.number, "total_cents": sale.total_cents},
        )
        if cash:
            audit(session, "drawer_opened", user_id, counter_id=counter.id, entity="sale", entity_id=sale.id)
        from receipts.sale_documents import queue_sale_documents

        jobs = queue_sale_documents(session, settings, sale, open_drawer=cash)
        result = view(session, sale, tuple(warnings))
        return SaleResult(result, result.change_cents, cash, tuple(j.id for j in jobs), tuple(warnings))
