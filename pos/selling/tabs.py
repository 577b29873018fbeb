"""Bar tabs: open by table or name, add rounds, send food to the kitchen, move, merge, split, close.

A tab becomes one or more sales when it is paid: choose its lines (split by items) or take all
of them; the till then pays that sale like any other. Splitting evenly in N parts keeps one sale
and takes N payments of :func:`split_evenly` each (cents spread so the parts sum exactly). The
tab closes when every line is on a completed sale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    Counter,
    CounterKind,
    Lot,
    PrinterRole,
    Product,
    Sale,
    SaleLine,
    SaleStatus,
    Tab,
    TabLine,
    TabStatus,
    utcnow,
)
from orto.money import price_for_quantity
from orto.policy import Action, Operator
from orto.vat_choice import line_rate
from pos.selling.audit import audit
from pos.selling.document import LineFigures, LineTerms, figures
from pos.selling.lots import pick_lot
from pos.selling.pricing import list_price, markdown_for, markdown_rules
from pos.selling.sales import business_date, open_or_new_sale, recompute, view
from pos.selling.views import SaleView


@dataclass(frozen=True)
class TabLineView:
    id: int
    product_id: int
    description: str
    quantity: int
    unit_price_cents: int
    markdown_cents: int  # near-expiry markdown of the lot it will be sold from, as the payment takes it
    total_cents: int  # what the payment will ask for the line
    round_number: int
    kitchen_item: bool
    sent_to_kitchen: bool
    note: str | None


@dataclass(frozen=True)
class TabView:
    id: int
    label: str
    status: TabStatus
    opened_at: datetime
    lines: tuple[TabLineView, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)


def split_evenly(total_cents: int, parts: int) -> list[int]:
    """N amounts that sum exactly to the total; the first ones carry the leftover cents."""
    limits.whole(parts, _("parts"), maximum=limits.MAX_SPLIT_PARTS, minimum=-limits.MAX_INT)
    if parts < 1:
        raise InvalidInput(_("split in at least one part"))
    base, extra = divmod(total_cents, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _unpaid(session: Session, tab: Tab) -> list[TabLine]:
    lines = []
    for line in tab.lines:
        if line.void:
            continue
        if line.sale_id is not None:
            sale = session.get(Sale, line.sale_id)
            if sale is not None and sale.status is not SaleStatus.CANCELLED:
                continue
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Charge:
    """What paying a tab line will charge: the lot it comes from, its VAT rate and its figures."""

    line: TabLine
    product: Product
    lot: Lot | None
    vat_rate_bp: int
    figures: LineFigures


def _charges(
    session: Session, tab: Tab, lines: Sequence[TabLine], today: date, onsite: bool, *, strict: bool
) -> list[Charge]:
    """The one computation of what the tab's lines come to, shared by the tab's view and
    :func:`tab_to_sale`: the lot picked first-expired-first-out at the tab's counter, its
    near-expiry markdown (:func:`markdown_for`) and the line figures (:func:`figures`).

    ``strict``: a line whose every lot is blocked raises (the payment refuses it); the view shows
    it at its price instead, the payment then saying why.
    """
    counter = session.get(Counter, tab.counter_id)
    assert counter is not None
    rules = markdown_rules(session)
    picked: list[tuple[TabLine, Product, Lot | None]] = []
    terms: list[LineTerms] = []
    for line in lines:
        product = session.get(Product, line.product_id)
        assert product is not None
        try:
            lot = pick_lot(session, product, counter.location_id, today)
        except NotAllowed:
            if strict:
                raise
            lot = None
        markdown = markdown_for(session, product, lot, today, rules)
        picked.append((line, product, lot))
        terms.append(
            LineTerms(
                price_for_quantity(line.unit_price_cents, line.quantity, False),
                markdown.percent_bp if markdown else None,
                None,
                None,
            )
        )
    return [
        Charge(
            line,
            product,
            lot,
            # rounds on a tab are served on site: a take-away is rung as a sale (docs/till.md)
            line_rate(product.vat_rate_bp, product.onsite_vat_rate_bp, onsite, False),
            fig,
        )
        for (line, product, lot), fig in zip(picked, figures(terms, None, None), strict=True)
    ]


def _tab_view(session: Session, tab: Tab, today: date | None = None) -> TabView:
    counter = session.get(Counter, tab.counter_id)
    onsite = counter is not None and counter.kind is CounterKind.BAR
    charges = _charges(session, tab, _unpaid(session, tab), today or business_date(), onsite, strict=False)
    return TabView(
        tab.id,
        tab.label,
        tab.status,
        tab.opened_at,
        tuple(
            TabLineView(
                c.line.id,
                c.line.product_id,
                c.line.description,
                c.line.quantity,
                c.line.unit_price_cents,
                c.figures.markdown_cents,
                c.figures.total_cents,
                c.line.round_number,
                c.line.kitchen_item,
                c.line.sent_to_kitchen_at is not None,
                c.line.note,
            )
            for c in charges
        ),
    )


def _tab(session: Session, tab_id: int) -> Tab:
    tab = session.get(Tab, tab_id, with_for_update=True)
    if tab is None:
        raise NotFound(_("no tab {id}").format(id=tab_id))
    if tab.status is not TabStatus.OPEN:
        raise NotAllowed(_("tab {label} is closed").format(label=tab.label))
    return tab


def open_tab(db: Database, counter_id: int, actor: Operator, label: str) -> TabView:
    label = limits.text(label, _("table or name"), limits.column_length(Tab.label)).strip()
    if not label:
        raise InvalidInput(_("give the table number or a name"))
    with db.write() as session:
        authorise(session, actor, Action.TAB)
        clash = session.scalar(
            select(Tab).where(Tab.counter_id == counter_id, Tab.label == label, Tab.status == TabStatus.OPEN)
        )
        if clash is not None:
            raise NotAllowed(_("tab {label} is already open").format(label=label))
        tab = Tab(counter_id=counter_id, label=label, opened_by=actor.id)
        session.add(tab)
        session.flush()
        return _tab_view(session, tab)


def open_tabs(db: Database, counter_id: int) -> list[TabView]:
    with db.read() as session:
        tabs = session.scalars(
            select(Tab).where(Tab.counter_id == counter_id, Tab.status == TabStatus.OPEN).order_by(Tab.opened_at)
        )
        return [_tab_view(session, t) for t in tabs]


def get_tab(db: Database, tab_id: int) -> TabView:
    with db.read() as session:
        tab = session.get(Tab, tab_id)
        if tab is None:
            raise NotFound(_("no tab {id}").format(id=tab_id))
        return _tab_view(session, tab)


def add_round(db: Database, tab_id: int, actor: Operator, items: Sequence[tuple[int, int, str | None]]) -> TabView:
    """A round of (product id, quantity, note) items; prices are those of the moment of ordering."""
    if not items:
        raise InvalidInput(_("a round needs at least one item"))
    for number, (product_id, quantity, note) in enumerate(items, start=1):
        limits.whole(product_id, _("item {n}: product").format(n=number))
        limits.whole(
            quantity, _("item {n}: quantity").format(n=number), maximum=limits.MAX_LINE_PIECES, minimum=-limits.MAX_INT
        )
        limits.optional_text(note, _("item {n}: note").format(n=number), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.TAB)
        tab = _tab(session, tab_id)
        round_number = max((ln.round_number for ln in tab.lines), default=0) + 1
        for product_id, quantity, note in items:
            product = session.get(Product, product_id)
            if product is None or not product.active:
                raise NotFound(_("no product {id}").format(id=product_id))
            if quantity <= 0 or product.sold_by_weight:
                raise InvalidInput(_("{product}: a tab takes whole pieces").format(product=product.name))
            tab.lines.append(
                TabLine(
                    product_id=product.id,
                    description=product.name,
                    quantity=quantity,
                    unit_price_cents=list_price(session, product, None),
                    round_number=round_number,
                    kitchen_item=product.kitchen_item,
                    note=note,
                    added_by=actor.id,
                )
            )
        session.flush()
        return _tab_view(session, tab)


def send_to_kitchen(db: Database, settings: Settings, tab_id: int, actor: Operator) -> list[int]:
    """Queue an order ticket with the tab's kitchen items not yet sent; returns the print job ids."""
    from receipts.jobs import printer_for, queue_document
    from receipts.snapshots import kitchen_snapshot

    with db.write() as session:
        authorise(session, actor, Action.TAB)
        tab = _tab(session, tab_id)
        pending = [ln for ln in _unpaid(session, tab) if ln.kitchen_item and ln.sent_to_kitchen_at is None]
        if not pending:
            return []
        counter = session.get(Counter, tab.counter_id)
        assert counter is not None
        now = utcnow()
        for line in pending:
            line.sent_to_kitchen_at = now
        printer = printer_for(settings, counter.code, PrinterRole.KITCHEN)
        audit(
            session,
            "kitchen_order",
            actor.id,
            counter_id=counter.id,
            entity="tab",
            entity_id=tab.id,
            details={"items": len(pending)},
        )
        if not printer:
            return []
        job = queue_document(
            session,
            printer=printer,
            role=PrinterRole.KITCHEN,
            doc_type="kitchen",
            doc_id=tab.id,
            counter_id=counter.id,
            document=kitchen_snapshot(
                counter, label=tab.label, lines=[(ln.description, ln.quantity, ln.note) for ln in pending]
            ),
        )
        return [job.id]


