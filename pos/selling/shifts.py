"""Shifts at a counter (float, cash in/out, counted cash) and the X and Z reports.

A Z report closes a counter's business day (Europe/Rome): its totals are computed once and
stored; asking again returns the stored one, never a recomputation. An X report is the same
computation for the day so far, never stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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


def day_totals(session: Session, counter_id: int, day: date) -> dict[str, Any]:
    """The Z figures of a counter's business day, all integers (cents or counts)."""
    start, end = day_bounds(day)
    in_day = (
        Sale.counter_id == counter_id,
        Sale.completed_at >= start,
        Sale.completed_at < end,
        Sale.status == SaleStatus.COMPLETED,
    )
    sales = list(session.scalars(select(Sale).where(*in_day)))
    sale_ids = [s.id for s in sales]
    lines = (
        list(
            session.execute(
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
            ).all()
        )
        if sale_ids
        else []
    )
    kind = {s.id: s.kind for s in sales}
    tessera = session.scalar(select(PriceList.id).where(PriceList.code == "tessera"))
    by_category: dict[str, int] = defaultdict(int)
    for _sid, _rate, total, _d, _m, category in lines:
        by_category[category or _("(no category)")] += total
    payments: dict[str, int] = defaultdict(int)
    cash_of: dict[int, int] = defaultdict(int)  # per sale
    for sale_id, method, amount in (
        session.execute(
            select(Payment.sale_id, Payment.method, Payment.amount_cents).where(Payment.sale_id.in_(sale_ids))
        ).all()
        if sale_ids
        else []
    ):
        payments[method.value] += amount
        if method is PaymentMethod.CASH:
            cash_of[sale_id] += amount
    refunds = [s for s in sales if s.kind is SaleKind.REFUND]
    shifts = list(
        session.scalars(
            select(Shift).where(
                Shift.counter_id == counter_id,
                Shift.opened_at < end,
                (Shift.closed_at.is_(None)) | (Shift.closed_at >= start),
            )
        )
    )
    moves = list(
        session.scalars(
            select(CashMovement).where(
                CashMovement.shift_id.in_([s.id for s in shifts]), CashMovement.at >= start, CashMovement.at < end
            )
        )
    )
    donated = (
        session.scalar(
            select(func.coalesce(func.sum(FundMovement.amount_cents), 0)).where(
                FundMovement.kind == "donation",
                FundMovement.counter_id == counter_id,
                FundMovement.at >= start,
                FundMovement.at < end,
            )
        )
        or 0
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
    return {
        "operators": _per_operator(session, sales, cash_of, moves),
        "business_date": day.isoformat(),
        "sales_count": sum(1 for s in sales if s.kind is SaleKind.SALE),
        "sales_cents": sum(s.total_cents for s in sales if s.kind is SaleKind.SALE),
        "refunds_count": len(refunds),
        "refunds_cents": -sum(s.total_cents for s in refunds),
        "net_cents": sum(s.total_cents for s in sales),
        # gift cards sold or topped up: in the sales and the payments, outside the VAT table
        "gift_cards_cents": sum(s.gift_cards_cents for s in sales),
        "gift_cards_count": sum(1 for s in sales if s.gift_cards_cents),
        "discounts_cents": sum(d for sid, _r, _t, d, _m, _c in lines if kind[sid] is SaleKind.SALE),
        "markdowns_cents": sum(m for sid, _r, _t, _d, m, _c in lines if kind[sid] is SaleKind.SALE),
        "cancelled_count": int(cancelled or 0),
        "vat": [
            {
                "rate_bp": v.rate_bp,
                "gross_cents": v.gross_cents,
                "taxable_cents": v.taxable_cents,
                "tax_cents": v.tax_cents,
            }
            for v in vat_breakdown((rate, total) for _sid, rate, total, _d, _m, _c in lines)
        ],
        "payments": dict(sorted(payments.items())),
        "categories": dict(sorted(by_category.items())),
        "social_tariff_cents": sum(
            s.total_cents for s in sales if tessera and s.price_list_id == tessera and s.kind is SaleKind.SALE
        ),
        "social_tariff_count": sum(
            1 for s in sales if tessera and s.price_list_id == tessera and s.kind is SaleKind.SALE
        ),
        "solidarity_redeemed_cents": payments.get(PaymentMethod.SOLIDARITY.value, 0),
        "solidarity_donated_cents": int(donated),
        "cash_in_cents": sum(m.amount_cents for m in moves if m.amount_cents > 0),
        "cash_out_cents": -sum(m.amount_cents for m in moves if m.amount_cents < 0),
        "shifts": [
            {
                "id": s.id,
                "opening_float_cents": s.opening_float_cents,
                "expected_cash_cents": s.expected_cash_cents,
                "counted_cash_cents": s.counted_cash_cents,
                "difference_cents": s.difference_cents,
            }
            for s in shifts
        ],
    }


def _per_operator(
    session: Session, sales: list[Sale], cash_of: dict[int, int], moves: list[CashMovement]
) -> list[dict[str, Any]]:
    """Sales, refunds and cash by the person who completed them (or moved the cash): one drawer per
    shift, so these say who did what, and the drawer's count stays the shift's."""
    completed_by = dict(
        session.execute(
            select(SaleOperator.sale_id, SaleOperator.user_id).where(SaleOperator.sale_id.in_([s.id for s in sales]))
        ).all()
        if sales
        else []
    )
    rows: dict[int, dict[str, int]] = {}

    def row(user_id: int) -> dict[str, int]:
        return rows.setdefault(
            user_id, {"sales_count": 0, "sales_cents": 0, "refunds_cents": 0, "cash_cents": 0, "cash_moved_cents": 0}
        )

    for sale in sales:
        figures = row(completed_by.get(sale.id, sale.user_id))
        if sale.kind is SaleKind.SALE:
            figures["sales_count"] += 1
            figures["sales_cents"] += sale.total_cents
        else:
            figures["refunds_cents"] -= sale.total_cents
        figures["cash_cents"] += cash_of.get(sale.id, 0)
    for move in moves:
        row(move.user_id)["cash_moved_cents"] += move.amount_cents
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(list(rows)))).all()) if rows else {}
    return [
        {"name": names.get(uid, str(uid)), **figures}
        for uid, figures in sorted(rows.items(), key=lambda r: names.get(r[0], ""))
    ]


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
