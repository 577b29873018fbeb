"""One sale as every document shows it: the till's view, the slip, the RT's receipt, a reprint.

``SaleDoc`` is frozen and holds typed rows, never ORM objects. It is filled in one of two ways:
the selling engine builds it from the rows it already holds at a scan or at the commit (no
second read), and :func:`load_sale_doc` reads it with Core statements for everything else (a
reprint, the till asking for a sale again, a refund's slip). It lives here, under ``pos.selling``,
because the reprint (``receipts.fiscal.copies``) needs it and may not import the selling engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from orto.errors import NotFound
from orto.gift_card_codes import mask
from orto.i18n import gettext as _
from orto.km0 import Km0Rule, km0_lot_ids
from orto.models import (
    Counter,
    GiftCard,
    GiftCardLoad,
    Lot,
    Payment,
    PaymentMethod,
    PriceList,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SaleOperator,
    SaleStatus,
    Site,
    User,
)
from orto.models.base import table_of
from orto.money import VatShare, vat_breakdown


@dataclass(frozen=True)
class DocPlace:
    """The site the sale was made at, as the slip's heading names it."""

    name: str
    address: str
    city: str


@dataclass(frozen=True)
class LineView:
    """A line as the till shows it (``pos.selling.views`` names it there)."""

    id: int
    position: int
    product_id: int
    product_code: str
    description: str
    quantity: int  # pieces, or grams when weighed
    weighed: bool
    list_price_cents: int
    unit_price_cents: int
    price_overridden: bool
    markdown_cents: int
    discount_cents: int
    vat_rate_bp: int
    total_cents: int
    take_away: bool  # at the bar: sold at the shelf rate (orto.vat_choice)
    lot_code: str | None
    lot_expiry: str | None  # ISO date
    kitchen_item: bool
    note: str | None


@dataclass(frozen=True)
class DocLine(LineView):
    """A line of the document: what the till shows, and what the slip adds."""

    lot_id: int | None = None
    # from a farm near the selling site (orto.km0): the slip marks it. Read only where the rule is
    # at hand (the commit, a slip), so two views of one sale compare equal whether or not it was.
    km0: bool = field(default=False, compare=False)

    @property
    def gross_cents(self) -> int:
        return self.total_cents + self.discount_cents + self.markdown_cents


@dataclass(frozen=True)
class PaymentView:
    id: int
    method: PaymentMethod
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    reference: str | None


@dataclass(frozen=True)
class DocPayment(PaymentView):
    card: str | None = None  # a gift card that paid: its masked code
    card_balance_cents: int | None = None  # and what it holds (a reprint says today's balance)


@dataclass(frozen=True)
class GiftCardLine:
    """A gift card sold (``new``) or topped up (``top_up``) on the sale: outside VAT, never discounted."""

    id: int
    kind: str  # new | top_up
    code: str
    amount_cents: int
    balance_cents: int | None = None  # the card's balance after the load, once the sale is complete

    @property
    def masked(self) -> str:
        return mask(self.code)


@dataclass(frozen=True)
class DocCard(GiftCardLine):
    full_code: str | None = None  # a code Orto made: printed in full on the card's own voucher
    expires_on: str | None = None  # ISO date


@dataclass(frozen=True)
class SaleDoc:
    id: int
    uuid: str
    kind: SaleKind
    status: SaleStatus
    number: str | None
    counter_id: int
    counter_code: str
    counter_name: str
    site_id: int
    place: DocPlace
    shift_id: int
    user_id: int
    operator: str  # who took the payment (else who started the sale)
    price_list_code: str | None
    customer_card: str | None
    onsite: bool
    take_away: bool
    started_at: datetime
    completed_at: datetime | None
    original_sale_id: int | None
    original_number: str | None
    tab_id: int | None
    note: str | None
    lines: tuple[DocLine, ...]  # also what the till's view lists
    payments: tuple[DocPayment, ...]
    cards: tuple[DocCard, ...]
    total_cents: int  # the lines and the gift cards
    discount_cents: int

    @property
    def markdown_cents(self) -> int:
        return sum(line.markdown_cents for line in self.lines)

    @property
    def vat(self) -> tuple[VatShare, ...]:
        """Scorporo once per rate on that rate's total, as the RT does (orto.money)."""
        return tuple(vat_breakdown((line.vat_rate_bp, line.total_cents) for line in self.lines))

    @property
    def change_cents(self) -> int:
        return sum(p.change_cents for p in self.payments)


