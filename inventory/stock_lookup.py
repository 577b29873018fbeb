"""Where a product is: every lot with stock, at every site and location, with its date and
whether it may be sold — what a counter worker asks before saying "we have none"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from inventory.lot_blocks import block_reason, open_recalls
from orto.db import Database
from orto.models import DateType, Location, Lot, Site, StockLevel


@dataclass(frozen=True)
class StockRow:
    site: str
    location: str
    lot_code: str
    expiry: date | None
    date_type: DateType | None
    quantity: int
    blocked: str | None  # why it may not be sold (recall, hold, past use-by), or None


def stock_of_product(db: Database, product_id: int, *, today: date) -> list[StockRow]:
    """Non-zero stock of the product, by site and location, soonest date first."""
    with db.read() as session:
        rows = session.execute(
            select(Site.code, Location.name, Lot, StockLevel.quantity)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Site, Site.id == Location.site_id)
            .join(Lot, Lot.id == StockLevel.lot_id)
            .where(StockLevel.product_id == product_id, StockLevel.quantity != 0)
            .order_by(Site.code, Location.name, Lot.expiry.is_(None), Lot.expiry, Lot.code)
        ).all()
        recalls = open_recalls(session, [lot.id for _s, _l, lot, _q in rows])
        return [
            StockRow(
                site,
                location,
                lot.code,
                lot.expiry,
                lot.date_type,
                int(quantity),
                block_reason(session, lot, today, recalls),
            )
            for site, location, lot, quantity in rows
        ]
