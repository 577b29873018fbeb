"""Money of catering: deposits and balances, and customers' accounts.

Which document each payment needs (docs/catering.md, "Money"):

* a **private person** pays at the CAP-1 counter: the payment is a line of a till sale
  (``pos.selling``), so it gets a *documento commerciale*, lands in the shift and in the Z at 10 %
  (and goes through the RT where the fiscal branch configures one); it counts once that sale is
  completed. A private person paying by bank transfer is invoiced instead (TD01 to the codice
  fiscale), as the corrispettivo is then documented by the invoice.
* a **business, association or public body** receives invoices: a deposit issues a TD02 invoice
  in the same transaction, the final TD01 deducts it. Invoiced money is outside the corrispettivi,
  so it never becomes a till sale; cash taken at the counter enters the drawer as a cash movement
  of the open shift, so that the drawer still counts right.

An account holds charges (an order or an association's bar tab put on it); settlements are
payments of kind ``account``. What is overdue is found by settling the oldest charges first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from catering.orders import locked_order
from orto import limits
from orto.access import authorise
from orto.audit import audit
from orto.config import Settings
from orto.db import Database
from orto.enums import CateringPaymentMethod
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import (
    AccountEntry,
    CashMovement,
    CateringOrder,
    CateringPayment,
    Counter,
    Customer,
    Product,
    Sale,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
    Unit,
)
from orto.models.base import utcnow
from orto.policy import Action, Operator

METHODS = tuple(CateringPaymentMethod)
SERVICE_PRODUCT = "CATERING"
_PAYABLE = frozenset({"confirmed", "prepared", "delivered", "invoiced"})


def invoiced_customer(customer: Customer) -> bool:
    """Businesses, associations and public bodies are invoiced; private persons get the till's document."""
    return customer.kind != "person"


def counted() -> Any:
    """Payments that count: recorded ones, and counter ones whose sale was completed."""
    return or_(
        CateringPayment.sale_id.is_(None),
        CateringPayment.sale_id.in_(select(Sale.id).where(Sale.status == SaleStatus.COMPLETED)),
    )


def paid_by_order(session: Session, order_ids: Iterable[int]) -> dict[int, int]:
    ids = list(order_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(CateringPayment.order_id, CateringPayment.amount_cents).where(
            CateringPayment.order_id.in_(ids), counted()
        )
    ).all()
    paid: dict[int, int] = defaultdict(int)
    for order_id, amount in rows:
        paid[int(order_id or 0)] += int(amount)
    return dict(paid)


def paid(session: Session, order_id: int) -> int:
    return paid_by_order(session, [order_id]).get(order_id, 0)


def service_product(session: Session) -> Product:
    """The till's product for catering money (10 %, not stocked: its NOLOT lot absorbs the pieces)."""
    product = session.scalar(select(Product).where(Product.code == SERVICE_PRODUCT))
    if product is None:
        product = Product(
            code=SERVICE_PRODUCT,
            name=_("Catering service"),
            unit=Unit.PIECE,
            vat_rate_bp=1000,
            price_cents=0,
            active=False,  # never found by the search: only catering puts it on a sale
        )
        session.add(product)
        session.flush()
    return product


@dataclass(frozen=True)
class PaymentTaken:
    payment_id: int
    sale_id: int | None  # a counter sale the till completes (a private person's payment)
    invoice_id: int | None  # the TD02 issued with a business's deposit


