"""The sale lifecycle: start, add, change, discount, park, cancel, complete.

A sale is a database row from the moment it starts (status ``open``, with the UUID made then),
and every scanned line is committed as it is added: a killed till or a power cut loses nothing,
and the next start finds the open sale again (:func:`current_sale`).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from orto import limits, prepared
from orto.access import ACTING_COLUMNS, authorise, authorise_with
from orto.barcodes import classify
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import (
    Barcode,
    Counter,
    CounterKind,
    CustomerCard,
    DateType,
    Lot,
    PaymentMethod,
    PriceList,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
    Site,
    User,
    utcnow,
)
from orto.models.base import table_of
from orto.money import percent_of
from orto.policy import Action, Operator
from orto.prepared import Prepared
from orto.vat_choice import line_rate, take_away_matters
from pos.selling import scale
from pos.selling.audit import audit
from pos.selling.document import (
    DocCard,
    LineFigures,
    LineTerms,
    doc_line,
    line_terms,
    load_sale_doc,
    sale_doc,
    sale_figures,
    view_of,
)
from pos.selling.lots import LotRow, fefo_rows, lot_by_code, pick_lot_row, row_block_reason
from pos.selling.pricing import (
    MarkdownTerms,
    list_price,
    markdown_of,
    markdown_rules,
    price_rules,
    price_under,
)
from pos.selling.views import SaleView
from receipts.sale_doc import LINES_SELECT, head_select

DEFAULT_DISCOUNT_THRESHOLD_BP = 1000  # discounts above 10% need a manager


def business_date(moment: datetime | None = None) -> date:
    """The Milan day of ``moment`` (default: now), the day a sale and its Z belong to."""
    return local_day(moment or utcnow())


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


def open_shift_of(session: Session, counter_id: int) -> Shift | None:
    return session.scalar(
        select(Shift).where(Shift.counter_id == counter_id, Shift.status == ShiftStatus.OPEN).order_by(Shift.id.desc())
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def view(session: Session, sale: Sale, warnings: tuple[str, ...] = ()) -> SaleView:
    """What the till shows of a sale handled through the ORM: its document, read back."""
    session.flush()  # the loader reads with Core: the ORM's pending changes first
    return view_of(load_sale_doc(session, sale.id), warnings)


def _cards(session: Session, sale_id: int) -> tuple[DocCard, ...]:
    from pos.selling.gift_cards import card_lines

    return tuple(
        DocCard(id=c.id, kind=c.kind, code=c.code, amount_cents=c.amount_cents, balance_cents=c.balance_cents)
        for c in card_lines(session, sale_id)
    )


def get_sale(db: Database, sale_id: int) -> SaleView:
    with db.read() as session:
        return view(session, _sale(session, sale_id, lock=False))


def sale_by_reference(session: Session, reference: str, *, for_update: bool = False) -> Sale:
    """The sale a cashier names: its slip number (``PAL-1-000042``, in the slip's barcode), its UUID,
    or the number the till's status line shows while it is rung up (digits alone)."""
    text = reference.strip()
    match = (Sale.number == text) | (Sale.uuid == text)
    if text.isdigit() and len(text) < 18:
        match = match | (Sale.id == int(text))
    query = select(Sale).where(match)
    sale = session.scalar(query.with_for_update() if for_update else query)
    if sale is None:
        raise NotFound(_("no sale with number {number}").format(number=text))
    return sale


def find_sale(db: Database, reference: str) -> SaleView:
    """A sale by its number (as printed and encoded in the slip's barcode), UUID or the till's number."""
    with db.read() as session:
        return view(session, sale_by_reference(session, reference))


# ---------------------------------------------------------------- totals


def recompute(session: Session, sale: Sale, today: date) -> None:
    """The figures of a sale handled through the ORM (sale_figures), set on its lines and head."""
    rules = markdown_rules(session)
    terms: list[LineTerms] = []
    for line in sale.lines:
        product = session.get(Product, line.product_id)
        lot = session.get(Lot, line.lot_id) if line.lot_id else None
        terms.append(line_terms(line, product.category_id if product else None, lot, today, rules))
    done = sale_figures(terms, sale.sale_discount_bp, sale.sale_discount_cents, sale.gift_cards_cents)
    for line, fig in zip(sale.lines, done.lines, strict=True):
        line.markdown_cents, line.discount_cents, line.total_cents = (
            fig.markdown_cents,
            fig.discount_cents,
            fig.total_cents,
        )
    sale.total_cents = done.total_cents
    sale.discount_cents = done.discount_cents


# ---------------------------------------------------------------- lifecycle


def open_or_new_sale(session: Session, counter_id: int, actor: Operator) -> tuple[int, dict[str, Any] | None]:
    """The counter's open sale's id, or a new sale's id and the row it was made from, in the
    caller's transaction (``start_sale``, and a tab put on the sale in one write). Needs a shift."""
    counter = prepared.first(session, _START, {"counter_id": counter_id})
    if counter is None:
        raise NotFound(_("no counter {id}").format(id=counter_id))
    if counter.open_sale_id is not None:
        return counter.open_sale_id, None
    if counter.shift_id is None:
        raise NotAllowed(_("no shift is open at {counter}: open one first").format(counter=counter.name))
    row = {
        "uuid": str(uuid_module.uuid4()),
        "kind": SaleKind.SALE,
        "status": SaleStatus.OPEN,
        "counter_id": counter_id,
        "shift_id": counter.shift_id,
        "user_id": actor.id,
        "onsite": counter.kind is CounterKind.BAR,
        "started_at": utcnow(),
    }
    return prepared.scalar(session, _INSERT_SALE, row), row


def start_sale(db: Database, counter_id: int, actor: Operator) -> SaleView:
    """The counter's open sale (restored after a restart), or a new one. Needs an open shift."""
    with db.write(durable=False) as session:
        authorise(session, actor, Action.SELL)
        new_id, row = open_or_new_sale(session, counter_id, actor)
        if row is None:
            return view(session, _sale(session, new_id, lock=False))
        return SaleView(
            id=new_id,
            uuid=row["uuid"],
            kind=SaleKind.SALE,
            status=SaleStatus.OPEN,
            number=None,
            counter_id=counter_id,
            shift_id=row["shift_id"],
            user_id=actor.id,
            price_list=None,
            customer_card=None,
            onsite=row["onsite"],
            take_away=False,
            started_at=row["started_at"],
            completed_at=None,
            lines=(),
            total_cents=0,
            discount_cents=0,
            markdown_cents=0,
            vat=(),
            payments=(),
        )


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


class ProductRow(NamedTuple):
    """What a scan needs of a product, read in one Core query."""

    id: int
    code: str
    name: str
    category_id: int | None
    sold_by_weight: bool
    vat_rate_bp: int
    onsite_vat_rate_bp: int | None
    price_cents: int
    kitchen_item: bool
    active: bool


def resolve_code(session: Session, code: str, site: Site) -> tuple[Product, int | None, str | None]:
    """What a scanned or typed code means: (product, quantity from a scale label or None, kind).

    Tries scale labels, barcodes, product codes, in that order; anything else is refused naming
    the code and why.
    """
    row, quantity, kind, _lot = _resolve(session, code, site.scale_barcode_rules)
    product = session.get(Product, row.id)
    assert product is not None
    return product, quantity, kind


def _find(session: Session, stmt: Any, **params: Any) -> ProductRow | None:
    row = prepared.first(session, stmt, params)
    return ProductRow(*row) if row is not None else None


def _resolve(
    session: Session, code: str, rules: dict[str, Any] | None
) -> tuple[ProductRow, int | None, str, LotRow | None]:
    """(product, quantity from a scale label, kind, the lot when one of our lot codes was scanned)."""
    # a scanner's CR or LF ends the code; a control character inside it is a misread
    code = limits.text(code.strip() if isinstance(code, str) else code, _("scanned code"), 64)
    if not code:
        raise InvalidInput(_("nothing was scanned"))
    if scale.is_scale_label(code, rules):
        label = scale.decode(code, rules)
        product = _find(session, _PRODUCT_BY_PLU, plu=label.plu)
        if product is None:
            raise NotFound(_("scale label {code}: no product has PLU {plu}").format(code=code, plu=label.plu))
        if label.kind == "weight":
            return product, label.value, "scale", None
        if product.price_cents <= 0:
            raise InvalidInput(_("{product} has no price per kg").format(product=product.name))
        if not product.sold_by_weight:
            raise InvalidInput(
                _("scale label {code}: {product} is not sold by weight").format(code=code, product=product.name)
            )
        grams = max(1, (label.value * 1000 + product.price_cents // 2) // product.price_cents)
        return product, grams, "scale", None
    found = (
        _find(session, _PRODUCT_BY_BARCODE, code=code)
        or _find(session, _PRODUCT_BY_CODE, code=code)  # the index first: codes are typed as printed
        or _find(session, _PRODUCT_BY_UPPER_CODE, code=code.upper())
    )
    if found is not None:
        return found, None, "code", None
    # one of our lot codes (the lab's labels print it as a barcode): that lot's product, from that lot
    lot = lot_by_code(session, code)
    if lot is not None:
        found = _find(session, _PRODUCT_BY_ID, product_id=lot.product_id)
        assert found is not None
        return found, None, "lot", lot
    if code.isdigit() and len(code) in (8, 12, 13):
        classify(code)  # raises naming the wrong check digit: a misread, scan again
    from pos.selling.gift_cards import scanned_as_goods

    card = scanned_as_goods(session, code)
    if card is not None:
        raise InvalidInput(card)
    raise NotFound(_("unknown code {code}: no product has it").format(code=code))


def add_item(
    db: Database, sale_id: int, actor: Operator, code: str, *, quantity: int | None = None, today: date | None = None
) -> SaleView:
    """Add by barcode, scale label or product code. ``quantity``: pieces, or grams if weighed."""
    day = today or business_date()
    with db.write(durable=False) as session:  # the cart: see Database.write
        head = _scan_head(session, sale_id, actor)
        product, label_quantity, _kind, lot = _resolve(session, code, head.scale_barcode_rules)
        added = _add_line(session, head, product, label_quantity or quantity, code, day, lot)
        cards = _cards(session, head.id) if head.gift_cards_cents else ()
    return _open_view(*added, cards)  # built after the commit: the write lock is not held for it


def add_product(
    db: Database,
    sale_id: int,
    actor: Operator,
    product_id: int,
    *,
    quantity: int | None = None,
    today: date | None = None,
) -> SaleView:
    """Add a product chosen from a search or a quick key."""
    day = today or business_date()
    with db.write(durable=False) as session:  # the cart: see Database.write
        head = _scan_head(session, sale_id, actor)
        product = _find(session, _PRODUCT_BY_ID, product_id=product_id)
        if product is None:
            raise NotFound(_("no product {id}").format(id=product_id))
        added = _add_line(session, head, product, quantity, None, day)
        cards = _cards(session, head.id) if head.gift_cards_cents else ()
    return _open_view(*added, cards)


# ---------------------------------------------------------------- the scan path, in a few statements
#
# Adding a line is what a till does most: the sale with its counter and site is read in one
# query, the product in one, its lots here (FEFO, recalls) in one, the sale's lines with their
# products and lots in one, and the line and the new totals are written with Core statements.

_SALES = table_of(Sale)
_LINES = table_of(SaleLine)
_COUNTERS = table_of(Counter)
_SITES = table_of(Site)
_SHIFTS = table_of(Shift)
_USERS = table_of(User)
_PRICE_LISTS = table_of(PriceList)
_PRODUCTS = table_of(Product)
_BARCODES = table_of(Barcode)
_LOTS = table_of(Lot)

# start_sale in one query: the counter, its open shift, its open sale (if any) and the user's role
_START = Prepared(
    select(
        _COUNTERS.c.name,
        _COUNTERS.c.kind,
        select(_SHIFTS.c.id)
        .where(_SHIFTS.c.counter_id == _COUNTERS.c.id, _SHIFTS.c.status == ShiftStatus.OPEN)
        .order_by(_SHIFTS.c.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("shift_id"),
        select(_SALES.c.id)
        .where(_SALES.c.counter_id == _COUNTERS.c.id, _SALES.c.status == SaleStatus.OPEN)
        .order_by(_SALES.c.id)
        .limit(1)
        .scalar_subquery()
        .label("open_sale_id"),
    ).where(_COUNTERS.c.id == bindparam("counter_id"))
)
_INSERT_SALE = Prepared(
    insert(_SALES).returning(_SALES.c.id),
    ("uuid", "kind", "status", "counter_id", "shift_id", "user_id", "onsite", "started_at"),
)
_SCAN_HEAD = Prepared(
    head_select(
        _COUNTERS.c.location_id,
        _SITES.c.scale_barcode_rules,
        *ACTING_COLUMNS,  # who scans is checked on this row (orto.access.authorise_with)
        join=lambda j: j.outerjoin(_USERS, _USERS.c.id == bindparam("operator_id")),
    ).with_for_update(of=_SALES)
)
_PRODUCT_COLUMNS = (
    _PRODUCTS.c.id,
    _PRODUCTS.c.code,
    _PRODUCTS.c.name,
    _PRODUCTS.c.category_id,
    _PRODUCTS.c.sold_by_weight,
    _PRODUCTS.c.vat_rate_bp,
    _PRODUCTS.c.onsite_vat_rate_bp,
    _PRODUCTS.c.price_cents,
    _PRODUCTS.c.kitchen_item,
    _PRODUCTS.c.active,
)
_PRODUCT_BY_ID = Prepared(select(*_PRODUCT_COLUMNS).where(_PRODUCTS.c.id == bindparam("product_id")))
_PRODUCT_BY_PLU = Prepared(select(*_PRODUCT_COLUMNS).where(_PRODUCTS.c.plu == bindparam("plu")))
_PRODUCT_BY_BARCODE = Prepared(
    select(*_PRODUCT_COLUMNS)
    .join_from(_PRODUCTS, _BARCODES, _BARCODES.c.product_id == _PRODUCTS.c.id)
    .where(_BARCODES.c.code == bindparam("code"))
)
_PRODUCT_BY_CODE = Prepared(select(*_PRODUCT_COLUMNS).where(_PRODUCTS.c.code == bindparam("code")))
_PRODUCT_BY_UPPER_CODE = Prepared(select(*_PRODUCT_COLUMNS).where(func.upper(_PRODUCTS.c.code) == bindparam("code")))
_SALE_LINES = Prepared(LINES_SELECT.add_columns(_PRODUCTS.c.category_id, _LOTS.c.date_type.label("lot_date_type")))
_LINE_KEYS = (
    "sale_id",
    "position",
    "product_id",
    "description",
    "quantity",
    "weighed",
    "list_price_cents",
    "unit_price_cents",
    "price_overridden",
    "lot_id",
    "markdown_cents",
    "discount_cents",
    "vat_rate_bp",
    "take_away",
    "total_cents",
    "scanned_code",
    "kitchen_item",
)
_INSERT_LINE = Prepared(insert(_LINES).returning(_LINES.c.id), _LINE_KEYS)
_LINE_FIGURES = Prepared(
    update(_LINES)
    .where(_LINES.c.id == bindparam("b_line"))
    .values(
        quantity=bindparam("b_quantity"),
        markdown_cents=bindparam("b_markdown"),
        discount_cents=bindparam("b_discount"),
        total_cents=bindparam("b_total"),
    )
)
_SALE_TOTALS = Prepared(
    update(_SALES)
    .where(_SALES.c.id == bindparam("b_sale"))
    .values(total_cents=bindparam("b_total"), discount_cents=bindparam("b_discount"))
)


class _LotDates(NamedTuple):  # a lot as markdown_of reads it (pricing.LotDates)
    expiry: date | None
    date_type: DateType | None


@dataclass
class _Line:
    """A line of the sale being rung, as read (or about to be inserted) and as it will be."""

    id: int | None
    position: int
    product_id: int
    product_code: str
    category_id: int | None
    description: str
    quantity: int
    weighed: bool
    list_price_cents: int
    unit_price_cents: int
    price_overridden: bool
    line_discount_bp: int | None
    line_discount_cents: int | None
    vat_rate_bp: int
    take_away: bool
    lot_id: int | None
    lot_code: str | None
    lot: _LotDates | None
    kitchen_item: bool
    note: str | None
    scanned_code: str | None
    was: tuple[int, int, int, int]  # quantity, markdown, discount, total as stored
    figures: LineFigures | None = None


def _scan_head(session: Session, sale_id: int, actor: Operator) -> Any:
    head = prepared.first(session, _SCAN_HEAD, {"sale_id": sale_id, "operator_id": actor.id})
    authorise_with(session, actor, Action.SELL, head)
    if head is None:
        raise NotFound(_("no sale {id}").format(id=sale_id))
    if head.status is not SaleStatus.OPEN:
        raise NotAllowed(_("sale {id} is {status}, not open").format(id=sale_id, status=_(head.status.value)))
    return head


def _read_lines(session: Session, sale_id: int) -> list[_Line]:
    return [
        _Line(
            id=ln.id,
            position=ln.position,
            product_id=ln.product_id,
            product_code=ln.product_code,
            category_id=ln.category_id,
            description=ln.description,
            quantity=ln.quantity,
            weighed=ln.weighed,
            list_price_cents=ln.list_price_cents,
            unit_price_cents=ln.unit_price_cents,
            price_overridden=ln.price_overridden,
            line_discount_bp=ln.line_discount_bp,
            line_discount_cents=ln.line_discount_cents,
            vat_rate_bp=ln.vat_rate_bp,
            take_away=ln.take_away,
            lot_id=ln.lot_id,
            lot_code=ln.lot_code,
            lot=_LotDates(ln.lot_expiry, ln.lot_date_type) if ln.lot_id is not None else None,
            kitchen_item=ln.kitchen_item,
            note=ln.note,
            scanned_code=ln.scanned_code,
            was=(ln.quantity, ln.markdown_cents, ln.discount_cents, ln.total_cents),
        )
        for ln in prepared.rows(session, _SALE_LINES, {"sale_id": sale_id})
    ]


def _add_line(
    session: Session,
    head: Any,
    product: ProductRow,
    quantity: int | None,
    scanned: str | None,
    today: date,
    scanned_lot: LotRow | None = None,
) -> tuple[Any, list[_Line], int, int, tuple[str, ...]]:
    """Add the line and store the new figures; returns what :func:`_open_view` shows.

    ``scanned_lot``: the lot whose code was scanned: the line sells that lot (refused if it is
    blocked), whatever the ledger says is here.
    """
    if not product.active:
        raise NotAllowed(_("{product} is no longer sold").format(product=product.name))
    if quantity is None:
        if product.sold_by_weight:
            raise InvalidInput(_("{product} is sold by weight: type the weight").format(product=product.name))
        quantity = 1
    quantity = limits.quantity(quantity, _("quantity"), by_weight=product.sold_by_weight, minimum=-limits.MAX_INT)
    if quantity <= 0:
        raise InvalidInput(_("the quantity must be more than zero"))
    if scanned_lot is not None:
        reason = row_block_reason(scanned_lot, today)
        if reason is not None:
            raise NotAllowed(reason)
        lot: LotRow | None = scanned_lot
    else:
        lot = pick_lot_row(fefo_rows(session, [product.id], head.location_id, lock=False)[product.id], today)
    rules = markdown_rules(session)
    warnings: list[str] = []
    markdown = markdown_of(product.category_id, lot, today, rules)
    if markdown is not None and markdown.past_date and lot is not None:
        warnings.append(
            _("{product}: lot {lot} is past its best-before date, sold marked down").format(
                product=product.name, lot=lot.code
            )
        )
    lines = _read_lines(session, head.id)
    # the same piece item scanned again adds to its line, as customers expect on the slip
    for line in lines:
        if (
            line.product_id == product.id
            and not line.weighed
            and not product.sold_by_weight
            and not line.price_overridden
            and not line.line_discount_bp
            and not line.line_discount_cents
            and line.lot_id == (lot.id if lot else None)
            and line.take_away == head.take_away
        ):
            line.quantity += quantity
            break
    else:
        rate = line_rate(product.vat_rate_bp, product.onsite_vat_rate_bp, head.onsite, head.take_away)
        price = (
            price_under(price_rules(session, head.price_list_id), product.id, product.category_id, product.price_cents)
            if head.price_list_id is not None
            else product.price_cents
        )
        lines.append(
            _Line(
                id=None,
                position=max((ln.position for ln in lines), default=0) + 1,
                product_id=product.id,
                product_code=product.code,
                category_id=product.category_id,
                description=product.name,
                quantity=quantity,
                weighed=product.sold_by_weight,
                list_price_cents=product.price_cents,
                unit_price_cents=price,
                price_overridden=False,
                line_discount_bp=None,
                line_discount_cents=None,
                vat_rate_bp=rate,
                take_away=head.take_away,
                lot_id=lot.id if lot else None,
                lot_code=lot.code if lot else None,
                lot=_LotDates(lot.expiry, lot.date_type) if lot else None,
                kitchen_item=product.kitchen_item,
                note=None,
                scanned_code=scanned,
                was=(0, 0, 0, 0),
            )
        )
    _figure_lines(session, lines, head.sale_discount_bp, head.sale_discount_cents, today, rules)
    total, discount = _store_lines(session, head.id, lines)
    total += head.gift_cards_cents  # the gift cards sold on the sale: outside the lines' figures
    if (total, discount) != (head.total_cents, head.discount_cents):
        prepared.run(session, _SALE_TOTALS, {"b_sale": head.id, "b_total": total, "b_discount": discount})
    return head, lines, total, discount, tuple(warnings)


def _figure_lines(
    session: Session,
    lines: list[_Line],
    sale_discount_bp: int | None,
    sale_discount_cents: int | None,
    today: date,
    rules: Mapping[int | None, MarkdownTerms],
) -> None:
    """sale_figures on the lines read as rows; each line keeps its own."""
    terms = [line_terms(line, line.category_id, line.lot, today, rules) for line in lines]
    for line, fig in zip(lines, sale_figures(terms, sale_discount_bp, sale_discount_cents).lines, strict=True):
        line.figures = fig


def _store_lines(session: Session, sale_id: int, lines: list[_Line]) -> tuple[int, int]:
    """Insert the new line, update those whose figures moved; returns the sale's total and discount."""
    changed = []
    for line in lines:
        fig = line.figures
        assert fig is not None
        if line.id is None:
            line.id = prepared.scalar(
                session,
                _INSERT_LINE,
                {
                    "sale_id": sale_id,
                    "position": line.position,
                    "product_id": line.product_id,
                    "description": line.description,
                    "quantity": line.quantity,
                    "weighed": line.weighed,
                    "list_price_cents": line.list_price_cents,
                    "unit_price_cents": line.unit_price_cents,
                    "price_overridden": False,
                    "lot_id": line.lot_id,
                    "markdown_cents": fig.markdown_cents,
                    "discount_cents": fig.discount_cents,
                    "vat_rate_bp": line.vat_rate_bp,
                    "take_away": line.take_away,
                    "total_cents": fig.total_cents,
                    "scanned_code": line.scanned_code,
                    "kitchen_item": line.kitchen_item,
                },
            )
        elif line.was != (line.quantity, fig.markdown_cents, fig.discount_cents, fig.total_cents):
            changed.append(
                {
                    "b_line": line.id,
                    "b_quantity": line.quantity,
                    "b_markdown": fig.markdown_cents,
                    "b_discount": fig.discount_cents,
                    "b_total": fig.total_cents,
                }
            )
    if changed:
        prepared.run_many(session, _LINE_FIGURES, changed)
    return (
        sum(ln.figures.total_cents for ln in lines if ln.figures),
        sum(ln.figures.discount_cents for ln in lines if ln.figures),
    )


def _open_view(
    head: Any, lines: list[_Line], total: int, discount: int, warnings: tuple[str, ...], cards: tuple[DocCard, ...] = ()
) -> SaleView:
    """The view of an open sale from the rows in hand (an open sale has no payments yet)."""
    doc = sale_doc(
        head,
        lines=tuple(
            doc_line(
                line,
                id=line.id or 0,
                lot_expiry=line.lot.expiry if line.lot else None,
                markdown_cents=line.figures.markdown_cents if line.figures else 0,
                discount_cents=line.figures.discount_cents if line.figures else 0,
                total_cents=line.figures.total_cents if line.figures else 0,
            )
            for line in lines
        ),
        cards=cards,
        total_cents=total,
        discount_cents=discount,
    )
    return view_of(doc, warnings)


def _line(sale: Sale, line_id: int) -> SaleLine:
    for line in sale.lines:
        if line.id == line_id:
            return line
    raise NotFound(_("no line {id} on this sale").format(id=line_id))


def set_quantity(db: Database, sale_id: int, actor: Operator, line_id: int, quantity: int) -> SaleView:
    limits.integer(quantity, _("quantity"))  # its limit depends on the line: checked below
    if quantity <= 0:
        raise InvalidInput(_("the quantity must be more than zero"))
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        if line.quantity != quantity:
            audit(
                session,
                "line_quantity",
                actor.id,
                counter_id=sale.counter_id,
                entity="sale_line",
                entity_id=line.id,
                details={
                    "product_id": line.product_id,
                    "from": line.quantity,
                    "to": quantity,
                    "change": "lowered" if quantity < line.quantity else "raised",
                },
            )
        line.quantity = limits.quantity(quantity, _("quantity"), by_weight=line.weighed)
        recompute(session, sale, business_date())
        return view(session, sale)


def remove_line(db: Database, sale_id: int, actor: Operator, line_id: int) -> SaleView:
    """Take a line off a sale not yet paid (recorded in the audit log: voids are watched)."""
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        audit(
            session,
            "line_removed",
            actor.id,
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


def set_take_away(
    db: Database, sale_id: int, actor: Operator, take_away: bool, *, line_id: int | None = None
) -> SaleView:
    """Take-away at the bar: the shelf VAT rate instead of the on-site one (orto.vat_choice).

    ``line_id``: that line only; None: the whole sale, its lines and those added after. Only a
    sale served on site (a bar counter's) has the choice; a sale from a tab is served on site
    (take-away is rung as a sale of its own). Prices stay as they are: VAT is inside the price.
    """
    if not isinstance(take_away, bool):
        raise InvalidInput(_("take-away is yes or no"))
    if line_id is not None:
        limits.whole(line_id, _("line"))
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        if not sale.onsite:
            raise NotAllowed(_("take-away is for the bar counters: here everything is sold at the shelf rate"))
        if sale.tab_id is not None:
            raise NotAllowed(_("a tab is served on site: ring a take-away as a sale of its own"))
        chosen = [_line(sale, line_id)] if line_id is not None else list(sale.lines)
        if line_id is None:
            sale.take_away = take_away
        products = {
            p.id: p for p in session.scalars(select(Product).where(Product.id.in_([ln.product_id for ln in chosen])))
        }
        for line in chosen:
            product = products[line.product_id]
            line.take_away = take_away
            line.vat_rate_bp = line_rate(product.vat_rate_bp, product.onsite_vat_rate_bp, sale.onsite, take_away)
        audit(
            session,
            "take_away",
            actor.id,
            counter_id=sale.counter_id,
            entity="sale_line" if line_id is not None else "sale",
            entity_id=line_id if line_id is not None else sale.id,
            details={
                "take_away": take_away,
                "lines_changing_rate": sum(
                    take_away_matters(products[ln.product_id].onsite_vat_rate_bp, sale.onsite) for ln in chosen
                ),
            },
        )
        session.flush()
        return view(session, sale)


def _check_discount(percent_bp: int | None, amount_cents: int | None) -> None:
    if percent_bp is not None:
        limits.whole(percent_bp, _("discount percentage"), minimum=-limits.MAX_INT)
    if amount_cents is not None:
        limits.cents(amount_cents, _("discount amount"), minimum=-limits.MAX_INT)
    if (percent_bp is None) == (amount_cents is None):
        raise InvalidInput(_("give either a percentage or an amount"))
    if (percent_bp or 0) < 0 or (amount_cents or 0) < 0 or (percent_bp or 0) > 10_000:
        raise InvalidInput(_("a discount is between 0 and 100%"))


def _approve_discount(
    session: Session,
    settings: Settings | None,
    actor: Operator,
    base: int,
    percent_bp: int | None,
    amount_cents: int | None,
    approver_pin: str | None,
) -> int | None:
    """A discount above the threshold needs a manager; returns the approver (None when not needed)."""
    amount = percent_of(base, percent_bp) if percent_bp is not None else min(amount_cents or 0, base)
    if base > 0 and amount * 10_000 > base * discount_threshold_bp(settings):
        return authorise(session, actor, Action.DISCOUNT_OVER_THRESHOLD, approver_pin)
    return None


def discount_line(
    db: Database,
    settings: Settings | None,
    sale_id: int,
    actor: Operator,
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
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        base = line.total_cents + line.discount_cents
        approver = _approve_discount(session, settings, actor, base, percent_bp, amount_cents, approver_pin)
        line.line_discount_bp, line.line_discount_cents = percent_bp, amount_cents
        recompute(session, sale, day)
        audit(
            session,
            "discount",
            actor.id,
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
    actor: Operator,
    *,
    percent_bp: int | None = None,
    amount_cents: int | None = None,
    approver_pin: str | None = None,
) -> SaleView:
    """A discount on the whole sale, spread over the lines so VAT stays exact per rate."""
    _check_discount(percent_bp, amount_cents)
    day = business_date()
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        sale.sale_discount_bp, sale.sale_discount_cents = None, None
        recompute(session, sale, day)
        base = sale.total_cents - sale.gift_cards_cents  # a discount is on the goods, never on a gift card
        approver = _approve_discount(session, settings, actor, base, percent_bp, amount_cents, approver_pin)
        sale.sale_discount_bp, sale.sale_discount_cents = percent_bp, amount_cents
        recompute(session, sale, day)
        audit(
            session,
            "discount",
            actor.id,
            approver_id=approver,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"percent_bp": percent_bp, "amount_cents": amount_cents},
        )
        return view(session, sale)


def override_price(
    db: Database, sale_id: int, actor: Operator, line_id: int, unit_price_cents: int, *, approver_pin: str | None = None
) -> SaleView:
    """Change a line's unit price: always with a manager's approval (a manager approves their own)."""
    limits.cents(unit_price_cents, _("unit price"), minimum=-limits.MAX_INT)
    if unit_price_cents < 0:
        raise InvalidInput(_("a price cannot be negative"))
    with db.write() as session:
        sale = _open_sale(session, sale_id)
        line = _line(sale, line_id)
        approver = authorise(session, actor, Action.PRICE_OVERRIDE, approver_pin)
        audit(
            session,
            "price_override",
            actor.id,
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


CARD_POLICIES = ("warn", "refuse")


def card_policy(settings: Settings | None) -> str:
    """``[selling] social_card_unknown``: refuse a card no customer holds, or warn and go on (default)."""
    value = str((settings.section("selling") if settings else {}).get("social_card_unknown", "warn"))
    if value not in CARD_POLICIES:
        raise InvalidInput(
            _("[selling] social_card_unknown = {value!r}: 'refuse' or 'warn' expected").format(value=value)
        )
    return value


def check_card(session: Session, number: str, today: date, policy: str) -> tuple[int | None, str | None]:
    """The customer holding a valid card ``number`` and a warning, or a refusal (see ``card_policy``)."""
    card = session.scalar(select(CustomerCard).where(CustomerCard.number == number.upper()))
    if card is None or not card.active:
        if policy == "refuse":
            raise NotFound(_("card {number} is not held by any customer").format(number=number))
        return None, _("card {number} is not held by any customer: check it").format(number=number)
    if card.valid_until < today:
        raise NotAllowed(_("card {number} expired on {day}").format(number=number, day=card.valid_until.isoformat()))
    return card.customer_id, None


def set_price_list(
    db: Database,
    sale_id: int,
    actor: Operator,
    code: str | None,
    *,
    card: str | None = None,
    settings: Settings | None = None,
) -> SaleView:
    """Sell at a price list: ``tessera`` needs the neighbourhood card number; None for the base list.

    A card is looked up among the customers' cards: an expired one is refused, an unknown one
    refused or let through with a warning as ``[selling] social_card_unknown`` says.
    """
    warnings: tuple[str, ...] = ()
    limits.optional_text(card, _("card number"), limits.column_length(Sale.customer_card))
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        if code is None or code == "base":
            sale.price_list_id, sale.customer_card = None, None
        else:
            price_list = session.scalar(select(PriceList).where(PriceList.code == code, PriceList.active.is_(True)))
            if price_list is None:
                raise NotFound(_("no price list {code}").format(code=code))
            if price_list.requires_card and not (card and card.strip()):
                raise InvalidInput(_("{name} needs the card number").format(name=price_list.name))
            number = (card or "").strip() or None
            if price_list.requires_card and number:
                holder, warning = check_card(session, number, business_date(), card_policy(settings))
                warnings = (warning,) if warning else ()
                if holder is not None:
                    sale.customer_id = holder
            sale.price_list_id, sale.customer_card = price_list.id, number
        for line in sale.lines:
            if not line.price_overridden:
                product = session.get(Product, line.product_id)
                assert product is not None
                line.unit_price_cents = list_price(session, product, sale.price_list_id)
        recompute(session, sale, business_date())
        audit(
            session,
            "price_list",
            actor.id,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"code": code, "card": sale.customer_card},
        )
        return view(session, sale, warnings)


def park_sale(db: Database, sale_id: int, actor: Operator, note: str | None = None) -> SaleView:
    limits.optional_text(note, _("note"), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        if not sale.lines and not sale.gift_cards_cents:
            raise NotAllowed(_("an empty sale cannot be parked"))
        sale.status = SaleStatus.PARKED
        sale.note = note
        return view(session, sale)


def resume_sale(db: Database, sale_id: int, actor: Operator) -> SaleView:
    """Bring a parked sale back; the counter's open sale must be empty (or park it first)."""
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _sale(session, sale_id)
        if sale.status is not SaleStatus.PARKED:
            raise NotAllowed(_("sale {id} is not parked").format(id=sale_id))
        current = session.scalar(select(Sale).where(Sale.counter_id == sale.counter_id, Sale.status == SaleStatus.OPEN))
        if current is not None:
            if current.lines or current.gift_cards_cents:
                raise NotAllowed(_("park or finish the current sale first"))
            current.status, current.cancelled_at, current.cancel_reason = (
                SaleStatus.CANCELLED,
                utcnow(),
                "empty, replaced by a resumed sale",
            )
        shift = open_shift_of(session, sale.counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open: open one first"))
        sale.status, sale.shift_id, sale.user_id = SaleStatus.OPEN, shift.id, actor.id
        recompute(session, sale, business_date())
        return view(session, sale)


def cancel_sale(
    db: Database, sale_id: int, actor: Operator, reason: str, *, approver_pin: str | None = None
) -> SaleView:
    """Cancel an unpaid sale: it stays on record as cancelled, with who and why."""
    limits.text(reason, _("reason"), lines=True)
    with db.write() as session:
        sale = _sale(session, sale_id)
        if sale.status not in (SaleStatus.OPEN, SaleStatus.PARKED):
            raise NotAllowed(_("only a sale not yet paid can be cancelled; refund it instead"))
        approver = authorise(session, actor, Action.CANCEL_SALE, approver_pin)
        sale.status, sale.cancelled_at, sale.cancel_reason = SaleStatus.CANCELLED, utcnow(), reason
        audit(
            session,
            "sale_cancelled",
            actor.id,
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
