"""Suppliers (km0 from a configurable radius, import/export) and deliveries with reception checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from inventory.catalog_io import ImportRejected
from inventory.ledger import ledger_sum, lot_on_hand
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import DeliveryLine, Lot, Product, StockMovement, StorageClass, Supplier
from suppliers.deliveries import DeliveryLineInput, receive_delivery, return_to_supplier
from suppliers.farms import list_suppliers
from suppliers.supplier_io import export_suppliers, import_suppliers
from tests import factories
from tests.shop import build_shop

CSV = (
    "codice;nome;citta;bio;scadenza_bio;km_PAL;km_CAP;km_MON\n"
    "FONT;Cascina Fontanile;Rozzano;sì;30/06/2027;14;13;16\n"
    "VALT;Frutteti di Valtellina;Ponte in Valtellina;no;;138;141;135\n"
    "PIOP;Cascina Tre Pioppi;Melegnano;no;;71;69;70\n"
)


def _csv(tmp_path: Path, text: str, name: str = "fornitori.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_km0_follows_the_radius(db: Database, tmp_path: Path) -> None:
    build_shop(db)
    import_suppliers(db, _csv(tmp_path, CSV), actor=factories.manager(db))
    by_code = {s.code: s for s in list_suppliers(db, 70)}
    assert by_code["FONT"].km0_sites == ("CAP", "MON", "PAL")
    assert by_code["VALT"].km0_sites == ()
    assert by_code["PIOP"].km0_sites == ("CAP", "MON")  # 71 km from Palmanova: just outside
    assert by_code["FONT"].organic_valid(date(2027, 1, 1)) and not by_code["FONT"].organic_valid(date(2027, 7, 1))
    assert {s.code: s.km0_sites for s in list_suppliers(db, 140)}["VALT"] == ("MON", "PAL")


def test_supplier_import_is_all_or_nothing_and_round_trips(db: Database, tmp_path: Path) -> None:
    build_shop(db)
    bad = CSV + "FONT;Doppione;;;;;;\nX;;;forse;31/02/2027;tanti;;\n"
    with pytest.raises(ImportRejected) as rejected:
        import_suppliers(db, _csv(tmp_path, bad, "bad.csv"), actor=factories.manager(db))
    assert {(e.line, e.column) for e in rejected.value.errors} == {
        (5, "codice"),
        (6, "nome"),
        (6, "bio"),
        (6, "scadenza_bio"),
        (6, "km_PAL"),
    }
    with db.read() as session:
        assert session.scalars(select(Supplier)).all() == []
    first = import_suppliers(db, _csv(tmp_path, CSV), actor=factories.manager(db))
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    for name in ("out.csv", "out.xlsx"):
        export_suppliers(db, tmp_path / name)
        again = import_suppliers(db, tmp_path / name, actor=factories.manager(db))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_delivery_creates_lots_and_stock_and_records_rejections(db: Database, tmp_path: Path) -> None:
    shop = build_shop(db)
    import_suppliers(db, _csv(tmp_path, CSV), actor=factories.manager(db))
    with db.read() as session:
        farm = session.scalar(select(Supplier.id).where(Supplier.code == "FONT"))
    assert farm is not None
    day = date(2026, 11, 25)
    result = receive_delivery(
        db,
        shop.settings,
        supplier_id=farm,
        location_id=shop.location,
        note_number="DDT 77",
        actor=shop.manager,
        today=day,
        lines=[
            DeliveryLineInput(shop.tomatoes, 12_000, 150, "T-44"),
            DeliveryLineInput(shop.jam, 6, 200, expiry=day + timedelta(days=400)),
            DeliveryLineInput(
                shop.tomatoes, 3_000, 150, temperature_dc=95, accepted=False, note="cassetta schiacciata e calda"
            ),
        ],
    )
    accepted = [line for line in result.lines if line.accepted]
    assert [line.lot_code for line in accepted] == ["PAL-261125-001", "PAL-261125-002"]
    with db.read() as session:
        lot = session.scalar(select(Lot).where(Lot.code == "PAL-261125-001"))
        assert lot is not None and lot.supplier_lot_code == "T-44" and lot.unit_cost_cents == 150
        assert lot.expiry is None  # the tomatoes of the test shop have no shelf life
        assert lot_on_hand(session, lot.id, shop.location) == 12_000 == ledger_sum(session, shop.location, lot.id)
        rejected = session.scalar(select(DeliveryLine).where(DeliveryLine.accepted.is_(False)))
        assert rejected is not None and rejected.lot_id is None and rejected.temperature_dc == 95
        moved = session.scalars(select(StockMovement.quantity).where(StockMovement.doc_type == "delivery_line")).all()
        assert sorted(moved) == [6, 12_000]  # the rejected 3 kg never entered the stock
    back = return_to_supplier(
        db, lot_id=lot.id, location_id=shop.location, quantity=2_000, reason="marci", actor=shop.manager
    )
    assert back > 0
    with db.read() as session:
        assert lot_on_hand(session, lot.id, shop.location) == 10_000


def test_a_failed_reception_check_needs_a_reason(db: Database, tmp_path: Path) -> None:
    shop = build_shop(db)
    import_suppliers(db, _csv(tmp_path, CSV), actor=factories.manager(db))
    with db.read() as session:
        farm = session.scalar(select(Supplier.id).where(Supplier.code == "FONT"))
    assert farm is not None
    settings = replace(shop.settings, raw={"supply": {"max_chilled_temperature_dc": 40}})
    with db.write() as session:  # the check applies to chilled and frozen goods only
        session.execute(update(Product).where(Product.id == shop.jam).values(storage_class=StorageClass.CHILLED))
    with pytest.raises(NotAllowed, match="reception check failed"):
        receive_delivery(
            db,
            settings,
            supplier_id=farm,
            location_id=shop.location,
            note_number="DDT 78",
            actor=shop.manager,
            lines=[DeliveryLineInput(shop.jam, 6, 200, temperature_dc=60)],
        )
    with pytest.raises(InvalidInput, match="why it is rejected"):
        receive_delivery(
            db,
            settings,
            supplier_id=farm,
            location_id=shop.location,
            note_number="DDT 78",
            actor=shop.manager,
            lines=[DeliveryLineInput(shop.jam, 6, 200, accepted=False)],
        )
    with db.read() as session:
        assert session.scalars(select(DeliveryLine)).all() == []  # nothing half-written