# ---------------------------------------------------------------- the loader (Core, read only)

_SALES = table_of(Sale)
_ORIGINAL = _SALES.alias("original_sale")
_LINES = table_of(SaleLine)
_COUNTERS = table_of(Counter)
_SITES = table_of(Site)
_USERS = table_of(User)
_OPERATORS = table_of(SaleOperator)
_PRICE_LISTS = table_of(PriceList)
_PRODUCTS = table_of(Product)
_LOTS = table_of(Lot)
_PAYMENTS = table_of(Payment)
_CARDS = table_of(GiftCard)
_LOADS = table_of(GiftCardLoad)


def head_select(*extra: Any, join: Callable[[Any], Any] = lambda j: j) -> Select[Any]:
    """The sale with what its documents name (counter, site, price list, the refunded sale's
    number), for one ``sale_id``; ``extra`` columns and ``join`` (more tables) for the caller."""
    joins = (
        _SALES.join(_COUNTERS, _COUNTERS.c.id == _SALES.c.counter_id)
        .join(_SITES, _SITES.c.id == _COUNTERS.c.site_id)
        .outerjoin(_PRICE_LISTS, _PRICE_LISTS.c.id == _SALES.c.price_list_id)
        .outerjoin(_ORIGINAL, _ORIGINAL.c.id == _SALES.c.original_sale_id)
    )
    return (
        select(
            _SALES,
            _COUNTERS.c.code.label("counter_code"),
            _COUNTERS.c.name.label("counter_name"),
            _COUNTERS.c.site_id,
            _SITES.c.name.label("site_name"),
            _SITES.c.address.label("site_address"),
            _SITES.c.city.label("site_city"),
            _PRICE_LISTS.c.code.label("price_list_code"),
            _ORIGINAL.c.number.label("original_number"),
            *extra,
        )
        .select_from(join(joins))
        .where(_SALES.c.id == bindparam("sale_id"))
    )


_HEAD = head_select(
    _USERS.c.name.label("operator"),
    # who completed it (the person logged in at payment), else, for older rows, who started it
    join=lambda j: j.outerjoin(_OPERATORS, _OPERATORS.c.sale_id == _SALES.c.id).outerjoin(
        _USERS, _USERS.c.id == func.coalesce(_OPERATORS.c.user_id, _SALES.c.user_id)
    ),
)
# a sale's lines with their products' codes and their lots' (callers add columns)
LINES_SELECT = (
    select(
        _LINES,
        _PRODUCTS.c.code.label("product_code"),
        _LOTS.c.code.label("lot_code"),
        _LOTS.c.expiry.label("lot_expiry"),
    )
    .select_from(
        _LINES.join(_PRODUCTS, _PRODUCTS.c.id == _LINES.c.product_id).outerjoin(_LOTS, _LOTS.c.id == _LINES.c.lot_id)
    )
    .where(_LINES.c.sale_id == bindparam("sale_id"))
    .order_by(_LINES.c.position, _LINES.c.id)
)
_DOC_PAYMENTS = (
    select(_PAYMENTS, _CARDS.c.code.label("card_code"), _CARDS.c.balance_cents.label("card_balance_cents"))
    .select_from(_PAYMENTS.outerjoin(_CARDS, _CARDS.c.id == _PAYMENTS.c.gift_card_id))
    .where(_PAYMENTS.c.sale_id == bindparam("sale_id"))
    .order_by(_PAYMENTS.c.id)
)
_DOC_CARDS = (
    select(_LOADS, _CARDS.c.expires_on)
    .select_from(_LOADS.outerjoin(_CARDS, _CARDS.c.id == _LOADS.c.gift_card_id))
    .where(_LOADS.c.sale_id == bindparam("sale_id"))
    .order_by(_LOADS.c.id)
)


