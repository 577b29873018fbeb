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
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from inventory.ledger import post_movements, untracked_lot
from orto import limits, prepared
from orto.access import ACTING_COLUMNS, authorise, authorise_with
from orto.audit import INSERT_ENTRIES, chain_rows
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.km0 import Km0Rule, km0_lot_ids
from orto.models import (
    Counter,
    FundMovement,
    GiftCard,
    GiftCardMovement,
    Lot,
    Payment,
    PaymentMethod,
    PriceList,
    PrinterRole,
    Product,
    Sale,
    SaleLine,
    SaleOperator,
    SaleStatus,
    Shift,
    ShiftStatus,
    Site,
    SolidarityFund,
    User,
    utcnow,
)
from orto.models.base import table_of
from orto.money import format_money
from orto.policy import Action, Operator
from orto.prepared import Prepared
from pos.selling.document import DocCard, SaleDoc, SaleFigures, doc_line, line_terms, sale_doc, sale_figures, view_of
from pos.selling.lots import RECALL_REASON, LotRow, Want, allocate, fefo_rows, row_block_reason
from pos.selling.pricing import markdown_rules
from pos.selling.sales import business_date, view
from pos.selling.views import PaymentInput, SaleResult
from receipts.jobs import printer_for, queue_sale_jobs
from receipts.sale_doc import LINES_SELECT, doc_payment, head_select
from receipts.snapshots import company

_FIRST = (PaymentMethod.CARD, PaymentMethod.GIFT_CARD, PaymentMethod.SOLIDARITY, PaymentMethod.VOUCHER)
# what may pay for goods only, never for a gift card sold on the sale (a card is not bought with a card,
# nor with the fund's or a meal voucher's money)
GOODS_ONLY = (PaymentMethod.GIFT_CARD, PaymentMethod.SOLIDARITY, PaymentMethod.VOUCHER)


@dataclass
class _Applied:
    row: dict[str, Any]  # a payments row, as inserted
    warning: str | None = None


def _payment(
    method: PaymentMethod,
    amount_cents: int,
    *,
    tendered_cents: int | None = None,
    change_cents: int = 0,
    reference: str | None = None,
    gift_card_id: int | None = None,
    fund_id: int | None = None,
) -> dict[str, Any]:
    return {
        "method": method,
        "amount_cents": amount_cents,
        "tendered_cents": tendered_cents,
        "change_cents": change_cents,
        "reference": reference,
        "gift_card_id": gift_card_id,
        "fund_id": fund_id,
    }


def check_payments(payments: Sequence[PaymentInput]) -> None:
    """Each payment an amount in cents within the limit, its reference plain text (orto.limits)."""
    for number, payment in enumerate(payments, start=1):
        field = _("payment {n}").format(n=number)
        limits.cents(payment.amount_cents, field, maximum=limits.MAX_SALE_CENTS, minimum=-limits.MAX_SALE_CENTS)
        limits.optional_text(payment.reference, field, limits.column_length(Payment.reference))


def gift_card(session: Session, code: str | None, *, lock: bool = True) -> GiftCard:
    """The card paying, however its code was typed (pos.selling.gift_cards.find_card); blocked or
    expired refused."""
    from pos.selling.gift_cards import find_card, usable

    card = find_card(session, code, lock=lock)
    usable(card, business_date())
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


