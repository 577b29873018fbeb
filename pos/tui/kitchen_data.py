"""Read-only look-ups the kitchen screens need to fill their pickers (run in worker threads).

Nothing here writes: every change goes through the domain services (deliveries, lab, waste,
transfers, counts, recalls, suppliers). These only answer "which locations, which lots, which
product did they mean" for the screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from inventory.cold_chain import ApplianceView, due_appliances, list_appliances
from inventory.lot_blocks import block_reason, open_recalls
from inventory.search import ProductIndex
from orto.config import Settings
from orto.db import Database
from orto.errors import NotFound
from orto.i18n import gettext as _
from orto.models import (
    Barcode,
    Batch,
    CountStatus,
    DateType,
    Location,
    LocationKind,
    Lot,
    Product,
    Recipe,
    Site,
    StockCount,
    StockLevel,
    StorageClass,
    Unit,
)

_INDEXES: dict[str, ProductIndex] = {}


@dataclass(frozen=True)
class Place:
    id: int
    site_id: int
    site_code: str
    code: str
    name: str
    kind: LocationKind

    @property
    def label(self) -> str:
        return f"{self.site_code} · {self.name}"


@dataclass(frozen=True)
class ProductRow:
    id: int
    code: str
    name: str
    unit: Unit
    cost_cents: int
    shelf_life_days: int | None
    date_type: DateType | None
    storage_class: StorageClass = StorageClass.AMBIENT  # reception asks a temperature if not ambient


@dataclass(frozen=True)
class LotRow:
    lot_id: int
    code: str
    product_id: int
    product: str
    unit: Unit
    location_id: int
    location: str
    site_id: int
    expiry: date | None
    quantity: int
    blocked: str | None  # why it may not be sold or used (recall, hold, past use-by)


def places(db: Database) -> list[Place]:
    """Every stock location of every site, site by site."""
    with db.read() as session:
        rows = session.execute(
            select(Location.id, Location.site_id, Site.code, Location.code, Location.name, Location.kind)
            .join(Site, Site.id == Location.site_id)
            .order_by(Site.code, Location.id)
        ).all()
        return [Place(int(i), int(s), sc, c, n, LocationKind(k)) for i, s, sc, c, n, k in rows]


def default_place(found: list[Place], site_id: int, *kinds: LocationKind) -> Place | None:
    """The first location of the site of the first kind asked that exists (else any of the site)."""
    mine = [p for p in found if p.site_id == site_id]
    for kind in kinds:
        for place in mine:
            if place.kind is kind:
                return place
    return mine[0] if mine else None


def _row(product: Product) -> ProductRow:
    return ProductRow(
        product.id,
        product.code,
        product.name,
        product.unit,
        product.cost_cents,
        product.shelf_life_days,
        product.date_type,
        product.storage_class,
    )


def find_products(db: Database, text: str, *, limit: int = 8, index: ProductIndex | None = None) -> list[ProductRow]:
    """A barcode or product code gives that product; other text searches the names (in the till's
    catalog index when it has loaded one, else in one loaded here once)."""
    text = text.strip()
    if not text:
        return []
    with db.read() as session:
        exact = session.scalar(select(Product).join(Barcode).where(Barcode.code == text))
        if exact is None:
            exact = session.scalar(select(Product).where(func.upper(Product.code) == text.upper()))
        if exact is not None:
            return [_row(exact)]
    index = index or _INDEXES.get(db.url)
    if index is None:
        index = _INDEXES[db.url] = ProductIndex.load(db)
    ids = [hit.product_id for hit in index.search(text, limit=limit)]
    if not ids:
        return []
    with db.read() as session:
        products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
        return [_row(products[i]) for i in ids if i in products]


def _lot_rows(db: Database, *where: object, today: date) -> list[LotRow]:
    with db.read() as session:
        rows = session.execute(
            select(Lot, Product.name, Product.unit, Location.id, Location.name, Location.site_id, StockLevel.quantity)
            .join(StockLevel, StockLevel.lot_id == Lot.id)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == Lot.product_id)
            .where(StockLevel.quantity > 0, *where)  # type: ignore[arg-type]
            .order_by(Lot.expiry.is_(None), Lot.expiry, Lot.received_on, Lot.id, Location.id)
        ).all()
        recalls = open_recalls(session, [row[0].id for row in rows])
        return [
            LotRow(
                lot.id,
                lot.code,
                lot.product_id,
                name,
                Unit(unit),
                int(location_id),
                location,
                int(site_id),
                lot.expiry,
                int(quantity),
                block_reason(session, lot, today, recalls),
            )
            for lot, name, unit, location_id, location, site_id, quantity in rows
        ]


def lots_of_product(db: Database, product_id: int, site_id: int, *, today: date) -> list[LotRow]:
    """The product's lots on hand at the site's locations, first-expired-first-out."""
    return _lot_rows(db, Lot.product_id == product_id, Location.site_id == site_id, today=today)


def lot_by_code(db: Database, code: str, *, today: date) -> list[LotRow]:
    """Where a lot is on hand (one row per location); NotFound if no lot has that code."""
    with db.read() as session:
        lot_id = session.scalar(select(Lot.id).where(Lot.code == code.strip()))
    if lot_id is None:
        raise NotFound(_("no lot with code {code}").format(code=code.strip()))
    return _lot_rows(db, Lot.id == lot_id, today=today)


def open_count_of(db: Database, location_id: int) -> int | None:
    """The count of this location still open, if any (to carry on counting it)."""
    with db.read() as session:
        found = session.scalar(
            select(StockCount.id).where(StockCount.location_id == location_id, StockCount.status == CountStatus.OPEN)
        )
        return int(found) if found is not None else None


@dataclass(frozen=True)
class BatchRecipe:
    recipe_id: int
    expected_yield: int
    output: str
    output_unit: Unit


def batch_recipe(db: Database, batch_id: int) -> BatchRecipe:
    with db.read() as session:
        row = session.execute(
            select(Recipe.id, Recipe.expected_yield, Product.name, Product.unit)
            .join(Batch, Batch.recipe_id == Recipe.id)
            .join(Product, Product.id == Recipe.output_product_id)
            .where(Batch.id == batch_id)
        ).first()
        if row is None:
            raise NotFound(_("no batch number {number}").format(number=batch_id))
        return BatchRecipe(int(row[0]), int(row[1]), str(row[2]), Unit(row[3]))


def transfer_places(db: Database, transfer_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Where each transfer goes from and to, with the sites' codes ("CAP · Laboratorio"): every
    site has a Laboratorio, so the location's name alone does not say which."""
    if not transfer_ids:
        return {}
    from sqlalchemy.orm import aliased

    from orto.models import Transfer

    source, target = aliased(Location), aliased(Location)
    source_site, target_site = aliased(Site), aliased(Site)
    with db.read() as session:
        rows = session.execute(
            select(Transfer.id, source_site.code, source.name, target_site.code, target.name)
            .join(source, source.id == Transfer.from_location_id)
            .join(source_site, source_site.id == source.site_id)
            .join(target, target.id == Transfer.to_location_id)
            .join(target_site, target_site.id == target.site_id)
            .where(Transfer.id.in_(transfer_ids))
        ).all()
        return {int(i): (f"{fs} · {fn}", f"{ts} · {tn}") for i, fs, fn, ts, tn in rows}


def lot_units(db: Database, codes: list[str]) -> dict[str, Unit]:
    """The unit each lot's product is counted in (grams for kg, millilitres for litres, pieces)."""
    if not codes:
        return {}
    with db.read() as session:
        rows = session.execute(
            select(Lot.code, Product.unit).join(Product, Product.id == Lot.product_id).where(Lot.code.in_(codes))
        ).all()
        return {str(code): Unit(unit) for code, unit in rows}


def site_appliances(db: Database, settings: Settings, site_code: str) -> tuple[list[ApplianceView], set[str]]:
    """The site's appliances and the codes of those whose reading is due now."""
    with db.read() as session:
        return list_appliances(session, site_code), {a.code for a in due_appliances(session, settings, site_code)}