def move_lines(db: Database, line_ids: Sequence[int], to_tab_id: int, actor: Operator) -> TabView:
    with db.write() as session:
        authorise(session, actor, Action.TAB)
        target = _tab(session, to_tab_id)
        for line_id in line_ids:
            line = session.get(TabLine, line_id)
            if line is None or line.sale_id is not None or line.void:
                raise NotFound(_("no open tab line {id}").format(id=line_id))
            _tab(session, line.tab_id)
            line.tab_id = target.id
        audit(session, "tab_move", actor.id, entity="tab", entity_id=target.id, details={"lines": list(line_ids)})
        session.flush()
        session.refresh(target)
        return _tab_view(session, target)


def merge_tabs(db: Database, from_tab_id: int, into_tab_id: int, actor: Operator) -> TabView:
    if from_tab_id == into_tab_id:
        raise InvalidInput(_("choose two different tabs"))
    with db.write() as session:
        authorise(session, actor, Action.TAB)
        source, target = _tab(session, from_tab_id), _tab(session, into_tab_id)
        for line in list(source.lines):
            if line.sale_id is None:
                line.tab_id = target.id
        source.status, source.closed_at, source.merged_into_id = TabStatus.MERGED, utcnow(), target.id
        audit(session, "tab_merge", actor.id, entity="tab", entity_id=target.id, details={"from": source.label})
        session.flush()
        session.refresh(target)
        return _tab_view(session, target)


