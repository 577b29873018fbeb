"""Quotes and orders: one row whose state moves on; cancelled with a reason, never deleted.

quote → confirmed → prepared → delivered → invoiced → paid, and cancelled from any state before
delivery. Prices are VAT-inclusive cents per portion; catering is a service (somministrazione)
at 10 % unless a line says otherwise (goods sold as such keep their product's rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.access import authorise
from orto.audit import audit
from orto.db import Database
from orto.enums import OrderStatus
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import CateringLine, CateringOrder, Customer, Product, Recipe, Site
from orto.models.base import utcnow
from orto.money import VAT_RATES_BP
from orto.policy import Action, Operator

CATERING_VAT_BP = 1000
STATES = tuple(OrderStatus)
# the words shown for states, payment methods and invoice states, translated where they are shown
WORDS = (
    N_("quote"),
    N_("confirmed"),
    N_("prepared"),
    N_("delivered"),
    N_("invoiced"),
    N_("paid"),
    N_("cancelled"),
    N_("counter"),
    N_("bank_transfer"),
    N_("to_send"),
    N_("sent"),
    N_("accepted"),
    N_("rejected"),
    N_("Invoice"),
    N_("Deposit invoice"),
    N_("Credit note"),
)
_NEXT = {"confirmed": "quote", "prepared": "confirmed", "delivered": "prepared"}
_CANCELLABLE = frozenset({"quote", "confirmed", "prepared"})


@dataclass(frozen=True)
class MenuLine:
    """A dish: a product or a lab recipe (or neither: a service such as staff or transport)."""

    description: str
    unit_price_cents: int  # per portion, VAT included
    quantity: int = 1  # portions per guest if ``per_person``, else in total
    per_person: bool = True
    product_id: int | None = None
    recipe_id: int | None = None
    portion: int = 1  # base units of the product or recipe output in one portion (g, ml, pieces)
    vat_rate_bp: int | None = None  # None: the 10 % of catering


@dataclass(frozen=True)
class QuoteInput:
    customer_id: int
    event_at: datetime  # aware
    guests: int
    lines: Sequence[MenuLine]
    place: str = ""
    dietary: str = ""
    notes: str = ""
    site_code: str = "CAP"


def portions(line: CateringLine | MenuLine, guests: int) -> int:
    return line.quantity * guests if line.per_person else line.quantity


def check_quote(data: QuoteInput, now: datetime) -> None:
    """Refuse a quote that cannot be served: each message names the field and what is expected."""
    if data.event_at.tzinfo is None:
        raise InvalidInput(_("event date: a time zone is needed"))
    if data.event_at <= now:
        raise InvalidInput(
            _("event date: {day} is in the past, a future date is expected").format(day=local_day(data.event_at))
        )
    if data.guests <= 0:
        raise InvalidInput(_("guests: {n} given, at least 1 expected").format(n=data.guests))
    if not data.lines:
        raise InvalidInput(_("menu: at least one dish is expected"))
    for number, line in enumerate(data.lines, 1):
        where = _("menu line {n}").format(n=number)
        if not line.description.strip():
            raise InvalidInput(_("{where}: a description is expected").format(where=where))
        if line.quantity <= 0 or line.portion <= 0:
            raise InvalidInput(_("{where}: quantity and portion must be at least 1").format(where=where))
        if line.unit_price_cents < 0:
            raise InvalidInput(_("{where}: a price cannot be negative").format(where=where))
        if line.product_id is not None and line.recipe_id is not None:
            raise InvalidInput(_("{where}: a product or a recipe, not both").format(where=where))
        if line.vat_rate_bp is not None and line.vat_rate_bp not in VAT_RATES_BP:
            raise InvalidInput(_("{where}: VAT rate {rate} unknown").format(where=where, rate=line.vat_rate_bp))


def _number(session: Session, year: int) -> str:
    prefix = f"CAT-{year}-"
    count = session.scalar(select(func.count()).where(CateringOrder.number.like(prefix + "%"))) or 0
    return f"{prefix}{int(count) + 1:04d}"


def create_quote(db: Database, actor: Operator, data: QuoteInput, *, now: datetime | None = None) -> int:
    """A quote for an event; returns its id."""
    moment = now or datetime.now(UTC)
    check_quote(data, moment)
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        customer = session.get(Customer, data.customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=data.customer_id))
        site = session.scalar(select(Site).where(Site.code == data.site_code))
        if site is None:
            raise NotFound(_("no site {code}").format(code=data.site_code))
        order = CateringOrder(
            number=_number(session, local_day(moment).year),
            customer_id=customer.id,
            site_id=site.id,
            status="quote",
            event_at=data.event_at,
            place=data.place.strip(),
            guests=data.guests,
            dietary=data.dietary.strip(),
            notes=data.notes.strip(),
            created_by=actor.id,
            created_at=moment,
        )
        session.add(order)
        session.flush()
        total = 0
        for position, line in enumerate(data.lines, 1):
            rate = line.vat_rate_bp if line.vat_rate_bp is not None else CATERING_VAT_BP
            if line.product_id is not None and session.get(Product, line.product_id) is None:
                raise NotFound(_("menu line {n}: no product {id}").format(n=position, id=line.product_id))
            if line.recipe_id is not None and session.get(Recipe, line.recipe_id) is None:
                raise NotFound(_("menu line {n}: no recipe {id}").format(n=position, id=line.recipe_id))
            amount = line.unit_price_cents * portions(line, data.guests)
            total += amount
            session.add(
                CateringLine(
                    order_id=order.id,
                    position=position,
                    description=line.description.strip(),
                    product_id=line.product_id,
                    recipe_id=line.recipe_id,
                    per_person=line.per_person,
                    quantity=line.quantity,
                    portion=line.portion,
                    unit_price_cents=line.unit_price_cents,
                    vat_rate_bp=rate,
                    total_cents=amount,
                )
            )
        order.total_cents = total
        audit(
            session,
            "catering_quote",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"number": order.number, "total_cents": total},
        )
        return order.id


def locked_order(session: Session, order_id: int) -> CateringOrder:
    order = session.get(CateringOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound(_("no catering order {id}").format(id=order_id))
    return order


def find_order(session: Session, key: str | int) -> CateringOrder:
    """By id or number (CAT-2026-0001)."""
    text = str(key).strip()
    order = session.get(CateringOrder, int(text)) if text.isdigit() else None
    if order is None:
        order = session.scalar(select(CateringOrder).where(CateringOrder.number == text.upper()))
    if order is None:
        raise NotFound(_("no catering order {key}").format(key=text))
    return order


def advance(db: Database, actor: Operator, order_id: int, to: str, *, now: datetime | None = None) -> None:
    """Move an order on one step: confirmed (from a quote), prepared, delivered."""
    if to not in _NEXT:
        raise InvalidInput(_("state {state}: one of {states} expected").format(state=to, states=", ".join(_NEXT)))
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        set_state(session, order, to, now or utcnow())
        audit(session, f"catering_{to}", actor.id, entity="catering_order", entity_id=order.id)


def set_state(session: Session, order: CateringOrder, to: str, moment: datetime) -> None:
    if order.status != _NEXT[to]:
        raise NotAllowed(
            _("order {number} is {state}: it cannot become {to}").format(
                number=order.number, state=_(order.status), to=_(to)
            )
        )
    order.status = OrderStatus(to)
    setattr(order, f"{to}_at", moment)


def set_purchase_order(
    db: Database,
    actor: Operator,
    order_id: int,
    reference: str | None,
    *,
    cig: str | None = None,
    cup: str | None = None,
) -> None:
    """The public body's order reference (DatiOrdineAcquisto) with its CIG and CUP, for the invoice;
    not once the order is invoiced (the invoice is issued with what it had)."""
    from catering.customers import check_references

    ref, cig_, cup_ = check_references(reference, cig, cup)
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status in ("invoiced", "cancelled"):
            raise NotAllowed(
                _("order {number} is {state}: its references cannot change").format(
                    number=order.number, state=_(order.status)
                )
            )
        order.order_ref, order.cig, order.cup = ref, cig_, cup_
        audit(
            session,
            "catering_references",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"order_ref": ref, "cig": cig_, "cup": cup_},
        )


def confirm(db: Database, actor: Operator, order_id: int) -> None:
    advance(db, actor, order_id, "confirmed")


def cancel(db: Database, actor: Operator, order_id: int, reason: str) -> None:
    """Cancel with a reason; the order stays, with its lines and payments (refunds are separate)."""
    if not reason.strip():
        raise InvalidInput(_("cancellation: a reason is expected"))
    with db.write() as session:
        authorise(session, actor, Action.CATERING)
        order = locked_order(session, order_id)
        if order.status not in _CANCELLABLE:
            raise NotAllowed(
                _("order {number} is {state}: it cannot be cancelled").format(
                    number=order.number, state=_(order.status)
                )
            )
        order.status, order.cancelled_at, order.cancel_reason = OrderStatus.CANCELLED, utcnow(), reason.strip()
        from orto.models import LotReservation

        for reservation in session.scalars(
            select(LotReservation).where(LotReservation.order_id == order.id, LotReservation.released_at.is_(None))
        ):
            reservation.released_at = order.cancelled_at
        audit(
            session,
            "catering_cancelled",
            actor.id,
            entity="catering_order",
            entity_id=order.id,
            details={"reason": order.cancel_reason},
        )


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    status: str
    event_at: datetime
    customer: str
    guests: int
    total_cents: int
    paid_cents: int


def orders_between(
    db: Database, actor: Operator, first: datetime, last: datetime, *, include_cancelled: bool = False
) -> list[OrderRow]:
    """Orders (and quotes) whose event falls in [first, last), by event time: the orders-by-date view."""
    from catering.money import owed, paid_by_order

    with db.read() as session:
        authorise(session, actor, Action.CATERING)
        stmt = (
            select(CateringOrder, Customer)
            .join(Customer, Customer.id == CateringOrder.customer_id)
            .where(CateringOrder.event_at >= first, CateringOrder.event_at < last)
            .order_by(CateringOrder.event_at, CateringOrder.id)
        )
        if not include_cancelled:
            stmt = stmt.where(CateringOrder.status != "cancelled")
        rows = session.execute(stmt).all()
        paid = paid_by_order(session, [o.id for o, _c in rows])
        return [
            OrderRow(
                o.id,
                o.number,
                shown_state(o, paid.get(o.id, 0), owed(o, customer)),
                o.event_at,
                customer.name,
                o.guests,
                o.total_cents,
                paid.get(o.id, 0),
            )
            for o, customer in rows
        ]


def shown_state(order: CateringOrder, paid_cents: int, owed_cents: int | None = None) -> str:
    """``paid`` is read from the money, not stored: a delivered or invoiced order fully paid
    (``owed_cents``: what the customer pays, the taxable on split payment; default the total)."""
    owed = order.total_cents if owed_cents is None else owed_cents
    if order.status in ("delivered", "invoiced") and owed and paid_cents >= owed:
        return "paid"
    return order.status
