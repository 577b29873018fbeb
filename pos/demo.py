"""``orto demo``: a demo shop in its own database, built once, never mixed with real data.

The demo database lives beside the real one (``demo.sqlite3`` in the data folder) unless a
database is named explicitly (``--db``, ``ORTO_DATABASE_URL``, ``orto.toml``); then that one is
filled, but only if it holds no products yet, so a real catalog is never touched.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from inventory.lab_demo import add_demo_recipes
from inventory.ledger import post_movement
from orto.allergens import parse_allergen
from orto.barcodes import with_check_digit
from orto.config import PrinterConfig, Settings, data_dir, demo_database_url
from orto.db import Database, sqlite_path
from orto.errors import InvalidInput
from orto.files import PRIVATE_FILE, narrow
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import (
    Appliance,
    ApplianceKind,
    Barcode,
    BarcodeKind,
    Category,
    Counter,
    Customer,
    DateType,
    Delivery,
    DeliveryLine,
    FundMovement,
    GiftCard,
    Location,
    LocationKind,
    Lot,
    LotOrigin,
    MarkdownRule,
    MovementKind,
    PriceList,
    PriceRule,
    Product,
    ProductFoodInfo,
    Role,
    Site,
    SolidarityFund,
    StorageClass,
    Supplier,
    SupplierDistance,
    SupplierKind,
    Unit,
)
from orto.models.base import table_of
from orto.money import parse_money
from orto.schema import upgrade
from orto.sites import STANDARD_SITES, ensure_standard_sites
from pos import demo_data
from pos.history import generate_history
from pos.selling.users import seed_user

DEMO_COUNTER = "PAL-1"
HISTORY_DAYS = 90
_SEED = 2026


class _HasSettings(Protocol):
    @property
    def settings(self) -> Settings: ...


def demo_url(settings: Settings) -> str:
    return settings.database_url if settings.database_url_explicit else demo_database_url()


def _remove_sqlite(url: str) -> None:
    from sqlalchemy.engine import make_url

    path = sqlite_path(make_url(url))
    if path is None:
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_demo(
    state: _HasSettings, *, rebuild: bool = False, today: date | None = None, counter: str = DEMO_COUNTER
) -> tuple[Database, list[str]]:
    """Open (building it the first time) the demo database; returns it and lines to show.

    ``counter`` is the one the till will open at; one the demo does not have is refused here,
    before anything is built.
    """
    standard = sorted(code for spec in STANDARD_SITES for code, *_rest in spec.counters)
    if counter.upper() not in standard:
        raise InvalidInput(
            _("the demo has no counter {code} (it has {known})").format(code=counter, known=", ".join(standard))
        )
    settings = state.settings
    url = demo_url(settings)
    if rebuild and not settings.database_url_explicit:
        _remove_sqlite(url)
    db = Database(url)
    db.ping()
    upgrade(db)
    with db.read() as session:
        has_products = bool(session.scalar(select(func.count()).select_from(Product)))
    lines = [_("Demo database: {url}").format(url=db.display_url)]
    if has_products:
        lines.append(_("Already built; 'orto demo --rebuild' starts it afresh."))
    else:
        built = build_demo(db, today or local_today())
        lines.append(_("Built: {summary}").format(summary=built))
    with db.read() as session:
        where = session.execute(
            select(Site.name, Site.address, Counter.name).join(Counter.site).where(Counter.code == counter.upper())
        ).first()
        if where is None:  # a database named with --db, built otherwise
            known = ", ".join(session.scalars(select(Counter.code).order_by(Counter.code)))
            raise InvalidInput(_("the demo has no counter {code} (it has {known})").format(code=counter, known=known))
    lines.append(
        _("Counter: {code}, {counter} ({site}, {address})").format(
            code=counter.upper(), counter=where[2], site=where[0], address=where[1]
        )
    )
    lines.append(_("Demo users and PINs:"))
    for name, role, pin in demo_data.USERS:
        lines.append(f"  {name:<24} {_(role):<10} PIN {pin}")
    return db, lines


def with_demo_printer(settings: Settings, counter_code: str) -> Settings:
    """The demo's counter prints into a file in the data folder unless orto.toml names a printer
    for it: the slips, the drawer, the printer's state and reprints then work as in a shop."""
    assigned = dict(settings.counter_printers.get(counter_code, {}))
    if assigned.get("receipt"):
        return settings
    path = data_dir() / "demo-printer.escpos"
    narrow(path, PRIVATE_FILE)  # the slips name people and sums: an older file is made private too
    printer = PrinterConfig("demo", "file", {"path": str(path), "width": 42})
    assigned = {"receipt": "demo", "kitchen": "demo", "label": "demo", **assigned}
    return replace(
        settings,
        printers={**settings.printers, "demo": printer},
        counter_printers={**settings.counter_printers, counter_code: assigned},
    )


