"""Shifts at a counter (float, cash in/out, counted cash) and the X and Z reports.

A Z report closes a counter's business day (Europe/Rome): its totals are computed once and
stored; asking again returns the stored one, never a recomputation. An X report is the same
computation for the day so far, never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import day_bounds
from orto.models import (
    CashMovement,
    Category,
    Counter,
    FundMovement,
    Payment,
    PaymentMethod,
    PriceList,
    PrinterRole,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SaleOperator,
    SaleStatus,
    Shift,
    ShiftStatus,
    User,
    ZReport,
    utcnow,
)
from orto.money import vat_breakdown
from orto.policy import Action, Operator
from pos.selling.audit import audit
from pos.selling.sales import business_date, open_shift_of

DENOMINATIONS_CENTS = (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)


def count_cash(count: dict[int, int]) -> int:
    """Cash counted by denomination (cents -> pieces) to a total in cents."""
    check_count(count)
    return sum(d * n for d, n in count.items())


def check_count(count: dict[int, int]) -> None:
    """Each denomination a euro coin or note, each number of pieces whole and within the limit."""
    for denomination, pieces in count.items():
        limits.whole(denomination, _("denomination"))
        limits.whole(
            pieces,
            _("pieces of {value}").format(value=denomination),
            maximum=limits.MAX_CASH_PIECES,
            minimum=-limits.MAX_INT,
        )
        if denomination not in DENOMINATIONS_CENTS:
            raise InvalidInput(_("{value} is not a euro coin or note").format(value=denomination))
        if pieces < 0:
            raise InvalidInput(_("a count cannot be negative"))


@dataclass(frozen=True)
class ShiftView:
    id: int
    counter_id: int
    status: ShiftStatus
    opened_at: datetime
    opened_by: int
    opening_float_cents: int
    counted_cash_cents: int | None
    expected_cash_cents: int | None
    difference_cents: int | None


def _shift_view(shift: Shift) -> ShiftView:
    return ShiftView(
        shift.id,
        shift.counter_id,
        shift.status,
        shift.opened_at,
        shift.opened_by,
        shift.opening_float_cents,
        shift.counted_cash_cents,
        shift.expected_cash_cents,
        shift.difference_cents,
    )


def current_shift(db: Database, counter_id: int) -> ShiftView | None:
    with db.read() as session:
        shift = open_shift_of(session, counter_id)
        return _shift_view(shift) if shift else None


@dataclass(frozen=True)
class DayState:
    """Where a counter's business day stands: what the till shows at a login with no shift open."""

    business_date: date
    shift: ShiftView | None
    z_number: int | None  # the day's Z, once taken: the day is closed

    @property
    def closed(self) -> bool:
        return self.z_number is not None


def _z_of(session: Session, counter_id: int, day: date) -> ZReport | None:
    return session.scalar(select(ZReport).where(ZReport.counter_id == counter_id, ZReport.business_date == day))


def day_state(db: Database, counter_id: int) -> DayState:
    day = business_date()
    with db.read() as session:
        shift = open_shift_of(session, counter_id)
        z = _z_of(session, counter_id, day)
        return DayState(day, _shift_view(shift) if shift else None, z.number if z else None)


def open_shift(db: Database, counter_id: int, actor: Operator, float_count: dict[int, int]) -> ShiftView:
    check_count(float_count)
    with db.write() as session:
        authorise(session, actor, Action.SHIFT)
        if session.get(Counter, counter_id, with_for_update=True) is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        if open_shift_of(session, counter_id) is not None:
            raise NotAllowed(_("a shift is already open at this counter"))
        closed = _z_of(session, counter_id, business_date())
        if closed is not None:
            # a sale after the Z would belong to a day whose figures are final: it would be in no Z
            raise NotAllowed(
                _("the day is closed at this counter (Z no. {number}): a new shift opens tomorrow").format(
                    number=closed.number
                )
            )
        total = count_cash(float_count)
        shift = Shift(
            counter_id=counter_id,
            opened_by=actor.id,
            opening_float_cents=total,
            opening_count={str(k): v for k, v in float_count.items()},
        )
        session.add(shift)
        session.flush()
        audit(
            session,
            "shift_opened",
            actor.id,
            counter_id=counter_id,
            entity="shift",
            entity_id=shift.id,
            details={"float_cents": total},
        )
        return _shift_view(shift)


