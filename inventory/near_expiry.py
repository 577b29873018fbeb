"""Lots reaching their date, with what to do about them, so less food is thrown away.

Suggested actions, in the order a careful shop would try them:
- past a use-by date: it can be neither sold nor given away — record it as waste (expired);
- a product some lab recipe uses, still within its date: use it in that recipe (rescue);
- a best-before date passed: donate it (Law 166/2016 allows it) or sell it marked down;
- otherwise within the window: mark it down (best-before), or sell or donate before the date (use-by).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from orto.db import Database
from orto.i18n import N_
from orto.localtime import today as local_today
from orto.models import DateType, Location, Lot, Product, Recipe, RecipeInput, StockLevel, Unit

WASTE = N_("record as waste: past its use-by date")
USE_IN_RECIPE = N_("use it in the lab: {recipe}")
DONATE = N_("donate it, or sell it marked down")
MARK_DOWN = N_("mark it down")
SELL_OR_DONATE = N_("sell or donate it before the date")


@dataclass(frozen=True)
class NearExpiry:
    lot_id: int
    lot_code: str
    product_id: int
    product: str
    location: str
    quantity: int
    expiry: date
    date_type: DateType | None
    days_left: int
    action: str  # an English message id; ``action_args`` fill it after translation
    action_args: dict[str, str]
    unit: Unit = Unit.PIECE  # of ``quantity`` (grams for kg, millilitres for l)


def near_expiry(db: Database, site_id: int, *, days: int, today: date | None = None) -> list[NearExpiry]:
    day = today or local_today()
    with db.read() as session:
        rows = session.execute(
            select(Lot, Product.name, Location.name, StockLevel.quantity, Product.unit)
            .join(StockLevel, StockLevel.lot_id == Lot.id)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == Lot.product_id)
            .where(
                Location.site_id == site_id,
                StockLevel.quantity > 0,
                Lot.expiry.is_not(None),
                Lot.expiry <= day + timedelta(days=days),
            )
            .order_by(Lot.expiry, Product.name)
        ).all()
        recipes: dict[int, str] = {}
        for product_id, name in session.execute(
            select(RecipeInput.product_id, Recipe.name)
            .join(Recipe, Recipe.id == RecipeInput.recipe_id)
            .where(Recipe.active.is_(True))
        ).all():
            recipes.setdefault(product_id, name)
        out = []
        for lot, product, location, quantity, unit in rows:
            assert lot.expiry is not None
            left = (lot.expiry - day).days
            args: dict[str, str] = {}
            if lot.date_type is DateType.USE_BY and left < 0:
                action = WASTE
            elif lot.product_id in recipes and (left >= 0 or lot.date_type is not DateType.USE_BY):
                action, args = USE_IN_RECIPE, {"recipe": recipes[lot.product_id]}
            elif left < 0:
                action = DONATE
            elif lot.date_type is DateType.USE_BY:
                action = SELL_OR_DONATE
            else:
                action = MARK_DOWN
            out.append(
                NearExpiry(
                    lot.id,
                    lot.code,
                    lot.product_id,
                    product,
                    location,
                    quantity,
                    lot.expiry,
                    lot.date_type,
                    left,
                    action,
                    args,
                    unit,
                )
            )
        return out
