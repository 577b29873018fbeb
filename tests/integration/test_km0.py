"""km0 is where food is produced: a distributor's goods are km0 only through a producer of origin
near the selling site; a lab lot by the km0 share of its inputs' weight; the demo's bottled water
is km0 nowhere (the supplier list, the slip, the impact report)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.enums import BatchStatus
from orto.errors import InvalidInput
from orto.km0 import Km0Rule, km0_lot_ids, lab_lot_is_km0
from orto.localtime import ROME
from orto.models import (
    Batch,
    BatchInput,
    DateType,
    Lot,
    LotOrigin,
    PaymentMethod,
    PrintJob,
    Product,
    Recipe,
    Sale,
    Site,
    SupplierKind,
    Unit,
)
from pos import selling
from pos.reports import make_report
from pos.selling.views import PaymentInput
from receipts.snapshots import sale_snapshot
from suppliers.deliveries import DeliveryLineInput, receive_delivery
from suppliers.farms import SupplierInput, list_suppliers, save_supplier
from tests import factories
from tests.factories import manager as reporter
from tests.shop import build_shop


def test_the_pure_lab_rule() -> None:
    assert lab_lot_is_km0([(600, True), (400, False)], 50)
    assert lab_lot_is_km0([(500, True), (500, False)], 50)  # exactly half is enough
    assert not lab_lot_is_km0([(499, True), (501, False)], 50)
    assert not lab_lot_is_km0([(600, True), (400, False)], 70)
    assert not lab_lot_is_km0([(0, True)], 50)  # pieces only: no weight, nothing to show


def _supplier(db: Database, code: str, kind: SupplierKind, km: int) -> int:
    data = SupplierInput(code, f"Supplier {code}", kind=kind, distances={"PAL": km, "MON": km})
    return save_supplier(db, data, actor=factories.manager(db))


def _lab_lot(db: Database, output: int, site: int, location: int, inputs: list[tuple[int, int, int]]) -> int:
    """A lab output lot made from (lot, product, quantity) inputs."""
    with db.write() as session:
        recipe = Recipe(
            code=f"R{output}-{len(inputs)}-{inputs[0][2]}",
            name="Peperoni in agrodolce",
            output_product_id=output,
            expected_yield=10,
            shelf_life_days=365,
            date_type=DateType.BEST_BEFORE,
        )
        session.add(recipe)
        session.flush()
        batch = Batch(
            code=f"B-{recipe.code}",
            recipe_id=recipe.id,
            site_id=site,
            location_id=location,
            status=BatchStatus.COMPLETED,
        )
        session.add(batch)
        session.flush()
        for lot_id, product_id, quantity in inputs:
            session.add(BatchInput(batch_id=batch.id, lot_id=lot_id, product_id=product_id, quantity=quantity))
        lot = Lot(
            code=f"LAB-{recipe.code}",
            product_id=output,
            origin=LotOrigin.BATCH,
            batch_id=batch.id,
            received_on=date(2026, 11, 20),
        )
        session.add(lot)
        session.flush()
        return lot.id


def test_producer_of_origin_distributor_and_lab_lots(db: Database) -> None:
    shop = build_shop(db)
    near = _supplier(db, "NEAR", SupplierKind.FARM, 12)
    far = _supplier(db, "FAR", SupplierKind.FARM, 138)
    dist = _supplier(db, "DIST", SupplierKind.DISTRIBUTOR, 20)
    with db.write() as session:
        pal = session.scalar(select(Site).where(Site.code == "PAL"))
        assert pal is not None
        vinegar = factories.product(
            session, "Aceto di vino", code="ACE", unit=Unit.LITRE, price_cents=300, vat_rate_bp=2200
        )
        jars = factories.product(session, "Vasetto", code="VAS", price_cents=10, vat_rate_bp=2200)
        preserve = factories.product(
            session, "Peperonata", code="PAG", unit=Unit.KG, price_cents=990, vat_rate_bp=1000
        )  # by weight: it weighs as an input of another lab product
        ids = (vinegar.id, jars.id, preserve.id, pal.id)
    vinegar_id, jars_id, preserve_id, pal_id = ids
    day = date(2026, 11, 20)

    def receive(supplier: int, *lines: DeliveryLineInput) -> list[int]:
        result = receive_delivery(
            db, shop.settings, supplier_id=supplier, location_id=shop.location, note_number="DDT 1",
            lines=list(lines), actor=shop.manager, today=day,
        )  # fmt: skip
        with db.read() as session:
            return [int(session.scalar(select(Lot.id).where(Lot.code == line.lot_code)) or 0) for line in result.lines]

    (water,) = receive(dist, DeliveryLineInput(shop.water, 24, 25))
    (peppers,) = receive(dist, DeliveryLineInput(shop.tomatoes, 5_000, 180, origin_supplier_id=near))
    (from_far,) = receive(dist, DeliveryLineInput(shop.tomatoes, 5_000, 180, origin_supplier_id=far))
    (tomatoes,) = receive(near, DeliveryLineInput(shop.tomatoes, 5_000, 180))
    (vinegar_lot,) = receive(far, DeliveryLineInput(vinegar_id, 2_000, 300))
    (jar_lot,) = receive(dist, DeliveryLineInput(jars_id, 100, 10))
    with pytest.raises(InvalidInput, match="producer of origin"):
        receive(dist, DeliveryLineInput(shop.tomatoes, 1_000, 180, origin_supplier_id=dist))

    mostly_local = _lab_lot(db, preserve_id, pal_id, shop.location, [(tomatoes, shop.tomatoes, 600),
        (vinegar_lot, vinegar_id, 400), (jar_lot, jars_id, 10)])  # fmt: skip
    mostly_far = _lab_lot(db, preserve_id, pal_id, shop.location, [(peppers, shop.tomatoes, 300),
        (vinegar_lot, vinegar_id, 700)])  # fmt: skip
    made_of_lab = _lab_lot(db, preserve_id, pal_id, shop.location, [(mostly_local, preserve_id, 900),
        (from_far, shop.tomatoes, 100)])  # fmt: skip

    every = [water, peppers, from_far, tomatoes, vinegar_lot, jar_lot, mostly_local, mostly_far, made_of_lab]
    with db.read() as session:
        at_pal = km0_lot_ids(session, Km0Rule(70), pal_id, every)
        assert at_pal == {peppers, tomatoes, mostly_local, made_of_lab}
        assert km0_lot_ids(session, Km0Rule(70, lab_min_share_pct=70), pal_id, every) == {peppers, tomatoes}
        assert km0_lot_ids(session, Km0Rule(10), pal_id, every) == set()  # 12 km is outside 10
        # a radius that reaches the far farm: its lots become km0, the distributor's water never
        wide = km0_lot_ids(session, Km0Rule(200), pal_id, every)
        assert water not in wide and jar_lot not in wide and {from_far, vinegar_lot, mostly_far} <= wide
    assert {s.code: s.km0_sites for s in list_suppliers(db, 70)}["DIST"] == ()

    # the slip: the lot sold decides the mark (the lot code scanned; the water by its barcode,
    # only the distributor's lot of it is at the shop)
    with db.read() as session:
        codes = dict(session.execute(select(Lot.id, Lot.code).where(Lot.id.in_([tomatoes, from_far]))).all())
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, codes[tomatoes], quantity=1_000, today=day)
    selling.add_item(db, sale.id, shop.cashier, codes[from_far], quantity=1_000, today=day)
    sale = selling.add_item(db, sale.id, shop.cashier, "8000000000017", today=day)
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 2_000)], today=day
    )
    with db.read() as session:
        job = session.get(PrintJob, result.print_job_ids[0])
        stored = session.get(Sale, sale.id)
        assert job is not None and stored is not None
        assert [(line["description"], line["km0"]) for line in job.document["lines"]] == [
            ("Pomodori", True),
            ("Pomodori", False),
            ("Acqua 0,5 l", False),
        ]
        assert job.document == sale_snapshot(session, shop.settings, stored)  # a reprint says the same


def test_the_demo_water_is_km0_nowhere(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import pos.demo as demo

    today = datetime.now(ROME).date()
    monkeypatch.setattr(demo, "HISTORY_DAYS", 12)
    demo.build_demo(db, today)
    suppliers = {s.code: s for s in list_suppliers(db, 70)}
    assert suppliers["OROB"].kind is SupplierKind.DISTRIBUTOR and suppliers["OROB"].km0_sites == ()
    assert suppliers["TORR"].km0_sites == ()  # the roaster: coffee is grown far away
    assert suppliers["FONT"].km0_sites == ("CAP", "MON", "PAL")

    with db.read() as session:
        water = session.scalar(select(Product).where(Product.code == "B101"))
        tomato = session.scalar(select(Product).where(Product.code == "V001"))
        assert water is not None and tomato is not None
        water_lots = list(session.scalars(select(Lot.id).where(Lot.product_id == water.id)))
        sites = {code: sid for code, sid in session.execute(select(Site.code, Site.id))}
        assert water_lots
        for site_id in sites.values():  # anywhere, with any radius
            assert km0_lot_ids(session, Km0Rule(500), site_id, water_lots) == set()

    # the impact report: the water's purchases are in "all", never in "km0"
    report = make_report(db, "impact", first=today.replace(day=1) if today.day > 13 else None, actor=reporter(db))
    km0_table = report.tables[0]
    purchases, sales = km0_table.rows
    assert 0 < purchases[1] < purchases[2] and 0 < sales[1] < sales[2]
    supplier_rows = {row[0]: row for row in report.tables[2].rows}
    assert supplier_rows["OROB"][5] in ("no",) and supplier_rows["FONT"][5] in ("sì", "yes")
