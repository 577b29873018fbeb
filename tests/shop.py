"""A small shop for selling tests: the three sites, users, a handful of products with stock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from orto.config import PrinterConfig, Settings
from orto.db import Database
from orto.models import (
    Counter,
    DateType,
    GiftCard,
    MarkdownRule,
    PriceList,
    PriceRule,
    Role,
    SolidarityFund,
    Unit,
)
from orto.policy import Operator
from tests import factories

MANAGER_PIN = "9090"
CASHIER_PIN = "1234"


@dataclass
class Shop:
    settings: Settings
    counter: int  # PAL-1, the emporio
    bar: int  # MON-1
    location: int  # PAL shop floor
    bar_location: int
    manager: Operator  # logged in (tests.factories.logged_in); .id is the user's id
    cashier: Operator
    tomatoes: int  # weighed, PLU 101, 3,50 €/kg, 4%
    jam: int  # barcode 8001234567897, 4,90 €, 10%
    water: int  # bar: 22% sold, 10% served
    toast: int  # kitchen item
    tomato_lot: int
    jam_lot: int
    today: date


def shop_settings(tmp_receipt: str = "banco") -> Settings:
    return Settings(
        database_url="",
        database_url_explicit=True,
        printers={"banco": PrinterConfig("banco", "none"), "cucina": PrinterConfig("cucina", "none")},
        counter_printers={"PAL-1": {"receipt": tmp_receipt}, "MON-1": {"receipt": "banco", "kitchen": "cucina"}},
        company={"name": "Fuori e Dentro", "vat_number": "IT00000000000"},
    )


def build_shop(db: Database, today: date | None = None) -> Shop:
    day = today or date.today()
    with db.write() as session:
        sites = factories.sites(session)
        pal, mon = sites["PAL"], sites["MON"]
        counter = session.scalar(select(Counter).where(Counter.code == "PAL-1"))
        bar = session.scalar(select(Counter).where(Counter.code == "MON-1"))
        assert counter is not None and bar is not None
        manager = factories.user(session, "Giulia", Role.MANAGER, MANAGER_PIN)
        cashier = factories.user(session, "Marco", Role.CASHIER, CASHIER_PIN)
        veg = factories.category(session, "Verdura")
        preserves = factories.category(session, "Conserve")
        drinks = factories.category(session, "Bevande")
        tomatoes = factories.product(
            session,
            "Pomodori",
            code="POM",
            unit=Unit.KG,
            by_weight=True,
            price_cents=350,
            cost_cents=180,
            vat_rate_bp=400,
            plu=101,
            category_obj=veg,
            date_type=DateType.BEST_BEFORE,
        )
        jam = factories.product(
            session,
            "Confettura di albicocche",
            code="JAM",
            price_cents=490,
            cost_cents=200,
            vat_rate_bp=1000,
            barcode="8001234567897",
            category_obj=preserves,
        )
        water = factories.product(
            session,
            "Acqua 0,5 l",
            code="H2O",
            price_cents=100,
            cost_cents=25,
            vat_rate_bp=2200,
            onsite_vat_rate_bp=1000,
            barcode="8000000000017",
            category_obj=drinks,
        )
        toast = factories.product(session, "Toast", code="TST", price_cents=400, vat_rate_bp=1000, kitchen_item=True)
        tomato_lot = factories.lot(
            session,
            tomatoes,
            location_id=counter.location_id,
            quantity=20_000,
            expiry=day + timedelta(days=5),
            date_type=DateType.BEST_BEFORE,
        )
        jam_lot = factories.lot(
            session,
            jam,
            location_id=counter.location_id,
            quantity=30,
            expiry=day + timedelta(days=300),
            date_type=DateType.BEST_BEFORE,
        )
        factories.lot(session, water, location_id=bar.location_id, quantity=50)
        tessera = PriceList(code="tessera", name="Tessera di quartiere", requires_card=True)
        session.add(tessera)
        session.flush()
        session.add_all(
            [
                PriceRule(price_list_id=tessera.id, category_id=veg.id, percent_off_bp=1500),
                PriceRule(price_list_id=tessera.id, percent_off_bp=1000),
                MarkdownRule(category_id=None, days_before=2, percent_bp=3000),
                SolidarityFund(site_id=pal.id, name="Spesa sospesa PAL", balance_cents=2000),
                SolidarityFund(site_id=mon.id, name="Spesa sospesa MON", balance_cents=0),
                GiftCard(code="GC1", balance_cents=1000),
            ]
        )
        return Shop(
            shop_settings(),
            counter.id,
            bar.id,
            counter.location_id,
            bar.location_id,
            factories.logged_in(manager),
            factories.logged_in(cashier),
            tomatoes.id,
            jam.id,
            water.id,
            toast.id,
            tomato_lot.id,
            jam_lot.id,
            day,
        )
