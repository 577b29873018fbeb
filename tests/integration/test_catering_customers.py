"""Customers of catering: codice fiscale, partita IVA, SdI code checked; nothing written when wrong;
the Tessera di quartiere held by a customer, refused or warned when unknown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from catering.customers import CustomerData, CustomerInvalid, add_card, save_customer
from orto.config import Settings
from orto.db import Database
from orto.errors import NotAllowed, NotFound
from orto.models import Customer, Role, Sale
from pos import selling
from tests.shop import build_shop

BUSINESS_VAT = "01234560157"  # valid check digit, Milan office 015
PERSON_CF = "RSSMRA85T10A562S"


def business(**changes: object) -> CustomerData:
    values: dict[str, object] = dict(
        name="Associazione Ortica",
        kind="association",
        vat_number=BUSINESS_VAT,
        address="Via Capuana 3",
        postcode="20125",
        town="Milano",
        province="mi",
        sdi_code="m5uxcr1",
    )
    values.update(changes)
    return CustomerData(**values)  # type: ignore[arg-type]


def customers(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def test_a_valid_business_is_stored_normalised(db: Database) -> None:
    shop = build_shop(db)
    actor = shop.cashier
    cid = save_customer(db, actor, business())
    with db.read() as session:
        c = session.get(Customer, cid)
        assert c is not None
        assert (c.vat_number, c.province, c.sdi_code, c.kind) == (BUSINESS_VAT, "MI", "M5UXCR1", "association")


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"vat_number": "01234560150"}, "partita IVA", "7 expected"),
        ({"vat_number": "1234"}, "partita IVA", "11 digits"),
        ({"fiscal_code": "RSSMRA85T10A562X"}, "codice fiscale", "S expected"),
        ({"sdi_code": "ABC12"}, "codice SdI", "7 letters or digits"),
        ({"kind": "public", "sdi_code": "ABCDEFG"}, "codice SdI", "6 letters or digits"),
        ({"postcode": "2012"}, "CAP", "five digits"),
        ({"pec": "not-an-address"}, "PEC", "e-mail"),
        ({"name": "  "}, "nome", "name"),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_written(db: Database, changes: dict, field: str, hint: str) -> None:
    shop = build_shop(db)
    actor = shop.cashier
    with pytest.raises(CustomerInvalid) as caught:
        save_customer(db, actor, business(**changes))
    assert caught.value.field == field
    assert hint in str(caught.value)
    assert customers(db) == 0


def test_a_person_with_codice_fiscale(db: Database) -> None:
    shop = build_shop(db)
    actor = shop.cashier
    cid = save_customer(db, actor, CustomerData(name="Mario Rossi", kind="person", fiscal_code=PERSON_CF.lower()))
    with db.read() as session:
        c = session.get(Customer, cid)
        assert c is not None and c.fiscal_code == PERSON_CF and c.vat_number is None


def test_a_forged_operator_writes_nothing(db: Database) -> None:
    from orto.policy import Operator

    build_shop(db)
    with pytest.raises(NotAllowed):
        save_customer(db, Operator(1, "x", Role.MANAGER), business())
    assert customers(db) == 0


def _card_sale(db: Database, shop, settings: Settings, number: str):  # type: ignore[no-untyped-def]
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    return selling.set_price_list(db, sale.id, shop.cashier, "tessera", card=number, settings=settings)


def test_the_social_tariff_names_a_valid_card(db: Database) -> None:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    actor = shop.cashier
    cid = save_customer(db, actor, CustomerData(name="Lucia Bianchi", kind="person"))
    add_card(db, actor, cid, "tq-0042", shop.today + timedelta(days=30))
    add_card(db, actor, cid, "TQ-0001", shop.today - timedelta(days=1))
    refuse = Settings(database_url="", database_url_explicit=True, raw={"selling": {"social_card_unknown": "refuse"}})

    view = _card_sale(db, shop, refuse, "TQ-0042")
    assert view.warnings == ()
    with db.read() as session:
        sale = session.get(Sale, view.id)
        assert sale is not None and (sale.customer_id, sale.customer_card) == (cid, "TQ-0042")
        assert sale.price_list_id is not None

    with pytest.raises(NotAllowed, match="expired"):
        selling.set_price_list(db, view.id, shop.cashier, "tessera", card="TQ-0001", settings=refuse)
    with pytest.raises(NotFound, match="TQ-9999"):
        selling.set_price_list(db, view.id, shop.cashier, "tessera", card="TQ-9999", settings=refuse)
    warn = selling.set_price_list(db, view.id, shop.cashier, "tessera", card="TQ-9999")
    assert any("TQ-9999" in w for w in warn.warnings)


def test_import_is_all_or_nothing_with_line_and_column(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catering.customers_io import export_customers, import_customers
    from inventory.catalog_io import ImportRejected

    shop = build_shop(db)
    actor = shop.manager
    bad = tmp_path / "clienti.csv"
    bad.write_text(
        "codice;nome;tipo;partita_iva;codice_sdi;provincia\n"
        f"C1;Ortica;associazione;{BUSINESS_VAT};M5UXCR1;MI\n"
        "C2;Bar Sport;azienda;01234560150;;MI\n"
        "C3;Comune;ente pubblico;;ABCDEFG;MI\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_customers(db, actor, bad)
    problems = [str(e) for e in caught.value.errors]
    assert problems == [
        "line 3, column partita_iva: 01234560150: wrong check digit, 7 expected",
        "line 4, column codice_sdi: ABCDEFG: 6 letters or digits expected",
    ]
    assert customers(db) == 0
    good = tmp_path / "ok.csv"
    good.write_text(
        "codice;nome;tipo;partita_iva;codice_sdi;provincia;giorni_pagamento\n"
        f"C1;Ortica;associazione;{BUSINESS_VAT};M5UXCR1;MI;60\n"
        f"C2;Mario Rossi;privato;;;MI;\n",
        encoding="utf-8",
    )
    result = import_customers(db, actor, good)
    assert (result.created, result.updated) == (2, 0)
    assert import_customers(db, actor, good).unchanged == 2
    out = tmp_path / "out.xlsx"
    assert export_customers(db, actor, out) == 2
    again = import_customers(db, actor, out)
    assert again.unchanged == 2
    with db.read() as session:
        ortica = session.scalar(select(Customer).where(Customer.code == "C1"))
        assert ortica is not None and (ortica.kind, ortica.payment_days) == ("association", 60)