def take_payment(
    db: Database,
    actor: Operator,
    order_id: int,
    amount_cents: int,
    *,
    kind: str = "deposit",
    method: str = "counter",
    counter_id: int | None = None,
    reference: str = "",
    settings: Settings | None = None,
    today: date | None = None,
) -> PaymentTaken:
    """A deposit or the balance of an order; see the module's note for the document each one needs."""
    if kind not in ("deposit", "balance"):
        raise InvalidInput(_("payment: deposit or balance expected, not {kind}").format(kind=kind))
    if method not in METHODS:
        raise InvalidInput(_("payment method {m}: one of {ms} expected").format(m=method, ms=", ".join(METHODS)))
    if amount_cents <= 0:
        raise InvalidInput(_("amount: more than zero expected"))
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status not in _PAYABLE:
            raise NotAllowed(
                _("order {number} is {state}: confirm it before taking money").format(
                    number=order.number, state=_(order.status)
                )
            )
        customer = session.get(Customer, order.customer_id)
        assert customer is not None
        if customer.kind == "public" and kind == "deposit":
            # public bodies pay on the invoice, after the service (no advances from public money)
            raise NotAllowed(
                _("{name} is a public body: it pays on the invoice, not a deposit").format(name=customer.name)
            )
        due = owed(order, customer) - paid(session, order.id) - pending(session, order.id)
        if amount_cents > due:
            raise InvalidInput(
                _("amount: {amount} is above what is still due on {number} ({due})").format(
                    amount=_euro(amount_cents), number=order.number, due=_euro(due)
                )
            )
        payment = CateringPayment(
            order_id=order.id,
            customer_id=customer.id,
            kind=kind,
            method=method,
            amount_cents=amount_cents,
            reference=reference.strip(),
            user_id=actor.id,
        )
        invoice_id = sale_id = None
        if invoiced_customer(customer):
            if method in ("cash", "counter"):
                _cash_in(session, actor, counter_id, amount_cents, order.number)
                payment.method = CateringPaymentMethod.CASH
            session.add(payment)
            session.flush()
            if kind == "deposit":
                from catering.invoices import issue_deposit

                invoice = issue_deposit(session, settings, actor, order, customer, amount_cents, today=today)
                payment.invoice_id = invoice_id = invoice.id
        else:
            if method == "bank_transfer":
                session.add(payment)  # documented by the invoice to the codice fiscale (TD01)
            else:
                if counter_id is None:
                    raise InvalidInput(_("counter: a private person's payment is taken at a counter"))
                payment.method = CateringPaymentMethod.COUNTER
                sale_id = ring(session, actor, counter_id, amount_cents, _line_text(kind, order.number))
                payment.sale_id = sale_id
                session.add(payment)
        session.flush()
        audit(
            session,
            f"catering_{kind}",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"amount_cents": amount_cents, "method": payment.method, "sale_id": sale_id},
        )
        return PaymentTaken(payment.id, sale_id, invoice_id)


def owed(order: CateringOrder, customer: Customer) -> int:
    """What the customer pays for the order: its total, or on split payment (a public body) the
    taxable, exactly as its invoice will compute it (scorporo per rate)."""
    from catering.invoices import split_payment
    from catering.vat import Line, figures

    if not split_payment(customer):
        return order.total_cents
    return figures([Line(ln.description, 1, ln.total_cents, ln.vat_rate_bp) for ln in order.lines]).taxable_cents


def pending(session: Session, order_id: int) -> int:
    """Counter payments whose sale is still open: reserved, so the same money is not rung twice."""
    rows = session.execute(
        select(CateringPayment.amount_cents)
        .join(Sale, Sale.id == CateringPayment.sale_id)
        .where(CateringPayment.order_id == order_id, Sale.status.in_([SaleStatus.OPEN, SaleStatus.PARKED]))
    ).scalars()
    return sum(int(x) for x in rows)


def _line_text(kind: str, number: str) -> str:
    return (_("Deposit {number}") if kind == "deposit" else _("Balance {number}")).format(number=number)


def _euro(cents: int) -> str:
    from orto.money import format_money

    return format_money(cents)


def _open_shift(session: Session, counter_id: int | None) -> Shift:
    if counter_id is None or session.get(Counter, counter_id) is None:
        raise InvalidInput(_("counter: money taken at a counter needs the counter"))
    shift = session.scalar(
        select(Shift).where(Shift.counter_id == counter_id, Shift.status == ShiftStatus.OPEN).order_by(Shift.id.desc())
    )
    if shift is None:
        raise NotAllowed(_("no shift is open at this counter"))
    return shift