def with_fiscal_simulator(settings: Settings, counter_code: str) -> tuple[Settings, int]:
    """``orto demo --fiscal-sim``: the counter's documents go to a simulated RT in this process
    (receipts.fiscal.simulator), marked ``simulated`` so the till says it is not a fiscal device."""
    from receipts.fiscal.simulator import SimulatedRT

    rt = SimulatedRT().start()  # a daemon thread: it ends with the demo
    printer = PrinterConfig(
        "rt-sim",
        "epson-rt",
        {
            "host": "127.0.0.1",
            "port": rt.port,
            "timeout": 3,
            "simulated": True,
            "departments": {"4": 1, "10": 2, "22": 3, "5": 4},
        },
    )
    assigned = {**settings.counter_printers.get(counter_code, {}), "fiscal": "rt-sim"}
    return (
        replace(
            settings,
            printers={**settings.printers, "rt-sim": printer},
            counter_printers={**settings.counter_printers, counter_code: assigned},
        ),
        rt.port,
    )


def build_demo(db: Database, today: date) -> str:
    """Fill an empty database with the demo shop; returns a one-line summary."""
    rng = random.Random(_SEED)
    with db.write() as session:
        sites = ensure_standard_sites(session)
        categories = _categories(session)
        suppliers = _suppliers(session, sites)
        products = _products(session, categories, suppliers)
        _food_info(session, products)
        _price_lists(session, categories)
        _people_and_funds(session, sites)
        _appliances(session, sites)
        lots = _stock(session, rng, today, sites, products, suppliers)
        add_demo_recipes(session)
    generate_history(db, days=HISTORY_DAYS, today=today)
    _refill_funds(db, today)
    return _("{products} products, {farms} suppliers, {lots} lots, 3 sites").format(
        products=len(products), farms=len(suppliers), lots=lots
    )


# The history spends the funds on its referrals down to a few euros; the first redemption a visitor
# tries must work, so the demo's "morning collection" brings each fund back to this.
FUND_AFTER_HISTORY_CENTS = 15_000


def _refill_funds(db: Database, today: date) -> None:
    """A donation to each fund holding less than ``FUND_AFTER_HISTORY_CENTS``: balance and movements agree."""
    from datetime import datetime, time

    from orto.localtime import ROME

    at = datetime.combine(today, time(8, 0), ROME)
    with db.write() as session:
        for fund in session.scalars(select(SolidarityFund)):
            short = FUND_AFTER_HISTORY_CENTS - fund.balance_cents
            if short > 0:
                fund.balance_cents += short
                session.add(FundMovement(fund_id=fund.id, kind="donation", amount_cents=short, method="cash", at=at))


def _categories(session: Session) -> dict[str, int]:
    rows = [{"name": name, "quick_key_group": group} for name, group in demo_data.CATEGORIES.items()]
    session.execute(insert(table_of(Category)), rows)
    return dict(session.execute(select(Category.name, Category.id)).all())