def _apply(
    session: Session,
    sale_id: int,
    site_id: int,
    due: int,
    entry: PaymentInput,
    actor: Operator,
    goods: int | None = None,
) -> _Applied:
    """``goods``: what is left of the goods for a GOODS_ONLY method (None: no gift card on the sale)."""
    if entry.amount_cents <= 0:
        raise InvalidInput(_("a payment must be more than zero"))
    method = entry.method
    if goods is not None and method in GOODS_ONLY:
        if method is PaymentMethod.VOUCHER:
            due = min(due, goods)
        elif entry.amount_cents > goods:
            raise NotAllowed(
                _("a gift card cannot be paid with {method}: at most {goods} of this sale can be").format(
                    method=_(method.value), goods=format_money(goods)
                )
            )
    if method is PaymentMethod.CASH:
        change = max(entry.amount_cents - due, 0)
        return _Applied(
            _payment(method, entry.amount_cents - change, tendered_cents=entry.amount_cents, change_cents=change)
        )
    if method is PaymentMethod.VOUCHER:
        applied = min(entry.amount_cents, due)
        lost = entry.amount_cents - applied
        warning = (
            _("vouchers give no change: {amount} not returned").format(amount=format_money(lost)) if lost else None
        )
        return _Applied(
            _payment(method, applied, tendered_cents=entry.amount_cents, reference=entry.reference),
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
            GiftCardMovement(gift_card_id=card.id, amount_cents=-entry.amount_cents, sale_id=sale_id, user_id=actor.id)
        )
        return _Applied(_payment(method, entry.amount_cents, reference=card.code, gift_card_id=card.id))
    if method is PaymentMethod.SOLIDARITY:
        referral = (entry.reference or "").strip()
        if not referral:
            raise InvalidInput(_("spesa sospesa needs the social services' referral number"))
        authorise(session, actor, Action.SOLIDARITY_REDEMPTION)
        fund = site_fund(session, site_id)
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
                sale_id=sale_id,
                referral=referral,
                user_id=actor.id,
            )
        )
        return _Applied(_payment(method, entry.amount_cents, reference=referral, fund_id=fund.id))
    return _Applied(_payment(method, entry.amount_cents, reference=entry.reference))


# ---------------------------------------------------------------- the commit, in a few statements
#
# complete_sale is the hot path of every counter: it reads the sale with its counter, site,
# operator and open shift in one query, its lines with their products (and km0) in a second, the
# lots of those products at the counter (FEFO order, open recalls, locked) in a third, and the
# markdown rules; then writes with Core statements, one executemany per table. Rare paths (gift
# cards, the fund, tabs, an untracked lot) keep using the ORM in the same transaction.

_SALES = table_of(Sale)
_ORIGINAL = _SALES.alias("original_sale")
_LINES = table_of(SaleLine)
_OPERATORS = table_of(SaleOperator)
_PAYMENTS = table_of(Payment)
_COUNTERS = table_of(Counter)
_SITES = table_of(Site)
_USERS = table_of(User)
_SHIFTS = table_of(Shift)
_PRICE_LISTS = table_of(PriceList)
_PRODUCTS = table_of(Product)
_LOTS = table_of(Lot)