def _cash_in(session: Session, actor: Operator, counter_id: int | None, amount: int, number: str) -> None:
    shift = _open_shift(session, counter_id)
    session.add(
        CashMovement(
            shift_id=shift.id,
            amount_cents=amount,
            reason=_("catering {number}, invoiced").format(number=number),
            user_id=actor.id,
        )
    )


def ring(session: Session, actor: Operator, counter_id: int, amount: int, text: str) -> int:
    """Put catering money on the counter's open sale (started if none); the till completes it."""
    from pos.selling.sales import recompute

    shift = _open_shift(session, counter_id)
    sale = session.scalar(
        select(Sale).where(Sale.counter_id == counter_id, Sale.status == SaleStatus.OPEN).order_by(Sale.id)
    )
    if sale is None:
        import uuid

        sale = Sale(uuid=str(uuid.uuid4()), counter_id=counter_id, shift_id=shift.id, user_id=actor.id)
        session.add(sale)
        session.flush()
    product = service_product(session)
    position = max((ln.position for ln in sale.lines), default=0) + 1
    sale.lines.append(
        SaleLine(
            position=position,
            product_id=product.id,
            description=text[:120],
            quantity=1,
            list_price_cents=amount,
            unit_price_cents=amount,
            price_overridden=True,  # the amount is the order's, not a list price
            vat_rate_bp=product.vat_rate_bp,
            total_cents=amount,
        )
    )
    session.flush()
    recompute(session, sale, local_day(utcnow()))
    return sale.id


# ---------------------------------------------------------------- accounts


def put_on_account(db: Database, actor: Operator, order_id: int, *, today: date | None = None) -> int:
    """What is still due on an order becomes a charge on the customer's account, due in their terms."""
    day = today or local_day(utcnow())
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status in ("quote", "cancelled"):
            raise NotAllowed(
                _("order {number} is {state}: it cannot go on account").format(
                    number=order.number, state=_(order.status)
                )
            )
        if order.on_account:
            raise NotAllowed(_("order {number} is already on account").format(number=order.number))
        customer = session.get(Customer, order.customer_id)
        assert customer is not None
        due = owed(order, customer) - paid(session, order.id) - pending(session, order.id)
        if due <= 0:
            raise NotAllowed(_("order {number} is paid").format(number=order.number))
        order.on_account = True
        return _charge(
            session,
            actor,
            customer,
            due,
            day,
            _("order {number}").format(number=order.number),
            order_id=order.id,
            details={"order": order.number, "amount_cents": due},
        )


def _charge(
    session: Session,
    actor: Operator,
    customer: Customer,
    amount_cents: int,
    day: date,
    description: str,
    *,
    details: dict[str, Any],
    order_id: int | None = None,
    tab_id: int | None = None,
    invoice_id: int | None = None,
    action: str = "account_charge",
) -> int:
    """An entry on the customer's account, due after their payment days, and its audit record."""
    entry = AccountEntry(
        customer_id=customer.id,
        amount_cents=amount_cents,
        order_id=order_id,
        tab_id=tab_id,
        invoice_id=invoice_id,
        due_on=day + timedelta(days=customer.payment_days),
        description=description[:200],  # typed ones are checked; a generated one with a long tab label is cut
        user_id=actor.id,
    )
    session.add(entry)
    session.flush()
    audit(session, action, actor.id, entity="customer", entity_id=customer.id, details=details)
    return entry.id


def charge_account(
    db: Database,
    actor: Operator,
    customer_id: int,
    amount_cents: int,
    description: str,
    *,
    tab_id: int | None = None,
    today: date | None = None,
) -> int:
    """A bar tab (or anything agreed) put on a customer's account."""
    if amount_cents <= 0 or not description.strip():
        raise InvalidInput(_("account: an amount above zero and a description are expected"))
    description = limits.text(description, _("description"), 200)
    day = today or local_day(utcnow())
    with db.write() as session:
        authorise(session, actor, Action.CUSTOMERS)
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        return _charge(
            session,
            actor,
            customer,
            amount_cents,
            day,
            description.strip(),
            tab_id=tab_id,
            details={"amount_cents": amount_cents, "tab_id": tab_id},
        )