def tab_to_sale(
    db: Database, tab_id: int, counter_id: int, actor: Operator, line_ids: Sequence[int] | None = None
) -> SaleView:
    """Put the tab's lines (all unpaid ones, or those chosen) on the counter's sale, to be paid:
    one transaction, so a refusal leaves no empty sale behind it."""
    today = business_date()
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        authorise(session, actor, Action.TAB)
        tab = _tab(session, tab_id)
        sale_id, _new = open_or_new_sale(session, counter_id, actor)
        sale = session.get(Sale, sale_id, with_for_update=True)
        assert sale is not None
        if sale.lines and sale.tab_id != tab.id:
            raise NotAllowed(_("finish or park the current sale first"))
        chosen = [ln for ln in _unpaid(session, tab) if line_ids is None or ln.id in set(line_ids)]
        if not chosen:
            raise NotAllowed(_("nothing left to pay on tab {label}").format(label=tab.label))
        sale.tab_id = tab.id
        sale.take_away = False  # a tab is served on site
        for charge in _charges(session, tab, chosen, today, sale.onsite, strict=True):
            line, product, lot = charge.line, charge.product, charge.lot
            sale.lines.append(
                SaleLine(
                    position=max((x.position for x in sale.lines), default=0) + 1,
                    product_id=product.id,
                    description=line.description,
                    quantity=line.quantity,
                    weighed=False,
                    list_price_cents=line.unit_price_cents,
                    unit_price_cents=line.unit_price_cents,
                    vat_rate_bp=charge.vat_rate_bp,
                    markdown_cents=charge.figures.markdown_cents,
                    total_cents=charge.figures.total_cents,
                    lot_id=lot.id if lot else None,
                    kitchen_item=line.kitchen_item,
                    note=line.note,
                )
            )
            line.sale_id = sale.id
        session.flush()
        recompute(session, sale, today)
        return view(session, sale)


def close_tab_if_paid(session: Session, tab_id: int) -> None:
    """Called when a sale from a tab completes: the tab closes once nothing is left to pay."""
    tab = session.get(Tab, tab_id)
    if tab is None or tab.status is not TabStatus.OPEN:
        return
    for line in tab.lines:
        if line.void:
            continue
        sale = session.get(Sale, line.sale_id) if line.sale_id else None
        if sale is None or sale.status is not SaleStatus.COMPLETED:
            return
    tab.status, tab.closed_at = TabStatus.CLOSED, utcnow()


def charges_to_settle(session: Session, tab_id: int, today: date) -> tuple[Tab, list[Charge]]:
    """The open tab, locked, and what its unpaid lines come to — the same charges its view shows
    and a payment at the till would take (lot, markdown, on-site rate): for a caller that settles
    the tab outside a sale (catering puts an association's tab on its account, in the caller's
    transaction). A line whose every lot is blocked is refused, as at the till."""
    tab = _tab(session, tab_id)
    counter = session.get(Counter, tab.counter_id)
    onsite = counter is not None and counter.kind is CounterKind.BAR
    return tab, _charges(session, tab, _unpaid(session, tab), today, onsite, strict=True)


__all__ = [
    "Charge",
    "TabLineView",
    "TabView",
    "add_round",
    "charges_to_settle",
    "close_tab_if_paid",
    "get_tab",
    "merge_tabs",
    "move_lines",
    "open_tab",
    "open_tabs",
    "send_to_kitchen",
    "split_evenly",
    "tab_to_sale",
]
