"""A sale's figures, computed once, and its view, built from its one document.

``sale_figures`` is the one place a sale's numbers are computed (pure, no session): the lines'
markdowns and discounts, the sale discount spread over the lines (``orto.money.spread``), the
total and the VAT split (``orto.money.vat_breakdown``). A scan, a change to a line, the commit
and a tab's charges all call it, on terms built by :func:`line_terms`.

The document itself (``receipts.sale_doc.SaleDoc``) is filled from the rows in hand on the hot
path or by ``load_sale_doc``; the till's view (:func:`view_of`), the slip
(``receipts.snapshots.slip``), the RT's receipt (built from the slip) and a reprint read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from orto.money import VatShare, percent_of, price_for_quantity, spread, vat_breakdown
from pos.selling.pricing import LotDates, MarkdownTerms, markdown_of
from pos.selling.views import SaleView
from receipts.sale_doc import DocCard, DocLine, DocPayment, DocPlace, SaleDoc, doc_line, load_sale_doc, sale_doc

__all__ = [
    "DocCard",
    "DocLine",
    "DocPayment",
    "DocPlace",
    "LineFigures",
    "LineTerms",
    "SaleDoc",
    "SaleFigures",
    "doc_line",
    "figures",
    "line_terms",
    "load_sale_doc",
    "sale_doc",
    "sale_figures",
    "view_of",
]


@dataclass(frozen=True)
class LineFigures:
    """What a line comes to: its near-expiry markdown, its discounts (own + share) and its total."""

    markdown_cents: int
    discount_cents: int
    total_cents: int


@dataclass(frozen=True)
class LineTerms:
    """What a line's figures are computed from."""

    gross_cents: int  # quantity x unit price
    markdown_bp: int | None  # near-expiry markdown of its lot, None when none applies
    line_discount_bp: int | None
    line_discount_cents: int | None
    vat_rate_bp: int = 0


@dataclass(frozen=True)
class SaleFigures:
    lines: tuple[LineFigures, ...]
    total_cents: int  # the lines and the gift cards sold on the sale (never discounted)
    discount_cents: int
    markdown_cents: int
    vat: tuple[VatShare, ...]  # of the lines only: gift cards are outside VAT


def figures(
    lines: Sequence[LineTerms], sale_discount_bp: int | None, sale_discount_cents: int | None
) -> list[LineFigures]:
    """Line totals from gross, markdown and discounts; the sale discount spread on the lines."""
    nets: list[int] = []
    own_discounts: list[int] = []
    markdowns: list[int] = []
    for line in lines:
        markdown = percent_of(line.gross_cents, line.markdown_bp) if line.markdown_bp is not None else 0
        after_markdown = line.gross_cents - markdown
        if line.line_discount_bp:
            own = percent_of(after_markdown, line.line_discount_bp)
        else:
            own = min(line.line_discount_cents or 0, after_markdown)
        markdowns.append(markdown)
        own_discounts.append(own)
        nets.append(after_markdown - own)
    sale_net = sum(nets)
    if sale_discount_bp:
        whole = percent_of(sale_net, sale_discount_bp)
    else:
        whole = min(sale_discount_cents or 0, sale_net)
    shares = spread(whole, nets)
    return [
        LineFigures(markdown, own + share, net - share)
        for markdown, net, own, share in zip(markdowns, nets, own_discounts, shares, strict=True)
    ]


def sale_figures(
    lines: Sequence[LineTerms],
    sale_discount_bp: int | None,
    sale_discount_cents: int | None,
    gift_cards_cents: int = 0,
) -> SaleFigures:
    """The sale's figures: each line's, the total, the discount, the markdown and the VAT split."""
    each = tuple(figures(lines, sale_discount_bp, sale_discount_cents))
    return SaleFigures(
        lines=each,
        total_cents=sum(f.total_cents for f in each) + gift_cards_cents,
        discount_cents=sum(f.discount_cents for f in each),
        markdown_cents=sum(f.markdown_cents for f in each),
        vat=tuple(vat_breakdown((terms.vat_rate_bp, fig.total_cents) for terms, fig in zip(lines, each, strict=True))),
    )


class PricedLine(Protocol):
    """A sale line as its figures need it (a scan's row, the commit's, an ORM line's reading)."""

    @property
    def unit_price_cents(self) -> int: ...
    @property
    def quantity(self) -> int: ...
    @property
    def weighed(self) -> bool: ...
    @property
    def price_overridden(self) -> bool: ...
    @property
    def line_discount_bp(self) -> int | None: ...
    @property
    def line_discount_cents(self) -> int | None: ...
    @property
    def vat_rate_bp(self) -> int: ...


def line_terms(
    line: PricedLine,
    category_id: int | None,
    lot: LotDates | None,
    today: date,
    rules: Mapping[int | None, MarkdownTerms],
) -> LineTerms:
    """What a line's figures are computed from, as of ``today`` (a markdown may have begun);
    a price set by hand takes no markdown."""
    markdown = None if line.price_overridden else markdown_of(category_id, lot, today, rules)
    return LineTerms(
        price_for_quantity(line.unit_price_cents, line.quantity, line.weighed),
        markdown.percent_bp if markdown else None,
        line.line_discount_bp,
        line.line_discount_cents,
        line.vat_rate_bp,
    )


def view_of(doc: SaleDoc, warnings: Sequence[str] = ()) -> SaleView:
    """What the till shows of the sale."""
    return SaleView(
        id=doc.id,
        uuid=doc.uuid,
        kind=doc.kind,
        status=doc.status,
        number=doc.number,
        counter_id=doc.counter_id,
        shift_id=doc.shift_id,
        user_id=doc.user_id,
        price_list=doc.price_list_code,
        customer_card=doc.customer_card,
        onsite=doc.onsite,
        take_away=doc.take_away,
        started_at=doc.started_at,
        completed_at=doc.completed_at,
        lines=doc.lines,
        total_cents=doc.total_cents,
        discount_cents=doc.discount_cents,
        markdown_cents=doc.markdown_cents,
        vat=doc.vat,
        payments=doc.payments,
        original_sale_id=doc.original_sale_id,
        note=doc.note,
        warnings=tuple(warnings),
        gift_cards=doc.cards,
    )
