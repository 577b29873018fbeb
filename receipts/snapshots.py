"""Snapshots: everything a document shows, read once from the database into plain JSON-able data.

A print job stores its snapshot, so a slip reprinted next month shows what the customer got that
day even if a price or a name has changed since. Layouts (receipts.layouts) read only these.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from orto.config import Settings
from orto.km0 import Km0Rule
from orto.models import Sale
from receipts.sale_doc import SaleDoc, load_sale_doc

Snapshot = dict[str, Any]


class Place(Protocol):  # a site (the ORM's, or a document's DocPlace)
    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def city(self) -> str: ...


class Named(Protocol):  # a counter, as a kitchen ticket names it
    @property
    def name(self) -> str: ...


def company(settings: Settings, site: Place | None) -> Snapshot:
    info = settings.company
    return {
        "name": str(info.get("name", "Fuori e Dentro - Vitality Social Soc. Coop. Sociale")),
        "address": str(info.get("address", "")),
        "vat_number": str(info.get("vat_number", "")),
        "site_name": site.name if site else "",
        "site_address": f"{site.address}, {site.city}" if site else "",
        "footer": str(info.get("footer", "Grazie! Prodotti km0 e del nostro laboratorio.")),
    }


def slip(settings: Settings, doc: SaleDoc) -> Snapshot:
    """The customer's slip of a sale: the one builder, for the commit, a refund and a reprint."""
    return {
        "kind": doc.kind.value,
        "company": company(settings, doc.place),
        "counter": doc.counter_name,
        "counter_code": doc.counter_code,
        "operator": doc.operator,
        "number": doc.number or "",
        "original_number": doc.original_number,
        "at": (doc.completed_at or doc.started_at).isoformat(),
        "price_list": doc.customer_card and "tessera",
        "customer_card": doc.customer_card,
        "lines": [
            {
                "description": ln.description,
                "quantity": ln.quantity,
                "weighed": ln.weighed,
                "unit_price_cents": ln.unit_price_cents,
                "gross_cents": ln.gross_cents,
                "markdown_cents": ln.markdown_cents,
                "discount_cents": ln.discount_cents,
                "total_cents": ln.total_cents,
                "vat_rate_bp": ln.vat_rate_bp,
                "take_away": ln.take_away,
                "km0": ln.km0,
                "lot": ln.lot_code,
            }
            for ln in doc.lines
        ],
        "total_cents": doc.total_cents,
        "discount_cents": doc.discount_cents,
        "vat": [
            {
                "rate_bp": s.rate_bp,
                "taxable_cents": s.taxable_cents,
                "tax_cents": s.tax_cents,
                "gross_cents": s.gross_cents,
            }
            for s in doc.vat
        ],
        "gift_cards": [
            {
                "kind": card.kind,
                "code": card.masked,
                "amount_cents": card.amount_cents,
                "balance_cents": card.balance_cents,
                "expires_on": card.expires_on,
            }
            for card in doc.cards
        ],
        "payments": [
            {
                "method": p.method.value,
                "amount_cents": p.amount_cents,
                "tendered_cents": p.tendered_cents,
                "change_cents": p.change_cents,
                **({"card": p.card, "card_balance_cents": p.card_balance_cents} if p.card is not None else {}),
            }
            for p in doc.payments
        ],
        "change_cents": doc.change_cents,
    }


def sale_snapshot(session: Session, settings: Settings, sale: Sale) -> Snapshot:
    """The slip of a stored sale (a reprint says what the customer got, and the cards' balance now)."""
    session.flush()  # the loader reads with Core: the ORM's pending changes first
    return slip(settings, load_sale_doc(session, sale.id, Km0Rule.of(settings)))


def kitchen_snapshot(counter: Named, *, label: str, lines: list[tuple[str, int, str | None]]) -> Snapshot:
    from orto.models import utcnow

    return {
        "kind": "kitchen",
        "counter": counter.name,
        "label": label,
        "at": utcnow().isoformat(),
        "lines": [{"description": d, "quantity": q, "note": n} for d, q, n in lines],
    }
