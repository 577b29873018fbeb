"""Snapshots: everything a document shows, read once from the database into plain JSON-able data.

A print job stores its snapshot, so a slip reprinted next month shows what the customer got that
day even if a price or a name has changed since. Layouts (receipts.layouts) read only these.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.config import Settings
from orto.gift_card_codes import mask
from orto.km0 import Km0Rule, km0_lot_ids
from orto.models import (
    Counter,
    GiftCard,
    GiftCardLoad,
    Lot,
    Payment,
    PaymentMethod,
    Sale,
    SaleOperator,
    Site,
    User,
)
from orto.money import vat_breakdown

Snapshot = dict[str, Any]


def company(settings: Settings, site: Site | None) -> Snapshot:
    info = settings.company
    return {
        "name": str(info.get("name", "Fuori e Dentro - Vitality Social Soc. Coop. Sociale")),
        "address": str(info.get("address", "")),
        "vat_number": str(info.get("vat_number", "")),
        "site_name": site.name if site else "",
        "site_address": f"{site.address}, {site.city}" if site else "",
        "footer": str(info.get("footer", "Grazie! Prodotti km0 e del nostro laboratorio.")),
    }


def sale_snapshot(session: Session, settings: Settings, sale: Sale) -> Snapshot:
    counter = session.get(Counter, sale.counter_id)
    assert counter is not None
    # who completed it (the person logged in at payment), else, for older rows, who started it
    completed_by = session.get(SaleOperator, sale.id)
    operator = session.get(User, completed_by.user_id if completed_by else sale.user_id)
    km0 = km0_lot_ids(session, Km0Rule.of(settings), counter.site_id, [ln.lot_id for ln in sale.lines if ln.lot_id])
    original = session.get(Sale, sale.original_sale_id) if sale.original_sale_id else None
    lots = {
        lot.id: lot.code
        for lot in session.scalars(select(Lot).where(Lot.id.in_([ln.lot_id for ln in sale.lines if ln.lot_id])))
    }
    return {
        "kind": sale.kind.value,
        "company": company(settings, counter.site),
        "counter": counter.name,
        "counter_code": counter.code,
        "operator": operator.name if operator else "",
        "number": sale.number or "",
        "original_number": original.number if original else None,
        "at": (sale.completed_at or sale.started_at).isoformat(),
        "price_list": sale.customer_card and "tessera",
        "customer_card": sale.customer_card,
        "lines": [
            {
                "description": ln.description,
                "quantity": ln.quantity,
                "weighed": ln.weighed,
                "unit_price_cents": ln.unit_price_cents,
                "gross_cents": ln.total_cents + ln.discount_cents + ln.markdown_cents,
                "markdown_cents": ln.markdown_cents,
                "discount_cents": ln.discount_cents,
                "total_cents": ln.total_cents,
                "vat_rate_bp": ln.vat_rate_bp,
                "take_away": ln.take_away,
                "km0": ln.lot_id in km0,
                "lot": lots.get(ln.lot_id) if ln.lot_id else None,
            }
            for ln in sorted(sale.lines, key=lambda x: x.position)
        ],
        "total_cents": sale.total_cents,
        "discount_cents": sale.discount_cents,
        "vat": [
            {
                "rate_bp": s.rate_bp,
                "taxable_cents": s.taxable_cents,
                "tax_cents": s.tax_cents,
                "gross_cents": s.gross_cents,
            }
            for s in vat_breakdown((ln.vat_rate_bp, ln.total_cents) for ln in sale.lines)
        ],
        "gift_cards": _cards_loaded(session, sale.id),
        "payments": [
            {
                "method": p.method.value,
                "amount_cents": p.amount_cents,
                "tendered_cents": p.tendered_cents,
                "change_cents": p.change_cents,
                **_card_paid(session, p),
            }
            for p in sale.payments
        ],
        "change_cents": sum(p.change_cents for p in sale.payments),
    }


def _cards_loaded(session: Session, sale_id: int) -> list[dict[str, object]]:
    """The gift cards sold or topped up on the sale, as its slip showed them (code masked)."""
    rows = session.execute(
        select(GiftCardLoad, GiftCard.expires_on)
        .outerjoin(GiftCard, GiftCard.id == GiftCardLoad.gift_card_id)
        .where(GiftCardLoad.sale_id == sale_id)
        .order_by(GiftCardLoad.id)
    ).all()
    return [
        {
            "kind": load.kind,
            "code": mask(load.code),
            "amount_cents": load.amount_cents,
            "balance_cents": load.balance_cents,
            "expires_on": expires_on.isoformat() if expires_on else None,
        }
        for load, expires_on in rows
    ]


def _card_paid(session: Session, payment: Payment) -> dict[str, object]:
    """A gift card that paid: its masked code and what it holds now (a reprint says today's balance)."""
    if payment.method is not PaymentMethod.GIFT_CARD or payment.gift_card_id is None:
        return {}
    card = session.get(GiftCard, payment.gift_card_id)
    assert card is not None
    return {"card": mask(card.code), "card_balance_cents": card.balance_cents}


def kitchen_snapshot(counter: Counter, *, label: str, lines: list[tuple[str, int, str | None]]) -> Snapshot:
    from orto.models import utcnow

    return {
        "kind": "kitchen",
        "counter": counter.name,
        "label": label,
        "at": utcnow().isoformat(),
        "lines": [{"description": d, "quantity": q, "note": n} for d, q, n in lines],
    }