def cash_movement(
    db: Database, counter_id: int, actor: Operator, amount_cents: int, reason: str, *, approver_pin: str | None = None
) -> None:
    """Cash put in (positive) or taken out (negative) of the drawer, with a reason; out needs a manager."""
    limits.cents(amount_cents, _("amount"), maximum=limits.MAX_SALE_CENTS, minimum=-limits.MAX_SALE_CENTS)
    limits.text(reason, _("reason"), lines=True)
    if amount_cents == 0 or not reason.strip():
        raise InvalidInput(_("give an amount and a reason"))
    with db.write() as session:
        shift = open_shift_of(session, counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open at this counter"))
        approver = (
            authorise(session, actor, Action.CASH_OUT, approver_pin)
            if amount_cents < 0
            else authorise(session, actor, Action.SHIFT)
        )
        session.add(CashMovement(shift_id=shift.id, amount_cents=amount_cents, reason=reason.strip(), user_id=actor.id))
        audit(
            session,
            "cash_in" if amount_cents > 0 else "cash_out",
            actor.id,
            approver_id=approver,
            counter_id=counter_id,
            details={"amount_cents": amount_cents, "reason": reason},
        )
        audit(session, "drawer_opened", actor.id, counter_id=counter_id)


def _expected_cash(session: Session, shift: Shift) -> int:
    cash = (
        session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0))
            .join(Sale)
            .where(Sale.shift_id == shift.id, Sale.status == SaleStatus.COMPLETED, Payment.method == PaymentMethod.CASH)
        )
        or 0
    )
    moved = (
        session.scalar(
            select(func.coalesce(func.sum(CashMovement.amount_cents), 0)).where(CashMovement.shift_id == shift.id)
        )
        or 0
    )
    return shift.opening_float_cents + int(cash) + int(moved)


