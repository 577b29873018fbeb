"""Saving one supplier from the suppliers screen: create, edit, distances replaced, codes unique."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import AuditEntry, SupplierDistance
from suppliers.farms import SupplierInput, list_suppliers, save_supplier, supplier_input
from tests import factories
from tests.shop import build_shop


def test_create_edit_and_distances(db: Database) -> None:
    shop = build_shop(db)
    farm = SupplierInput(
        "CASC",
        " Cascina Santa Brera ",
        vat_number="IT01234567890",
        city="San Giuliano",
        organic=True,
        organic_cert_code="IT-BIO-007",
        organic_cert_expiry=date(2027, 6, 30),
        distances={"PAL": 25, "CAP": 30, "MON": 80},
    )
    supplier_id = save_supplier(db, farm, actor=shop.manager)
    view = {s.code: s for s in list_suppliers(db, 70)}["CASC"]
    assert view.name == "Cascina Santa Brera" and view.km0_sites == ("CAP", "PAL")
    assert view.organic_valid(date(2027, 1, 1))

    # edit: MON left out (its distance goes), CAP nearer, no longer organic
    edited = replace(supplier_input(db, supplier_id), organic=False, distances={"PAL": 25, "CAP": 12})
    assert save_supplier(db, edited, supplier_id=supplier_id, actor=shop.manager) == supplier_id
    again = supplier_input(db, supplier_id)
    assert again.distances == {"PAL": 25, "CAP": 12} and not again.organic and again.vat_number == "IT01234567890"
    with db.read() as session:
        assert len(session.scalars(select(SupplierDistance)).all()) == 2
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "supplier")).all()
        assert sorted(actions) == ["supplier_changed", "supplier_created"]


def test_codes_are_unique_and_fields_checked(db: Database) -> None:
    build_shop(db)
    first = save_supplier(db, SupplierInput("A", "Azienda A"), actor=factories.manager(db))
    second = save_supplier(db, SupplierInput("B", "Azienda B"), actor=factories.manager(db))
    with pytest.raises(NotAllowed):
        save_supplier(db, SupplierInput("A", "Azienda B"), supplier_id=second, actor=factories.manager(db))
    with pytest.raises(InvalidInput):
        save_supplier(db, SupplierInput("", "Senza codice"), actor=factories.manager(db))
    with pytest.raises(InvalidInput):
        save_supplier(db, SupplierInput("C", "C", distances={"XYZ": 3}), actor=factories.manager(db))
    with pytest.raises(InvalidInput):
        save_supplier(db, SupplierInput("C", "C", distances={"PAL": -1}), actor=factories.manager(db))
    assert (
        save_supplier(db, SupplierInput("A", "Azienda A bis"), supplier_id=first, actor=factories.manager(db)) == first
    )
    assert {s.code: s.name for s in list_suppliers(db, 70)} == {"A": "Azienda A bis", "B": "Azienda B"}
