"""Price check and stock look-up at the counter: what a code costs and what is on hand, by lot."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.ledger import lots_fefo
from orto.db import Database
from orto.errors import NotFound
from orto.i18n import gettext as _
from orto.models import Counter, Product
from pos.selling.pricing import list_price
from pos.selling.sales import resolve_code


@dataclass(frozen=True)
class PriceCheck:
    product_id: int
    code: str
    name: str
    price_cents: int
    unit: str
    vat_rate_bp: int
    on_hand: int  # here, base units
    lots: tuple[tuple[str, str | None, int], ...]  # (lot code, expiry ISO, quantity) here
    allergens: tuple[int, ...]


def price_check(db: Database, counter_id: int, code: str, *, product_id: int | None = None) -> PriceCheck:
    with db.read() as session:
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        product = session.get(Product, product_id) if product_id else resolve_code(session, code, counter.site)[0]
        if product is None:
            raise NotFound(_("no product {id}").format(id=product_id))
        levels = lots_fefo(session, product.id, counter.location_id)
        return PriceCheck(
            product.id,
            product.code,
            product.name,
            list_price(session, product, None),
            product.unit.value,
            product.vat_rate_bp,
            sum(lv.quantity for lv in levels),
            tuple(
                (lv.lot.code, lv.lot.expiry.isoformat() if lv.lot.expiry else None, lv.quantity)
                for lv in levels
                if lv.quantity
            ),
            tuple(sorted(a.value for a in product.allergens)),
        )
