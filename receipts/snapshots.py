"""Snapshots: everything a document shows, read once from the database into plain JSON-able data.

A print job stores its snapshot, so a slip reprinted next month shows what the customer got that
day even if a price or a name has changed since. Layouts (receipts.layouts) read only these.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.config import Settings
from orto.km0 import Km0Rule, km0_lot_ids
from orto.models import Counter, Lot, Sale, SaleOperator, Site, User
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
        "payments": [
            {
                "method": p.method.value,
                "amount_cents": p.amount_cents,
                "tendered_cents": p.tendered_cents,
                "change_cents": p.change_cents,
            }
            for p in sale.payments
        ],
        "change_cents": sum(p.change_cents for p in sale.payments),
    }


def kitchen_snapshot(counter: Counter, *, label: str, lines: list[tuple[str, int, str | None]]) -> Snapshot:
    from orto.models import utcnow

    return {
        "kind": "kitchen",
        "counter": counter.name,
        "label": label,
        "at": utcnow().isoformat(),
        "lines": [{"description": d, "quantity": q, "note": n} for d, q, n in lines],
    }