def close_shift(db: Database, counter_id: int, actor: Operator, counted: dict[int, int]) -> ShiftView:
    """Close with the cash counted by denomination; the difference from what is expected is kept."""
    check_count(counted)
    with db.write() as session:
        authorise(session, actor, Action.SHIFT)
        shift = open_shift_of(session, counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open at this counter"))
        busy = session.scalar(
            select(func.count())
            .select_from(Sale)
            .where(
                Sale.shift_id == shift.id,
                Sale.status == SaleStatus.OPEN,
                Sale.lines.any() | (Sale.gift_cards_cents > 0),
            )
        )
        if busy:
            raise NotAllowed(_("a sale is still open: finish, park or cancel it first"))
        total = count_cash(counted)
        shift.expected_cash_cents = _expected_cash(session, shift)
        shift.counted_cash_cents = total
        shift.difference_cents = total - shift.expected_cash_cents
        shift.closing_count = {str(k): v for k, v in counted.items()}
        shift.status, shift.closed_by, shift.closed_at = ShiftStatus.CLOSED, actor.id, utcnow()
        audit(
            session,
            "shift_closed",
            actor.id,
            counter_id=counter_id,
            entity="shift",
            entity_id=shift.id,
            details={"counted_cents": total, "difference_cents": shift.difference_cents},
        )
        return _shift_view(shift)


# ---------------------------------------------------------------- the Z's sums: the rule, pure


@dataclass(frozen=True)
class ZSale:
    """A completed sale or refund of the day, as the Z reads it."""

    id: int
    kind: SaleKind
    total_cents: int
    price_list_id: int | None
    operator_id: int  # who completed it (sale_operators), else who started it
    gift_cards_cents: int = 0  # gift cards sold or topped up on it: money taken, outside VAT


@dataclass(frozen=True)
class ZLine:
    sale_id: int
    vat_rate_bp: int
    total_cents: int
    discount_cents: int
    markdown_cents: int
    category: str | None


@dataclass(frozen=True)
class ZPayment:
    sale_id: int
    method: PaymentMethod
    amount_cents: int


@dataclass(frozen=True)
class ZCashMove:
    user_id: int
    amount_cents: int  # in (> 0) or out (< 0) of the drawer


@dataclass(frozen=True)
class ZShift:
    id: int
    opening_float_cents: int
    expected_cash_cents: int | None
    counted_cash_cents: int | None
    difference_cents: int | None


@dataclass(frozen=True)
class ZDay:
    """Everything a counter's business day's Z is summed from (read by :func:`load_z_day`)."""

    day: date
    sales: Sequence[ZSale] = ()
    lines: Sequence[ZLine] = ()
    payments: Sequence[ZPayment] = ()
    moves: Sequence[ZCashMove] = ()
    shifts: Sequence[ZShift] = ()
    donated_cents: int = 0  # to the solidarity funds at this counter
    cancelled_count: int = 0  # sales with lines cancelled that day
    tessera_list_id: int | None = None  # the social tariff's price list
    names: Mapping[int, str] = field(default_factory=dict)  # operators' names by id


def z_sums(d: ZDay) -> dict[str, Any]:
    """The Z figures of a counter's business day, all integers (cents or counts); pure."""
    kind = {s.id: s.kind for s in d.sales}
    sold = [s for s in d.sales if s.kind is SaleKind.SALE]
    refunds = [s for s in d.sales if s.kind is SaleKind.REFUND]
    sold_lines = [ln for ln in d.lines if kind[ln.sale_id] is SaleKind.SALE]
    by_category: dict[str, int] = defaultdict(int)
    for line in d.lines:
        by_category[line.category or _("(no category)")] += line.total_cents
    payments: dict[str, int] = defaultdict(int)
    cash_of: dict[int, int] = defaultdict(int)  # per sale
    for payment in d.payments:
        payments[payment.method.value] += payment.amount_cents
        if payment.method is PaymentMethod.CASH:
            cash_of[payment.sale_id] += payment.amount_cents
    social = [s for s in sold if d.tessera_list_id and s.price_list_id == d.tessera_list_id]
    return {
        "operators": _per_operator(d.sales, cash_of, d.moves, d.names),
        "business_date": d.day.isoformat(),
        "sales_count": len(sold),
        "sales_cents": sum(s.total_cents for s in sold),
        "refunds_count": len(refunds),
        "refunds_cents": -sum(s.total_cents for s in refunds),
        "net_cents": sum(s.total_cents for s in d.sales),
        # gift cards sold or topped up: in the sales and the payments, outside the VAT table
        "gift_cards_cents": sum(s.gift_cards_cents for s in d.sales),
        "gift_cards_count": sum(1 for s in d.sales if s.gift_cards_cents),
        "discounts_cents": sum(ln.discount_cents for ln in sold_lines),
        "markdowns_cents": sum(ln.markdown_cents for ln in sold_lines),
        "cancelled_count": d.cancelled_count,
        "vat": [
            {
                "rate_bp": v.rate_bp,
                "gross_cents": v.gross_cents,
                "taxable_cents": v.taxable_cents,
                "tax_cents": v.tax_cents,
            }
            for v in vat_breakdown((ln.vat_rate_bp, ln.total_cents) for ln in d.lines)
        ],
        "payments": dict(sorted(payments.items())),
        "categories": dict(sorted(by_category.items())),
        "social_tariff_cents": sum(s.total_cents for s in social),
        "social_tariff_count": len(social),
        "solidarity_redeemed_cents": payments.get(PaymentMethod.SOLIDARITY.value, 0),
        "solidarity_donated_cents": d.donated_cents,
        "cash_in_cents": sum(m.amount_cents for m in d.moves if m.amount_cents > 0),
        "cash_out_cents": -sum(m.amount_cents for m in d.moves if m.amount_cents < 0),
        "shifts": [
            {
                "id": s.id,
                "opening_float_cents": s.opening_float_cents,
                "expected_cash_cents": s.expected_cash_cents,
                "counted_cash_cents": s.counted_cash_cents,
                "difference_cents": s.difference_cents,
            }
            for s in d.shifts
        ],
    }


def _per_operator(
    sales: Sequence[ZSale], cash_of: Mapping[int, int], moves: Sequence[ZCashMove], names: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Sales, refunds and cash by the person who completed them (or moved the cash): one drawer per
    shift, so these say who did what, and the drawer's count stays the shift's."""
    rows: dict[int, dict[str, int]] = {}

    def row(user_id: int) -> dict[str, int]:
        return rows.setdefault(
            user_id, {"sales_count": 0, "sales_cents": 0, "refunds_cents": 0, "cash_cents": 0, "cash_moved_cents": 0}
        )

    for sale in sales:
        figures = row(sale.operator_id)
        if sale.kind is SaleKind.SALE:
            figures["sales_count"] += 1
            figures["sales_cents"] += sale.total_cents
        else:
            figures["refunds_cents"] -= sale.total_cents
        figures["cash_cents"] += cash_of.get(sale.id, 0)
    for move in moves:
        row(move.user_id)["cash_moved_cents"] += move.amount_cents
    return [
        {"name": names.get(uid, str(uid)), **figures}
        for uid, figures in sorted(rows.items(), key=lambda r: names.get(r[0], ""))
    ]


# ---------------------------------------------------------------- the Z's sums: the loader


def load_z_day(session: Session, counter_id: int, day: date) -> ZDay:
    """What :func:`z_sums` adds up for a counter's business day (Europe/Rome), read in a few queries."""
    start, end = day_bounds(day)
    in_day = (
        Sale.counter_id == counter_id,
        Sale.completed_at >= start,
        Sale.completed_at < end,
        Sale.status == SaleStatus.COMPLETED,
    )
    heads = session.execute(
        select(
            Sale.id,
            Sale.kind,
            Sale.total_cents,
            Sale.price_list_id,
            Sale.user_id,
            SaleOperator.user_id,
            Sale.gift_cards_cents,
        )
        .outerjoin(SaleOperator, SaleOperator.sale_id == Sale.id)
        .where(*in_day)
    ).all()
    sales = [
        ZSale(sid, kind, total, price_list, done_by or started_by, cards)
        for sid, kind, total, price_list, started_by, done_by, cards in heads
    ]
    sale_ids = [s.id for s in sales]
    lines = (
        [
            ZLine(*row)
            for row in session.execute(
                select(
                    SaleLine.sale_id,
                    SaleLine.vat_rate_bp,
                    SaleLine.total_cents,
                    SaleLine.discount_cents,
                    SaleLine.markdown_cents,
                    Category.name,
                )
                .join(Product, Product.id == SaleLine.product_id)
                .outerjoin(Category, Category.id == Product.category_id)
                .where(SaleLine.sale_id.in_(sale_ids))
            )
        ]
        if sale_ids
        else []
    )
    payments = (
        [
            ZPayment(*row)
            for row in session.execute(
                select(Payment.sale_id, Payment.method, Payment.amount_cents).where(Payment.sale_id.in_(sale_ids))
            )
        ]
        if sale_ids
        else []
    )
    shifts = [
        ZShift(*row)
        for row in session.execute(
            select(
                Shift.id,
                Shift.opening_float_cents,
                Shift.expected_cash_cents,
                Shift.counted_cash_cents,
                Shift.difference_cents,
            )
            .where(
                Shift.counter_id == counter_id,
                Shift.opened_at < end,
                (Shift.closed_at.is_(None)) | (Shift.closed_at >= start),
            )
            .order_by(Shift.id)
        )
    ]
    moves = [
        ZCashMove(*row)
        for row in session.execute(
            select(CashMovement.user_id, CashMovement.amount_cents).where(
                CashMovement.shift_id.in_([s.id for s in shifts]), CashMovement.at >= start, CashMovement.at < end
            )
        )
    ]
    donated = session.scalar(
        select(func.coalesce(func.sum(FundMovement.amount_cents), 0)).where(
            FundMovement.kind == "donation",
            FundMovement.counter_id == counter_id,
            FundMovement.at >= start,
            FundMovement.at < end,
        )
    )
    cancelled = session.scalar(
        select(func.count())
        .select_from(Sale)
        .where(
            Sale.counter_id == counter_id,
            Sale.status == SaleStatus.CANCELLED,
            Sale.cancelled_at >= start,
            Sale.cancelled_at < end,
            Sale.lines.any(),
        )
    )
    people = {s.operator_id for s in sales} | {m.user_id for m in moves}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(people))).all()) if people else {}
    return ZDay(
        day=day,
        sales=sales,
        lines=lines,
        payments=payments,
        moves=moves,
        shifts=shifts,
        donated_cents=int(donated or 0),
        cancelled_count=int(cancelled or 0),
        tessera_list_id=session.scalar(select(PriceList.id).where(PriceList.code == "tessera")),
        names=names,
    )