_OPEN_SHIFT = (
    select(_SHIFTS.c.id)
    .where(_SHIFTS.c.counter_id == _SALES.c.counter_id, _SHIFTS.c.status == ShiftStatus.OPEN)
    .order_by(_SHIFTS.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_HEAD_READ = head_select(
    _COUNTERS.c.location_id,
    _SITES.c.allow_negative_stock,
    _USERS.c.name.label("operator"),
    _OPEN_SHIFT.label("open_shift_id"),
    *ACTING_COLUMNS,  # who is paying is checked on this row (orto.access.authorise_with)
    # the slip names who takes the payment, not who started the sale (a lock between them)
    join=lambda j: j.outerjoin(_USERS, _USERS.c.id == bindparam("operator_id")),
)
_HEAD = Prepared(_HEAD_READ.with_for_update(of=_SALES))
_HEAD_UNLOCKED = Prepared(_HEAD_READ)
_SALE_LINES = Prepared(
    LINES_SELECT.add_columns(
        _PRODUCTS.c.name.label("product_name"),
        _PRODUCTS.c.category_id,
        _LOTS.c.product_id.label("lot_product_id"),
        _LOTS.c.date_type.label("lot_date_type"),
        _LOTS.c.hold_reason.label("lot_hold_reason"),
        _LOTS.c.unit_cost_cents.label("lot_unit_cost_cents"),
        RECALL_REASON.label("lot_recall_reason"),
    )
)
_NEXT_NUMBER = Prepared(
    update(_COUNTERS)
    .where(_COUNTERS.c.id == bindparam("b_counter"))
    .values(last_sale_number=_COUNTERS.c.last_sale_number + 1)
    .returning(_COUNTERS.c.last_sale_number)
)
_COMPLETE = Prepared(
    update(_SALES)
    .where(_SALES.c.id == bindparam("b_sale"))
    .values(
        status=bindparam("b_status"),
        number=bindparam("b_number"),
        shift_id=bindparam("b_shift"),
        completed_at=bindparam("b_completed_at"),
        total_cents=bindparam("b_total"),
        discount_cents=bindparam("b_discount"),
    )
)
_LINE_FIGURES = Prepared(
    update(_LINES)
    .where(_LINES.c.id == bindparam("b_line"))
    .values(
        markdown_cents=bindparam("b_markdown"),
        discount_cents=bindparam("b_discount"),
        total_cents=bindparam("b_total"),
    )
)
_INSERT_PAYMENTS = Prepared(
    insert(_PAYMENTS).returning(_PAYMENTS.c.id),
    ("sale_id", "method", "amount_cents", "tendered_cents", "change_cents", "reference", "gift_card_id", "fund_id"),
)
_INSERT_OPERATOR = Prepared(insert(_OPERATORS), ("sale_id", "user_id"))


def complete_sale(
    db: Database,
    settings: Settings,
    sale_id: int,
    actor: Operator,
    payments: Sequence[PaymentInput],
    *,
    today: date | None = None,
) -> SaleResult:
    """Take the payments and complete: sale, lines, payments, stock, audit and slips in one commit.

    Completing a sale that is already complete changes nothing and returns it again, so a till
    that retries after a lost answer never counts a sale twice.
    """
    check_payments(payments)
    day = today or business_date()
    ready = _prepare(db, settings, sale_id, actor.id, day)
    with db.write() as session:
        head = prepared.first(session, _HEAD, {"sale_id": sale_id, "operator_id": actor.id})
        authorise_with(session, actor, Action.SELL, head)
        if head is None:
            raise NotFound(_("no sale {id}").format(id=sale_id))
        if head.status is SaleStatus.COMPLETED:
            sale = session.get(Sale, sale_id)
            assert sale is not None
            again = view(session, sale)
            return SaleResult(again, again.change_cents, False, ())
        if head.status is not SaleStatus.OPEN:
            raise NotAllowed(_("sale {id} is {status}, not open").format(id=sale_id, status=_(head.status.value)))
        lines: list[Any] = prepared.rows(session, _SALE_LINES, {"sale_id": sale_id})
        if not lines and not head.gift_cards_cents:
            raise NotAllowed(_("the sale has no items"))
        if head.open_shift_id is None:
            raise NotAllowed(_("no shift is open at {counter}: open one first").format(counter=head.counter_name))
        lots = _lots_of(lines)
        for ln in lines:  # lines whose lot became unsellable since they were scanned are refused
            reason = row_block_reason(lots[ln.lot_id], day) if ln.lot_id in lots else None
            if reason:
                raise NotAllowed(_("{product}: {reason}").format(product=ln.description, reason=reason))
        if ready is None or not ready.holds(head, lines):  # the sale changed since: figured again
            ready = _Ready.of(session, settings, head, lines, lots, day)
        sums, km0 = ready.sums, ready.km0
        cards, total = head.gift_cards_cents, sums.total_cents
        if total == 0 and printer_for(settings, head.counter_code, PrinterRole.FISCAL):
            raise InvalidInput(_("a sale of zero cannot be certified on the RT"))

        due = total
        warnings: list[str] = []
        rows: list[dict[str, Any]] = []
        ordered = sorted(payments, key=lambda p: (p.method not in _FIRST, p.method is PaymentMethod.CASH))
        goods = total - cards if cards else None
        for entry in ordered:
            if due <= 0:
                raise InvalidInput(_("the sale is already paid: remove the extra payment"))
            applied = _apply(session, sale_id, head.site_id, due, entry, actor, goods)
            rows.append(applied.row)
            due -= applied.row["amount_cents"]
            if goods is not None and entry.method in GOODS_ONLY:
                goods -= applied.row["amount_cents"]
            if applied.warning:
                warnings.append(applied.warning)
        if due > 0:
            raise InvalidInput(_("{amount} still due").format(amount=format_money(due)))

        card_lines: list[dict[str, Any]] = []
        if cards:  # the cards are credited now, in the sale's transaction: a cancelled sale loads nothing
            from pos.selling.gift_cards import complete_loads

            card_lines = complete_loads(session, settings, sale_id, actor, day)
        number = f"{head.counter_code}-{prepared.scalar(session, _NEXT_NUMBER, {'b_counter': head.counter_id}):06d}"
        completed_at = utcnow()
        payment_ids = [prepared.scalar(session, _INSERT_PAYMENTS, {"sale_id": sale_id, **row}) for row in rows]
        prepared.run(
            session,
            _COMPLETE,
            {
                "b_sale": sale_id,
                "b_status": SaleStatus.COMPLETED,
                "b_number": number,
                "b_shift": head.open_shift_id,
                "b_completed_at": completed_at,
                "b_total": total,
                "b_discount": sums.discount_cents,
            },
        )
        prepared.run(session, _INSERT_OPERATOR, {"sale_id": sale_id, "user_id": actor.id})
        changed = [
            {"b_line": ln.id, "b_markdown": f.markdown_cents, "b_discount": f.discount_cents, "b_total": f.total_cents}
            for ln, f in zip(lines, sums.lines, strict=True)
            if (ln.markdown_cents, ln.discount_cents, ln.total_cents)
            != (f.markdown_cents, f.discount_cents, f.total_cents)
        ]
        prepared.run_many(session, _LINE_FIGURES, changed)
        doc = sale_doc(
            head,
            status=SaleStatus.COMPLETED,
            number=number,
            shift_id=head.open_shift_id,
            completed_at=completed_at,
            lines=tuple(
                doc_line(
                    ln,
                    markdown_cents=f.markdown_cents,
                    discount_cents=f.discount_cents,
                    total_cents=f.total_cents,
                    km0=ln.lot_id in km0,
                )
                for ln, f in zip(lines, sums.lines, strict=True)
            ),
            payments=tuple(
                doc_payment(row, pid, _card_of(session, row)) for pid, row in zip(payment_ids, rows, strict=True)
            ),
            cards=tuple(_doc_card(card) for card in card_lines),
            total_cents=total,
            discount_cents=sums.discount_cents,
        )
        cash = any(row["method"] is PaymentMethod.CASH for row in rows)
        prepared.run_many(session, INSERT_ENTRIES, chain_rows(session, _audit_rows(doc, actor.id, cash)))
        from pos.selling.gift_cards import card_voucher

        vouchers = [  # a card whose code Orto made gets a slip of its own: the gift, with its barcode
            card_voucher(card, company(settings, doc.place), completed_at.isoformat(), number)
            for card in card_lines
            if card["full_code"]
        ]
        job_ids = queue_sale_jobs(session, settings, doc, open_drawer=cash, vouchers=vouchers)
        if head.tab_id is not None:
            from pos.selling.tabs import close_tab_if_paid

            close_tab_if_paid(session, head.tab_id)

        # stock last: on PostgreSQL the products' levels stay locked only from here to the commit
        def untracked(product_id: int) -> tuple[int, int]:
            product = session.get(Product, product_id)
            assert product is not None
            lot = untracked_lot(session, product, day)
            return lot.id, lot.unit_cost_cents

        moves, stock_warnings = allocate(
            [Want(ln.id, ln.product_id, ln.product_name, ln.quantity, ln.lot_id, _pinned(ln, lots)) for ln in lines],
            fefo_rows(session, {ln.product_id for ln in lines}, head.location_id, lock=True),
            location_id=head.location_id,
            today=day,
            allow_negative=head.allow_negative_stock,
            user_id=actor.id,
            untracked=untracked,
        )
        warnings.extend(stock_warnings)
        post_movements(session, moves, at=completed_at)
    result = view_of(doc, warnings)  # after the commit: the write lock is not held for it
    return SaleResult(result, result.change_cents, cash, tuple(job_ids), tuple(warnings))


@dataclass(frozen=True)
class _Ready:
    """What the commit figures from the sale as read (its figures, the lines' km0 marks), and
    the reading it holds for: worked out before the write lock, kept if nothing moved since."""

    key: tuple[Any, ...]
    sums: SaleFigures
    km0: set[int]

    @staticmethod
    def _key(head: Any, lines: list[Any]) -> tuple[Any, ...]:
        # everything the figures and the marks are computed from (a line's row includes its lot's
        # hold and recall, so a lot blocked meanwhile shows as a change)
        return (head.sale_discount_bp, head.sale_discount_cents, head.gift_cards_cents, head.site_id, tuple(lines))

    @classmethod
    def of(
        cls, session: Session, settings: Settings, head: Any, lines: list[Any], lots: dict[int, LotRow], day: date
    ) -> _Ready:
        rules = markdown_rules(session)
        # the sale's figures as of today (a markdown may have begun since the scan)
        sums = sale_figures(
            [line_terms(ln, ln.category_id, lots.get(ln.lot_id), day, rules) for ln in lines],
            head.sale_discount_bp,
            head.sale_discount_cents,
            head.gift_cards_cents,  # gift cards sold on the sale: outside the lines' figures and VAT
        )
        km0 = km0_lot_ids(session, Km0Rule.of(settings), head.site_id, [ln.lot_id for ln in lines])
        return cls(cls._key(head, lines), sums, km0)

    def holds(self, head: Any, lines: list[Any]) -> bool:
        return self._key(head, lines) == self.key


def _prepare(db: Database, settings: Settings, sale_id: int, operator_id: int, day: date) -> _Ready | None:
    """The commit's reads and figures outside the write lock (None: nothing to prepare, the
    commit's own checks will say why). The write re-reads the sale and its lines under the lock
    and keeps this only if they are unchanged."""
    with db.read() as session:
        head = prepared.first(session, _HEAD_UNLOCKED, {"sale_id": sale_id, "operator_id": operator_id})
        if head is None or head.status is not SaleStatus.OPEN:
            return None
        lines: list[Any] = prepared.rows(session, _SALE_LINES, {"sale_id": sale_id})
        return _Ready.of(session, settings, head, lines, _lots_of(lines), day)


def _lots_of(lines: list[Any]) -> dict[int, LotRow]:
    """The lines' own lots (read with them): the recheck, markdowns, the slip."""
    return {
        ln.lot_id: LotRow(
            ln.lot_id,
            ln.lot_code,
            ln.lot_product_id,
            ln.lot_expiry,
            ln.lot_date_type,
            ln.lot_hold_reason,
            ln.lot_unit_cost_cents,
            ln.lot_recall_reason,
            0,
        )
        for ln in lines
        if ln.lot_id is not None
    }


def _pinned(line: Any, lots: dict[int, LotRow]) -> LotRow | None:
    """The line's lot when the line was rung by scanning that lot's own code."""
    lot = lots.get(line.lot_id) if line.lot_id is not None else None
    if lot is None or not line.scanned_code or line.scanned_code.strip().upper() != lot.code.upper():
        return None
    return lot


def _audit_rows(doc: SaleDoc, user_id: int, cash: bool) -> list[dict[str, Any]]:
    rows = [
        {
            "action": "sale_completed",
            "user_id": user_id,
            "approver_id": None,
            "counter_id": doc.counter_id,
            "site_id": doc.site_id,
            "entity": "sale",
            "entity_id": doc.id,
            "details": {"number": doc.number, "total_cents": doc.total_cents},
        }
    ]
    if cash:
        rows.append(
            {
                "action": "drawer_opened",
                "user_id": user_id,
                "approver_id": None,
                "counter_id": doc.counter_id,
                "site_id": None,
                "entity": "sale",
                "entity_id": doc.id,
                "details": None,
            }
        )
    return rows


def _card_of(session: Session, payment: dict[str, Any]) -> tuple[str, int] | None:
    """The gift card that paid: its code and what it holds now (in the session already, locked)."""
    if payment["gift_card_id"] is None:
        return None
    card = session.get(GiftCard, payment["gift_card_id"])
    assert card is not None
    return card.code, card.balance_cents


def _doc_card(card: dict[str, Any]) -> DocCard:
    """A card loaded by the commit (gift_cards.slip_line: its code masked, the full one if Orto made it)."""
    return DocCard(
        id=0,
        kind=card["kind"],
        code=card["full_code"] or card["code"],
        amount_cents=card["amount_cents"],
        balance_cents=card["balance_cents"],
        full_code=card["full_code"],
        expires_on=card["expires_on"],
    )
