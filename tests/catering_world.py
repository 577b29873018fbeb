"""The orto-cucina for catering tests: CAP's counter and stock, a lab preserve with its lot made by
a batch, a recipe with its ingredients, a business and a private customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from catering.customers import CustomerData, save_customer
from orto.allergens import Allergen
from orto.config import Settings
from orto.db import Database
from orto.localtime import ROME
from orto.models import Counter, DateType, Location, Lot, LotOrigin, Recipe, RecipeInput, Site, Unit
from orto.policy import Operator
from tests import factories
from tests.shop import Shop, build_shop, shop_settings

SELLER_VAT = "07654320154"
BUSINESS_VAT = "01234560157"
EVENT_DAYS = 30  # "a date next month"


def catering_settings() -> Settings:
    base = shop_settings()
    base.company.update(
        name="Fuori e Dentro Società Cooperativa Sociale",
        vat_number=SELLER_VAT,
        address="Via L. Capuana 7",
        postcode="20155",
        town="Milano",
        province="MI",
    )
    return base


@dataclass
class Kitchen:
    db: Database
    shop: Shop
    settings: Settings
    manager: Operator
    cashier: Operator
    counter: int  # CAP-1
    kitchen_location: int
    preserve: int  # giardiniera, made by the lab
    preserve_lot: str
    lasagne: int  # recipe
    flour: int
    milk: int
    courgettes: int
    rescued_lot: str  # courgettes near their date
    fresh_lot: str
    business: int
    person: int
    today: date


def event(days_ahead: int, today: date | None = None, hour: int = 13) -> datetime:
    day = (today or date.today()) + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), ROME).astimezone(UTC)


def build_kitchen(db: Database) -> Kitchen:
    shop = build_shop(db)
    today = shop.today
    on = today + timedelta(days=EVENT_DAYS)  # lots are judged on the event's day
    with db.write() as session:
        cap = session.scalar(select(Site).where(Site.code == "CAP"))
        assert cap is not None
        counter = session.scalar(select(Counter).where(Counter.code == "CAP-1"))
        kitchen = session.scalar(select(Location).where(Location.site_id == cap.id, Location.code == "KITCHEN"))
        assert counter is not None and kitchen is not None
        preserve = factories.product(
            session,
            "Giardiniera dell'orto",
            code="GIARD",
            unit=Unit.PIECE,
            price_cents=650,
            cost_cents=210,
            vat_rate_bp=1000,
            allergens=frozenset({Allergen.CELERY}),
        )
        flour = factories.product(
            session, "Farina 00", code="FAR", unit=Unit.KG, cost_cents=120, allergens=frozenset({Allergen.GLUTEN})
        )
        milk = factories.product(
            session, "Latte intero", code="LAT", unit=Unit.LITRE, cost_cents=150, allergens=frozenset({Allergen.MILK})
        )
        courgettes = factories.product(session, "Zucchine", code="ZUC", unit=Unit.KG, cost_cents=200)
        lasagne_out = factories.product(session, "Lasagne vegetariane", code="LASV", unit=Unit.KG, cost_cents=0)
        lot = Lot(
            code="CAP-GIARD-001",
            product_id=preserve.id,
            origin=LotOrigin.BATCH,
            received_on=today,
            expiry=today + timedelta(days=180),
            date_type=DateType.BEST_BEFORE,
            unit_cost_cents=210,
            allergens=frozenset({Allergen.CELERY, Allergen.SULPHITES}),
        )
        session.add(lot)
        session.flush()
        from inventory.ledger import post_movement
        from orto.models import MovementKind

        post_movement(session, kind=MovementKind.LAB_OUTPUT, location_id=kitchen.id, lot=lot, quantity=50)
        factories.lot(
            session, flour, location_id=kitchen.id, quantity=2000, code="CAP-FAR-001", expiry=on + timedelta(days=200)
        )
        factories.lot(
            session, milk, location_id=kitchen.id, quantity=1000, code="CAP-LAT-001", expiry=on + timedelta(days=5)
        )
        factories.lot(
            session,
            courgettes,
            location_id=kitchen.id,
            quantity=3000,
            code="CAP-ZUC-OLD",
            expiry=on + timedelta(days=1),
        )
        factories.lot(
            session,
            courgettes,
            location_id=kitchen.id,
            quantity=5000,
            code="CAP-ZUC-NEW",
            expiry=on + timedelta(days=9),
        )
        recipe = Recipe(
            code="LASV",
            name="Lasagne vegetariane",
            output_product_id=lasagne_out.id,
            expected_yield=5000,
            shelf_life_days=3,
            date_type=DateType.USE_BY,
        )
        session.add(recipe)
        session.flush()
        for product_id, quantity in ((flour.id, 1000), (milk.id, 2000), (courgettes.id, 2500)):
            session.add(RecipeInput(recipe_id=recipe.id, product_id=product_id, quantity=quantity))
        ids = (counter.id, kitchen.id, preserve.id, recipe.id, flour.id, milk.id, courgettes.id)
    manager = shop.manager
    cashier = shop.cashier
    business = save_customer(
        db,
        cashier,
        CustomerData(
            name="Associazione Ortica APS",
            kind="association",
            vat_number=BUSINESS_VAT,
            address="Via Padova 21",
            postcode="20127",
            town="Milano",
            province="MI",
            sdi_code="M5UXCR1",
            payment_days=30,
        ),
    )
    person = save_customer(
        db,
        cashier,
        CustomerData(
            name="Mario Rossi",
            kind="person",
            fiscal_code="RSSMRA85T10A562S",
            address="Via Porpora 4",
            postcode="20131",
            town="Milano",
            province="MI",
            payment_days=7,
        ),
    )
    return Kitchen(
        db,
        shop,
        catering_settings(),
        manager,
        cashier,
        *ids[:2],
        ids[2],
        "CAP-GIARD-001",
        ids[3],
        *ids[4:7],
        "CAP-ZUC-OLD",
        "CAP-ZUC-NEW",
        business,
        person,
        today,
    )