def doc_line(row: Any, **given: Any) -> DocLine:
    """A line from a row holding a sale line's columns with ``product_code``, ``lot_code`` and
    ``lot_expiry``; ``given`` (the figures just computed, km0) replaces what the row says."""
    values: dict[str, Any] = {name: given[name] if name in given else getattr(row, name, None) for name in _LINE_FIELDS}
    values["km0"] = bool(values["km0"])
    values["product_code"] = values["product_code"] or ""
    if values["lot_id"] is None:
        values["lot_code"] = values["lot_expiry"] = None
    elif isinstance(values["lot_expiry"], date):
        values["lot_expiry"] = values["lot_expiry"].isoformat()
    return DocLine(**values)


_LINE_FIELDS = tuple(DocLine.__dataclass_fields__)


def doc_payment(row: Any, payment_id: int, card: tuple[str, int] | None = None) -> DocPayment:
    """A payment from a payments row (a mapping or a Row); ``card``: the gift card's code and balance."""
    get: Mapping[str, Any] = row if isinstance(row, dict) else row._mapping
    paid_by_card = get["method"] is PaymentMethod.GIFT_CARD and card is not None
    return DocPayment(
        id=payment_id,
        method=get["method"],
        amount_cents=get["amount_cents"],
        tendered_cents=get["tendered_cents"],
        change_cents=get["change_cents"],
        reference=get["reference"],
        card=mask(card[0]) if paid_by_card and card else None,
        card_balance_cents=card[1] if paid_by_card and card else None,
    )


def load_sale_doc(session: Session, sale_id: int, km0: Km0Rule | None = None) -> SaleDoc:
    """The sale as stored, in four Core reads; ``km0``: the rule marking the lines' km0 lots."""
    head = session.execute(_HEAD, {"sale_id": sale_id}).one_or_none()
    if head is None:
        raise NotFound(_("no sale {id}").format(id=sale_id))
    rows = list(session.execute(LINES_SELECT, {"sale_id": sale_id}))
    local = km0_lot_ids(session, km0, head.site_id, [row.lot_id for row in rows if row.lot_id]) if km0 else set[int]()
    payments = tuple(
        doc_payment(p, p.id, (p.card_code, p.card_balance_cents) if p.card_code is not None else None)
        for p in session.execute(_DOC_PAYMENTS, {"sale_id": sale_id})
    )
    cards = tuple(
        DocCard(
            id=load.id,
            kind=load.kind,
            code=load.code,
            amount_cents=load.amount_cents,
            balance_cents=load.balance_cents,
            full_code=load.code if load.generated else None,
            expires_on=load.expires_on.isoformat() if load.expires_on else None,
        )
        for load in session.execute(_DOC_CARDS, {"sale_id": sale_id})
    )
    return sale_doc(
        head,
        lines=tuple(doc_line(row, km0=row.lot_id in local) for row in rows),
        payments=payments,
        cards=cards,
    )


def sale_doc(head: Any, **given: Any) -> SaleDoc:
    """A document from a row holding the sale's columns with the counter's, the site's and the
    operator's (as ``_HEAD`` reads them); ``given`` replaces what the row says (the commit's
    number, status, figures...)."""
    fields: dict[str, Any] = {
        "id": head.id,
        "uuid": head.uuid,
        "kind": head.kind,
        "status": head.status,
        "number": head.number,
        "counter_id": head.counter_id,
        "counter_code": head.counter_code,
        "counter_name": head.counter_name,
        "site_id": head.site_id,
        "place": DocPlace(head.site_name, head.site_address, head.site_city),
        "shift_id": head.shift_id,
        "user_id": head.user_id,
        "operator": getattr(head, "operator", None) or "",
        "price_list_code": head.price_list_code,
        "customer_card": head.customer_card,
        "onsite": head.onsite,
        "take_away": head.take_away,
        "started_at": head.started_at,
        "completed_at": head.completed_at,
        "original_sale_id": head.original_sale_id,
        "original_number": getattr(head, "original_number", None),
        "tab_id": head.tab_id,
        "note": head.note,
        "lines": (),
        "payments": (),
        "cards": (),
        "total_cents": head.total_cents,
        "discount_cents": head.discount_cents,
    }
    fields.update(given)
    return SaleDoc(**fields)