@dataclass(frozen=True)
class TabCharged:
    entry_id: int
    invoice_id: int
    amount_cents: int  # what the account owes for it: the invoice's total, or its taxable on split payment


def tab_on_account(
    db: Database,
    settings: Settings | None,
    actor: Operator,
    tab_id: int,
    customer_id: int,
    *,
    today: date | None = None,
) -> TabCharged:
    """Close a bar tab on a customer's account, in one transaction: the tab's goods leave the
    bar's stock, a TD01 invoice documents them (the customer is invoiced, so the tab is outside
    the corrispettivi and never becomes a till sale), and the invoice's amount due is charged to
    the account, due in the customer's payment days. Only customers allowed an account, and not
    private persons (their tab is paid at the till, with its documento commerciale)."""
    from catering.customers import require_invoice_data
    from catering.invoices import _issue, invoice_number, split_payment
    from catering.vat import Line, figures
    from inventory.ledger import post_movement, untracked_lot
    from orto.enums import MovementKind
    from orto.models import TabStatus
    from pos.selling.tabs import charges_to_settle

    day = today or local_day(utcnow())
    with db.write() as session:
        authorise(session, actor, Action.TAB)
        customer = session.get(Customer, customer_id, with_for_update=True)
        if customer is None or not customer.active:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        if not invoiced_customer(customer):
            raise NotAllowed(
                _("{name} is a private person: a private tab is paid at the till").format(name=customer.name)
            )
        if not customer.account_allowed:
            raise NotAllowed(_("{name} is not allowed an account").format(name=customer.name))
        require_invoice_data(customer)
        tab, charges = charges_to_settle(session, tab_id, day)
        on_sale = session.scalar(
            select(Sale.id).where(
                Sale.tab_id == tab.id, Sale.status.in_([SaleStatus.OPEN, SaleStatus.PARKED]), Sale.lines.any()
            )
        )
        if on_sale is not None:
            raise NotAllowed(
                _("tab {label} is on a sale at the till: finish or cancel it first").format(label=tab.label)
            )
        if not charges:
            raise NotAllowed(_("nothing left to pay on tab {label}").format(label=tab.label))
        counter = session.get(Counter, tab.counter_id)
        assert counter is not None
        invoice_lines = []
        for charge in charges:
            # what the tab showed and a payment at the till would take: its markdown, the on-site rate
            line = charge.line
            invoice_lines.append(Line(line.description, line.quantity, charge.figures.total_cents, charge.vat_rate_bp))
            lot = charge.lot or untracked_lot(session, charge.product, day)
            session.flush()
            post_movement(
                session,
                kind=MovementKind.CATERING,
                location_id=counter.location_id,
                lot=lot,
                quantity=-line.quantity,
                user_id=actor.id,
                reason=_("tab {label}").format(label=tab.label),
                doc_type="tab_line",
                doc_id=line.id,
            )
        numbers = figures(invoice_lines)
        invoice = _issue(
            session,
            settings,
            actor,
            doc_type="TD01",
            customer=customer,
            order=None,
            figures_=numbers,
            today=day,
            causale=_("Bar tab {label} of {day}").format(label=tab.label, day=local_day(tab.opened_at).isoformat()),
        )
        amount = numbers.taxable_cents if split_payment(customer) else numbers.total_cents
        tab.status, tab.closed_at = TabStatus.CLOSED, utcnow()
        entry_id = _charge(
            session,
            actor,
            customer,
            amount,
            day,
            _("bar tab {label}, invoice {number}").format(label=tab.label, number=invoice_number(invoice)),
            tab_id=tab.id,
            invoice_id=invoice.id,
            action="tab_on_account",
            details={"tab_id": tab.id, "amount_cents": amount, "invoice_id": invoice.id},
        )
        return TabCharged(entry_id, invoice.id, amount)