def _appliances(session: Session, sites: dict[str, Site]) -> None:
    """The cold chain of each site (inventory.cold_chain): the shop and the kitchen have a cold
    room and a freezer, the shop a fridge at the counter too, the bar its fridge."""
    from inventory.cold_chain import STANDARD_APPLIANCES

    wanted = {"PAL": ("CELLA", "FRIGO", "CONG"), "CAP": ("CELLA", "CONG"), "MON": ("FRIGO",)}
    for site_code, suffixes in wanted.items():
        site = sites[site_code]
        cold = session.scalar(
            select(Location.id).where(Location.site_id == site.id, Location.kind == LocationKind.COLD_ROOM)
        )
        for suffix, name, kind, low, high in STANDARD_APPLIANCES:
            if suffix in suffixes:
                session.add(
                    Appliance(
                        code=f"{site_code}-{suffix}",
                        name=name,
                        kind=kind,
                        site_id=site.id,
                        location_id=cold if kind is not ApplianceKind.FREEZER else None,
                        min_dc=low,
                        max_dc=high,
                    )
                )
    session.flush()


def _suppliers(session: Session, sites: dict[str, Site]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for code, name, address, city, vat, distances, organic in demo_data.FARMS:
        supplier = Supplier(
            code=code,
            name=name,
            address=address,
            city=city,
            vat_number=vat,
            organic_certified=organic,
            organic_cert_code=f"IT-BIO-{code}" if organic else None,
            organic_cert_expiry=date(2027, 6, 30) if organic else None,
            contact=_("Orders by phone, weekdays 7-12"),
            phone="+39 02 0000 0000",
            kind=SupplierKind(demo_data.SUPPLIER_KINDS.get(code, SupplierKind.FARM.value)),
        )
        supplier.distances = [SupplierDistance(site_id=sites[s].id, distance_km=km) for s, km in distances.items()]
        session.add(supplier)
        session.flush()
        ids[code] = supplier.id
    return ids


def _products(
    session: Session, categories: dict[str, int], suppliers: dict[str, int]
) -> dict[str, tuple[Product, str]]:
    plu = 100
    ean = 0
    rows: list[dict[str, Any]] = []
    barcodes: list[tuple[str, str]] = []
    for category, items in demo_data.PRODUCTS.items():
        for code, name, unit, vat, onsite, price, cost, allergens, shelf, date_type, supplier, extra in items:
            weighed = "W" in extra
            row: dict[str, Any] = {
                "code": code,
                "name": name,
                "category_id": categories[category],
                "unit": Unit(unit),
                "sold_by_weight": weighed,
                "vat_rate_bp": vat * 100,
                "onsite_vat_rate_bp": onsite * 100 if onsite else None,
                "price_cents": parse_money(price),
                "cost_cents": parse_money(cost),
                "allergens": frozenset(a for a in (parse_allergen(x) for x in allergens) if a is not None),
                "shelf_life_days": shelf,
                "date_type": DateType(date_type) if date_type else None,
                "supplier_id": suppliers.get(supplier) if supplier and supplier != "LAB" else None,
                "kitchen_item": "K" in extra,
                "plu": None,
                "reorder_level": None,
                "ingredients": demo_data.DECLARATIONS.get(code) or _ingredients(category, name),
                "storage_note": _storage(category, date_type),
                "storage_class": (
                    StorageClass.CHILLED if category in demo_data.CHILLED_CATEGORIES else StorageClass.AMBIENT
                ),
            }
            if weighed:
                plu += 1
                row["plu"] = plu
                row["reorder_level"] = 3000
            elif category not in demo_data.MADE_TO_ORDER:
                ean += 1
                barcodes.append((code, with_check_digit(f"80{ean:010d}")))
                row["reorder_level"] = 6
            rows.append(row)
    session.execute(insert(table_of(Product)), rows)
    by_code = {p.code: p for p in session.scalars(select(Product))}
    session.execute(
        insert(table_of(Barcode)),
        [{"product_id": by_code[code].id, "code": barcode, "kind": BarcodeKind.EAN13} for code, barcode in barcodes],
    )
    category_of = {code: cat for cat, items in demo_data.PRODUCTS.items() for code, *_rest in items}
    return {code: (product, category_of[code]) for code, product in by_code.items()}


def _food_info(session: Session, products: dict[str, tuple[Product, str]]) -> None:
    """The demo's "può contenere" (net quantities come from the pack size in each name)."""
    for code, names in demo_data.MAY_CONTAIN.items():
        allergens = frozenset(a for a in map(parse_allergen, names) if a is not None)
        session.add(ProductFoodInfo(product_id=products[code][0].id, may_contain=allergens))
    session.flush()


def _ingredients(category: str, name: str) -> str:
    if category != "Conserve del laboratorio":
        return ""
    recipes = {
        "Passata": "pomodori (99%), sale",
        "Sugo": "passata di pomodoro, cipolle, sedano, olio extravergine di oliva, basilico (3%), sale",
        "Pesto": "basilico (50%), olio extravergine di oliva, Grana Padano "
        "(latte), pinoli (frutta a guscio), aglio, sale",
        "Giardiniera": "cavolfiore, carote, peperoni, sedano, cipolle, aceto di vino (solfiti), zucchero, sale",
        "Confettura": "frutta (60%), zucchero di canna, succo di limone",
        "Marmellata": "arance (60%), zucchero di canna",
        "Composta": "fichi (70%), zucchero di canna, succo di limone",
        "Chutney": "pere (60%), zucchero di canna, aceto di mele, senape, zenzero",
        "Pomodori": "pomodori secchi (65%), olio di semi di girasole, capperi, origano, sale",
        "Melanzane": "melanzane (65%), olio di semi di girasole, aceto di vino (solfiti), aglio, menta, sale",
        "Peperoni": "peperoni (70%), aceto di vino (solfiti), acqua, zucchero, sale",
        "Zucchine": "zucchine (70%), aceto di vino (solfiti), zucchero, menta, sale",
        "Crema": "zucca (80%), panna (latte), cipolle, sale",
        "Vellutata": "zucca (70%), acqua, panna (latte), sedano, cipolle, sale",
        "Succo": "mele (100%)",
        "Sciroppo": "acqua, zucchero, fiori di sambuco (5%), succo di limone",
        "Cipolle": "cipolle rosse (70%), zucchero di canna, aceto di vino",
        "Salsa": "prezzemolo (45%), olio extravergine di oliva, acciughe "
        "(pesce), capperi, uova sode, aceto di vino (solfiti)",
        "Ragù": "pomodori, proteine di soia (soia), carote, sedano, cipolle, olio extravergine di oliva, sale",
        "Ketchup": "pomodori (75%), zucchero, aceto di vino, senape, spezie, sale",
        "Miele": "miele (100%)",
    }
    for prefix, text in recipes.items():
        if name.startswith(prefix):
            return text
    return ""


def _storage(category: str, date_type: str | None) -> str:
    if category == "Conserve del laboratorio":
        if date_type == "use_by":
            return "Conservare in frigorifero a 0-4 °C."
        return (
            "Conservare in luogo fresco e asciutto. "
            "Dopo l'apertura conservare in frigorifero e consumare entro 5 giorni."
        )
    return ""


def _price_lists(session: Session, categories: dict[str, int]) -> None:
    base = PriceList(code="base", name="Listino base")
    tessera = PriceList(code="tessera", name="Tessera di quartiere", requires_card=True)
    staff = PriceList(code="staff", name="Personale")
    session.add_all([base, tessera, staff])
    session.flush()
    rules = [
        # The social tariff: 15% off fresh produce and bread, 10% off everything else.
        PriceRule(price_list_id=tessera.id, category_id=categories["Verdura"], percent_off_bp=1500),
        PriceRule(price_list_id=tessera.id, category_id=categories["Frutta"], percent_off_bp=1500),
        PriceRule(price_list_id=tessera.id, category_id=categories["Pane e forno"], percent_off_bp=1500),
        PriceRule(price_list_id=tessera.id, percent_off_bp=1000),
        PriceRule(price_list_id=staff.id, percent_off_bp=2000),
    ]
    session.add_all(rules)
    session.add_all(
        [
            MarkdownRule(category_id=None, days_before=2, percent_bp=3000),
            MarkdownRule(category_id=categories["Verdura"], days_before=1, percent_bp=5000),
            MarkdownRule(category_id=categories["Frutta"], days_before=1, percent_bp=5000),
            MarkdownRule(category_id=categories["Conserve del laboratorio"], days_before=30, percent_bp=2000),
        ]
    )


def _people_and_funds(session: Session, sites: dict[str, Site]) -> None:
    for name, role, pin in demo_data.USERS:
        seed_user(session, name, Role(role), pin)  # the seeding path: the demo prints these PINs
    for code, site in sites.items():
        session.add(SolidarityFund(site_id=site.id, name=f"Spesa sospesa {code}", balance_cents=15_000))
    session.add(GiftCard(code="GC-DEMO-0001", balance_cents=5_000))
    for name, vat, address in demo_data.CUSTOMERS:
        session.add(Customer(name=name, vat_number=vat, address=address))
    session.flush()


def _stock(
    session: Session,
    rng: random.Random,
    today: date,
    sites: dict[str, Site],
    products: dict[str, tuple[Product, str]],
    suppliers: dict[str, int],
) -> int:
    """Lots with spread expiries (some near, some past) received through deliveries."""
    sell_location = {
        code: next(loc for loc in site.locations if loc.code in ("SHOP", "BAR")) for code, site in sites.items()
    }
    deliveries: dict[tuple[str, int, date], Delivery] = {}
    count = 0
    for _code, (product, category) in sorted(products.items()):
        if category in demo_data.MADE_TO_ORDER or product.kitchen_item:
            continue
        for site_code in demo_data.CATEGORY_SITES[category]:
            for n in range(rng.choice((1, 1, 2))):
                shelf = product.shelf_life_days
                if shelf and shelf <= 14:  # fresh: mostly within date, some at it, a few just past
                    age = shelf + 1 if rng.random() < 0.04 else rng.randint(0, shelf - 1)
                else:
                    age = rng.randint(0, 90)
                received = today - timedelta(days=age + n * 2)
                expiry = received + timedelta(days=shelf) if shelf else None
                quantity = rng.randint(3, 25) * 1000 if product.sold_by_weight else rng.randint(4, 30)
                count += 1
                lot = Lot(
                    code=f"{site_code}-{received:%y%m%d}-{count:04d}",
                    product_id=product.id,
                    expiry=expiry,
                    date_type=product.date_type,
                    received_on=received,
                    unit_cost_cents=product.cost_cents,
                    origin=LotOrigin.DELIVERY if product.supplier_id else LotOrigin.OPENING,
                    supplier_id=product.supplier_id,
                    supplier_lot_code=f"{rng.randint(1000, 9999)}/{received:%y}" if product.supplier_id else None,
                )
                session.add(lot)
                session.flush()
                location = sell_location[site_code]
                at = datetime.combine(received, time(7, 30), tzinfo=UTC)
                if product.supplier_id:
                    key = (site_code, product.supplier_id, received)
                    delivery = deliveries.get(key)
                    if delivery is None:
                        delivery = Delivery(
                            supplier_id=product.supplier_id,
                            site_id=sites[site_code].id,
                            location_id=location.id,
                            note_number=f"{len(deliveries) + 1}/{received:%Y}",
                            received_at=at,
                        )
                        session.add(delivery)
                        session.flush()
                        deliveries[key] = delivery
                    line = DeliveryLine(
                        delivery_id=delivery.id,
                        product_id=product.id,
                        quantity=quantity,
                        unit_cost_cents=product.cost_cents,
                        supplier_lot_code=lot.supplier_lot_code,
                        expiry=expiry,
                        date_type=product.date_type,
                        temperature_dc=40 if category == "Uova e latticini" else None,
                        lot_id=lot.id,
                    )
                    session.add(line)
                    session.flush()
                    lot.delivery_line_id = line.id
                    post_movement(
                        session,
                        kind=MovementKind.DELIVERY,
                        location_id=location.id,
                        lot=lot,
                        quantity=quantity,
                        doc_type="delivery_line",
                        doc_id=line.id,
                        at=at,
                        reason=delivery.note_number,
                    )
                else:
                    post_movement(
                        session,
                        kind=MovementKind.COUNT_ADJUSTMENT,
                        location_id=location.id,
                        lot=lot,
                        quantity=quantity,
                        at=at,
                        reason=_("opening stock"),
                    )
    return count