def day_totals(session: Session, counter_id: int, day: date) -> dict[str, Any]:
    """The Z figures of a counter's business day, all integers (cents or counts)."""
    return z_sums(load_z_day(session, counter_id, day))


def x_report(db: Database, counter_id: int, day: date | None = None) -> dict[str, Any]:
    with db.read() as session:
        return day_totals(session, counter_id, day or business_date())


def z_report(
    db: Database,
    settings: Settings | None,
    counter_id: int,
    actor: Operator,
    day: date | None = None,
    *,
    approver_pin: str | None = None,
    print_it: bool = True,
) -> ZReport:
    """Close the business day of a counter: computed once, stored, never changed afterwards."""
    the_day = day or business_date()
    with db.write() as session:
        counter = session.get(Counter, counter_id, with_for_update=True)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        existing = _z_of(session, counter_id, the_day)
        if existing is not None:
            return existing
        approver = authorise(session, actor, Action.Z_REPORT, approver_pin)
        if the_day >= business_date() and open_shift_of(session, counter_id) is not None:
            raise NotAllowed(_("close the shift before the Z report"))
        counter.last_z_number += 1
        report = ZReport(
            counter_id=counter_id,
            number=counter.last_z_number,
            business_date=the_day,
            created_by=actor.id,
            totals=day_totals(session, counter_id, the_day),
        )
        session.add(report)
        session.flush()
        audit(
            session,
            "z_report",
            actor.id,
            approver_id=approver,
            counter_id=counter_id,
            entity="z_report",
            entity_id=report.id,
        )
        if print_it and settings is not None:
            from receipts.jobs import printer_for, queue_document

            printer = printer_for(settings, counter.code, PrinterRole.RECEIPT)
            if printer:
                queue_document(
                    session,
                    printer=printer,
                    role=PrinterRole.RECEIPT,
                    doc_type="z_report",
                    doc_id=report.id,
                    counter_id=counter.id,
                    document={
                        "kind": "z_report",
                        "counter": counter.name,
                        "number": report.number,
                        "totals": report.totals,
                    },
                )
        return report


def print_x_report(db: Database, settings: Settings, counter_id: int, actor: Operator) -> dict[str, Any]:
    """Queue the X report slip for the counter's receipt printer; returns its totals."""
    from receipts.jobs import printer_for, queue_document

    with db.write() as session:
        authorise(session, actor, Action.SHIFT)
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        totals = day_totals(session, counter_id, business_date())
        printer = printer_for(settings, counter.code, PrinterRole.RECEIPT)
        if printer:
            queue_document(
                session,
                printer=printer,
                role=PrinterRole.RECEIPT,
                doc_type="x_report",
                counter_id=counter_id,
                document={"kind": "x_report", "counter": counter.name, "number": 0, "totals": totals},
            )
        audit(session, "x_report", actor.id, counter_id=counter_id)
        return totals