def account_customers(db: Database, text: str) -> list[tuple[int, str, int]]:
    """Customers allowed an account (not private persons) whose name or code holds ``text``:
    (id, name, balance) for the till's choice."""
    pattern = f"%{text.strip().lower()}%"
    with db.read() as session:
        rows = session.execute(
            select(Customer.id, Customer.name)
            .where(
                Customer.active.is_(True),
                Customer.account_allowed.is_(True),
                Customer.kind != "person",
                or_(func.lower(Customer.name).like(pattern), func.lower(Customer.code).like(pattern)),
            )
            .order_by(Customer.name)
            .limit(30)
        ).all()
        return [(int(i), str(n), account_balance(session, int(i), include_pending=True)) for i, n in rows]


def settle_account(
    db: Database,
    actor: Operator,
    customer_id: int,
    amount_cents: int,
    *,
    method: str = "counter",
    counter_id: int | None = None,
    reference: str = "",
) -> PaymentTaken:
    """A settlement of the account, oldest charges first; a private person pays at the counter (a sale)."""
    if method not in METHODS:
        raise InvalidInput(_("payment method {m}: one of {ms} expected").format(m=method, ms=", ".join(METHODS)))
    if amount_cents <= 0:
        raise InvalidInput(_("amount: more than zero expected"))
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        customer = session.get(Customer, customer_id, with_for_update=True)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        owed = account_balance(session, customer.id, include_pending=True)
        if amount_cents > owed:
            raise InvalidInput(
                _("amount: {amount} is above the account's balance ({owed})").format(
                    amount=_euro(amount_cents), owed=_euro(owed)
                )
            )
        payment = CateringPayment(
            customer_id=customer.id,
            kind="account",
            method=method,
            amount_cents=amount_cents,
            reference=reference.strip(),
            user_id=actor.id,
        )
        sale_id = None
        if not invoiced_customer(customer) and method != "bank_transfer":
            if counter_id is None:
                raise InvalidInput(_("counter: a private person's payment is taken at a counter"))
            payment.method = CateringPaymentMethod.COUNTER
            sale_id = ring(
                session, actor, counter_id, amount_cents, _("Account settlement {name}").format(name=customer.name)
            )
            payment.sale_id = sale_id
        elif method in ("cash", "counter"):
            _cash_in(session, actor, counter_id, amount_cents, customer.name)
            payment.method = CateringPaymentMethod.CASH
        session.add(payment)
        session.flush()
        audit(
            session,
            "account_settled",
            actor.id,
            entity="customer",
            entity_id=customer.id,
            details={"amount_cents": amount_cents, "method": payment.method, "sale_id": sale_id},
        )
        return PaymentTaken(payment.id, sale_id, None)


def _settlements(session: Session, customer_id: int, *, include_pending: bool = False) -> list[CateringPayment]:
    stmt = select(CateringPayment).where(CateringPayment.customer_id == customer_id, CateringPayment.kind == "account")
    if not include_pending:
        stmt = stmt.where(counted())
    else:
        stmt = stmt.where(
            or_(
                CateringPayment.sale_id.is_(None),
                CateringPayment.sale_id.in_(select(Sale.id).where(Sale.status != SaleStatus.CANCELLED)),
            )
        )
    return list(session.scalars(stmt.order_by(CateringPayment.at, CateringPayment.id)))


def account_balance(session: Session, customer_id: int, *, include_pending: bool = False) -> int:
    charged = session.scalars(select(AccountEntry.amount_cents).where(AccountEntry.customer_id == customer_id))
    settled = _settlements(session, customer_id, include_pending=include_pending)
    return sum(int(x) for x in charged) - sum(p.amount_cents for p in settled)


@dataclass(frozen=True)
class StatementLine:
    day: date
    description: str
    charge_cents: int
    payment_cents: int
    balance_cents: int
    due_on: date | None
    overdue_cents: int  # what of this charge is still unpaid past its date


@dataclass(frozen=True)
class Statement:
    customer: str
    lines: tuple[StatementLine, ...]
    balance_cents: int
    overdue_cents: int


def statement(db: Database, actor: Operator, customer_id: int, *, today: date | None = None) -> Statement:
    """Charges and settlements by date, the balance after each, and what is overdue (oldest paid first).

    A customer's own account, for whoever takes their payments (``Action.CUSTOMERS``)."""
    day = today or local_day(utcnow())
    with db.read() as session:
        authorise(session, actor, Action.CUSTOMERS)
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        charges = list(
            session.scalars(
                select(AccountEntry)
                .where(AccountEntry.customer_id == customer_id)
                .order_by(AccountEntry.at, AccountEntry.id)
            )
        )
        settlements = _settlements(session, customer_id)
        left = sum(p.amount_cents for p in settlements)
        unpaid: dict[int, int] = {}
        for charge in charges:  # the oldest charges are settled first
            take = min(left, charge.amount_cents)
            left -= take
            unpaid[charge.id] = charge.amount_cents - take
        events: list[tuple[datetime, int, str, int, int, date | None, int]] = []
        for c in charges:
            late = unpaid[c.id] if c.due_on is not None and c.due_on < day else 0
            events.append((c.at, 0, c.description, c.amount_cents, 0, c.due_on, late))
        for p in settlements:
            text = _("payment ({method})").format(method=_(p.method)) + (f" {p.reference}" if p.reference else "")
            events.append((p.at, 1, text, 0, p.amount_cents, None, 0))
        balance = 0
        lines = []
        for at, _order, text, charged, pay, due_on, late in sorted(events, key=lambda e: (e[0], e[1])):
            balance += charged - pay
            lines.append(StatementLine(local_day(at), text, charged, pay, balance, due_on, late))
        return Statement(customer.name, tuple(lines), balance, sum(x.overdue_cents for x in lines))


@dataclass(frozen=True)
class Receivable:
    customer_id: int
    customer: str
    balance_cents: int
    overdue_cents: int


def statement_lines(s: Statement) -> list[str]:
    """The statement as text, for the till and the command line: one line per charge or payment
    with the balance after it, what is overdue marked, and the totals last."""
    from orto.i18n import format_date
    from orto.money import format_money

    lines = [s.customer]
    for line in s.lines:
        due = f" ({_('due')} {format_date(line.due_on)})" if line.due_on else ""
        late = (
            "  " + _("OVERDUE {amount}").format(amount=format_money(line.overdue_cents)) if line.overdue_cents else ""
        )
        amount = format_money(line.charge_cents) if line.charge_cents else "-" + format_money(line.payment_cents)
        lines.append(
            f"  {format_date(line.day)} {line.description}{due}  {amount}  = {format_money(line.balance_cents)}{late}"
        )
    lines.append(_("Balance {b}, overdue {o}").format(b=format_money(s.balance_cents), o=format_money(s.overdue_cents)))
    return lines


def receivables(db: Database, actor: Operator, *, today: date | None = None) -> list[Receivable]:
    """Every customer with something on account: the receivables report (names and debts of
    everyone, so a manager's: ``Action.REPORTS``)."""
    with db.read() as session:
        authorise(session, actor, Action.REPORTS)
        ids = sorted(set(session.scalars(select(AccountEntry.customer_id))))
    rows = []
    for customer_id in ids:
        s = statement(db, actor, customer_id, today=today)
        if s.balance_cents:
            rows.append(Receivable(customer_id, s.customer, s.balance_cents, s.overdue_cents))
    return sorted(rows, key=lambda r: (-r.overdue_cents, -r.balance_cents, r.customer))


def order_due(session: Session, order: CateringOrder) -> int:
    return order.total_cents - paid(session, order.id)
