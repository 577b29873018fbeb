"""A corpus of bad input across the API, the typed entry and the imports.

Each case must be refused with an ``InvalidInput`` whose message names the field (or the file,
line and column) and the limit or the fault, and must leave every table as it was: the row
counts of all tables are compared before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from inventory.catalog_io import ImportRejected, import_products
from inventory.counts import add_found, enter_counts
from inventory.donations import DonationItem, donate
from inventory.lab import InputLine, finish_batch, record_reading
from inventory.recalls import lift_recall, open_recall
from inventory.transfers import TransferItem, receive_transfer, send_transfer
from inventory.waste import record_waste
from orto.db import Database
from orto.errors import InvalidInput
from orto.models import Base, PaymentMethod, Product, SaleLine, Tab, WasteReason
from orto.money import parse_kg_to_grams, parse_money
from pos import selling
from pos.selling import PaymentInput, RefundLine
from suppliers.deliveries import DeliveryLineInput, receive_delivery, return_to_supplier
from suppliers.farms import SupplierInput, save_supplier
from suppliers.supplier_io import import_suppliers
from tests import factories
from tests.shop import Shop, build_shop

INF, NAN = float("inf"), float("nan")


@dataclass
class World:
    db: Database
    shop: Shop
    sale: int
    line: int
    tab: int
    tmp: Path


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    added = selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    tab = selling.open_tab(db, shop.bar, shop.cashier, "T1")
    return World(db, shop, sale.id, added.lines[0].id, tab.id, tmp_path)


def _counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }


def _line(w: World, **changes: Any) -> DeliveryLineInput:
    fields: dict[str, Any] = {"product_id": w.shop.jam, "quantity": 10, "unit_cost_cents": 200} | changes
    return DeliveryLineInput(**fields)


def _delivery(w: World, note: str = "DDT 1", **changes: Any) -> Any:
    return receive_delivery(
        w.db,
        w.shop.settings,
        supplier_id=1,
        location_id=w.shop.location,
        note_number=note,
        lines=[_line(w, **changes)],
        actor=w.shop.manager,
    )


def _supplier(w: World, **changes: Any) -> int:
    fields: dict[str, Any] = {"code": "FONT", "name": "Cascina Fontanile"} | changes
    return save_supplier(w.db, SupplierInput(**fields), actor=w.shop.manager)


def _pay(w: World, amount: Any, reference: Any = None) -> Any:
    return selling.complete_sale(
        w.db, w.shop.settings, w.sale, w.shop.cashier, [PaymentInput(PaymentMethod.CASH, amount, reference)]
    )


def _waste(w: World, quantity: Any, note: Any = "") -> Any:
    return record_waste(
        w.db,
        lot_id=w.shop.jam_lot,
        location_id=w.shop.location,
        quantity=quantity,
        reason=WasteReason.DAMAGED,
        actor=w.shop.manager,
        note=note,
    )


def _finish(w: World, yield_quantity: Any, used: Any = 100) -> Any:
    return finish_batch(
        w.db,
        w.shop.settings,
        1,
        inputs=[InputLine(w.shop.tomato_lot, w.shop.location, used)],
        yield_quantity=yield_quantity,
        actor=w.shop.manager,
        today=date.today(),
    )


Case = tuple[str, Callable[[World], Any], str]
S = selling
API: list[Case] = [
    # a sale's lines: quantities and weights
    ("scan 10**12 pieces", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=10**12), "10,000 pieces"),
    ("scan inf pieces", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=INF), "not a whole number"),
    ("scan NaN pieces", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=NAN), "not a whole number"),
    ("scan 2.0 pieces", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=2.0), "not a whole number"),
    (
        "scan True pieces",
        lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=True),
        "not a whole number",
    ),
    (
        "scan Decimal 1.5",
        lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity=Decimal("1.5")),
        "quantity",
    ),
    ("scan '3' pieces", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM", quantity="3"), "not a whole number"),
    ("weigh 1,000,001 g", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "POM", quantity=1_000_001), "1,000,000 g"),
    ("weigh inf g", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "POM", quantity=INF), "quantity"),
    ("add product 10**12", lambda w: S.add_product(w.db, w.sale, w.shop.cashier, w.shop.jam, quantity=10**12), "limit"),
    # scanned codes
    ("code with NUL", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "JAM\x00"), "control character U+0000"),
    ("code with ESC", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "80012\x1b34567897"), "U+001B"),
    ("code of 65 chars", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "8" * 65), "more than the 64"),
    ("code not text", lambda w: S.add_item(w.db, w.sale, w.shop.cashier, 8001234567897), "is not text"),
    # editing a line
    ("set quantity 10**12", lambda w: S.set_quantity(w.db, w.sale, w.shop.cashier, w.line, 10**12), "10,000 pieces"),
    ("set quantity inf", lambda w: S.set_quantity(w.db, w.sale, w.shop.cashier, w.line, INF), "not a whole number"),
    ("set quantity 0.5", lambda w: S.set_quantity(w.db, w.sale, w.shop.cashier, w.line, 0.5), "not a whole number"),
    ("override 10**12", lambda w: S.override_price(w.db, w.sale, w.shop.cashier, w.line, 10**12), "10,000,000 cents"),
    ("override 3.5", lambda w: S.override_price(w.db, w.sale, w.shop.cashier, w.line, 3.5), "unit price"),
    ("override NaN", lambda w: S.override_price(w.db, w.sale, w.shop.cashier, w.line, NAN), "unit price"),
    (
        "typed override of a billion",
        lambda w: S.override_price(w.db, w.sale, w.shop.cashier, w.line, parse_money("99999999999,99")),
        "limit of 10,000,000",
    ),
    (
        "typed weight of 30 digits",
        lambda w: S.add_item(w.db, w.sale, w.shop.cashier, "POM", quantity=parse_kg_to_grams("9" * 30)),
        "1,000,000 g",
    ),
    (
        "line discount 12.5 bp",
        lambda w: S.discount_line(w.db, None, w.sale, w.shop.cashier, w.line, percent_bp=12.5),
        "discount percentage",
    ),
    (
        "line discount inf cents",
        lambda w: S.discount_line(w.db, None, w.sale, w.shop.cashier, w.line, amount_cents=INF),
        "discount amount",
    ),
    (
        "sale discount 10**9",
        lambda w: S.discount_sale(w.db, None, w.sale, w.shop.cashier, amount_cents=10**9),
        "10,000,000 cents",
    ),
    (
        "price list card 41 chars",
        lambda w: S.set_price_list(w.db, w.sale, w.shop.cashier, "tessera", card="1" * 41),
        "40",
    ),
    ("park note with NUL", lambda w: S.park_sale(w.db, w.sale, w.shop.cashier, "later\x00"), "note"),
    ("cancel reason BEL", lambda w: S.cancel_sale(w.db, w.sale, w.shop.cashier, "oops\x07"), "reason"),
    # payments
    ("pay inf", lambda w: _pay(w, INF), "payment 1"),
    ("pay 10**12", lambda w: _pay(w, 10**12), "10,000,000 cents"),
    ("pay 5.0", lambda w: _pay(w, 5.0), "not a whole number"),
    ("pay Decimal 4.905", lambda w: _pay(w, Decimal("4.905")), "not a whole number"),
    ("pay reference NUL", lambda w: _pay(w, 490, "V\x001"), "U+0000"),
    # the drawer
    ("count 10**9 notes", lambda w: S.close_shift(w.db, w.shop.counter, w.shop.cashier, {1000: 10**9}), "100,000"),
    ("count 2.5 notes", lambda w: S.close_shift(w.db, w.shop.counter, w.shop.cashier, {1000: 2.5}), "pieces of 1000"),
    ("count 1000.0 note", lambda w: S.close_shift(w.db, w.shop.counter, w.shop.cashier, {1000.0: 1}), "denomination"),
    ("cash in inf", lambda w: S.cash_movement(w.db, w.shop.counter, w.shop.cashier, INF, "fondo"), "amount"),
    ("cash in 10**12", lambda w: S.cash_movement(w.db, w.shop.counter, w.shop.cashier, 10**12, "fondo"), "limit"),
    ("cash reason NUL", lambda w: S.cash_movement(w.db, w.shop.counter, w.shop.cashier, 500, "fo\x00ndo"), "reason"),
    # tabs
    ("tab label NUL", lambda w: S.open_tab(w.db, w.shop.bar, w.shop.cashier, "T\x002"), "table or name"),
    ("tab label 41 chars", lambda w: S.open_tab(w.db, w.shop.bar, w.shop.cashier, "T" * 41), "more than the 40"),
    ("round 10**12", lambda w: S.add_round(w.db, w.tab, w.shop.cashier, [(w.shop.water, 10**12, None)]), "item 1"),
    ("round 1.5", lambda w: S.add_round(w.db, w.tab, w.shop.cashier, [(w.shop.water, 1.5, None)]), "not a whole"),
    ("round note BEL", lambda w: S.add_round(w.db, w.tab, w.shop.cashier, [(w.shop.water, 1, "\x07")]), "note"),
    ("split in 10**6", lambda w: S.split_evenly(1000, 10**6), "parts"),
    # refunds
    (
        "refund ref NUL",
        lambda w: S.refund(w.db, w.shop.settings, "PAL\x00", w.shop.counter, w.shop.manager),
        "sale number",
    ),
    (
        "refund inf",
        lambda w: S.refund(w.db, w.shop.settings, "X", w.shop.counter, w.shop.manager, lines=[RefundLine(1, INF)]),
        "quantity",
    ),
    # stock
    ("waste 10**12", lambda w: _waste(w, 10**12), "10,000,000"),
    ("waste inf", lambda w: _waste(w, INF), "not a whole number"),
    ("waste note NUL", lambda w: _waste(w, 1, "rotto\x00"), "note"),
    (
        "transfer 10**12",
        lambda w: send_transfer(
            w.db,
            from_location_id=w.shop.location,
            to_location_id=w.shop.bar_location,
            items=[TransferItem(w.shop.jam_lot, 10**12)],
            actor=w.shop.manager,
        ),
        "line 1: quantity",
    ),
    (
        "transfer 2.5",
        lambda w: send_transfer(
            w.db,
            from_location_id=w.shop.location,
            to_location_id=w.shop.bar_location,
            items=[TransferItem(w.shop.jam_lot, 2.5)],
            actor=w.shop.manager,
        ),
        "not a whole number",
    ),
    ("transfer received inf", lambda w: receive_transfer(w.db, 1, received={1: INF}, actor=w.shop.manager), "quantity"),
    (
        "count 10**12 found",
        lambda w: add_found(
            w.db, 1, product_id=w.shop.jam, quantity=10**12, lot_code=None, today=date.today(), actor=w.shop.manager
        ),
        "counted",
    ),
    ("count inf", lambda w: enter_counts(w.db, 1, {1: INF}, actor=w.shop.manager), "counted"),
    # deliveries and suppliers
    ("delivery 10**12", lambda w: _delivery(w, quantity=10**12), "line 1: quantity"),
    ("delivery cost inf", lambda w: _delivery(w, unit_cost_cents=INF), "unit cost"),
    ("delivery cost 10**12", lambda w: _delivery(w, unit_cost_cents=10**12), "10,000,000 cents"),
    ("delivery lot 61 chars", lambda w: _delivery(w, supplier_lot_code="L" * 61), "more than the 60"),
    ("delivery note NUL", lambda w: _delivery(w, note="DDT\x00"), "delivery note number"),
    ("delivery temp 10**6", lambda w: _delivery(w, temperature_dc=10**6), "temperature"),
    ("delivery temp 4.5", lambda w: _delivery(w, temperature_dc=4.5), "temperature"),
    (
        "return inf",
        lambda w: return_to_supplier(
            w.db, lot_id=w.shop.jam_lot, location_id=w.shop.location, quantity=INF, reason="x", actor=w.shop.manager
        ),
        "quantity",
    ),
    ("supplier km 10**12", lambda w: _supplier(w, distances={"PAL": 10**12}), "20,037 km"),
    ("supplier km inf", lambda w: _supplier(w, distances={"PAL": INF}), "km to PAL"),
    ("supplier name 121", lambda w: _supplier(w, name="N" * 121), "more than the 120"),
    ("supplier name NUL", lambda w: _supplier(w, name="Cascina\x00"), "name"),
    ("supplier email 121", lambda w: _supplier(w, email="e" * 121), "email"),
    # recalls and donations
    ("recall reason NUL", lambda w: open_recall(w.db, "L1", reason="listeria\x00", actor=w.shop.manager), "reason"),
    ("recall lot code 49", lambda w: open_recall(w.db, "L" * 49, reason="x", actor=w.shop.manager), "more than the 48"),
    ("lift note ESC", lambda w: lift_recall(w.db, "L1", actor=w.shop.manager, note="\x1b"), "note"),
    (
        "donation to 161 chars",
        lambda w: donate(w.db, site_id=1, organisation="O" * 161, items=[], actor=w.shop.manager, today=date.today()),
        "more than the 160",
    ),
    (
        "donation inf",
        lambda w: donate(
            w.db,
            site_id=1,
            organisation="Banco",
            actor=w.shop.manager,
            today=date.today(),
            items=[DonationItem(w.shop.jam_lot, w.shop.location, INF)],
        ),
        "line 1: quantity",
    ),
    # the lab
    ("batch yield 10**12", lambda w: _finish(w, 10**12), "yield"),
    ("batch input inf", lambda w: _finish(w, 100, INF), "input 1"),
    ("reading inf", lambda w: record_reading(w.db, 1, step_id=1, value=INF, actor=w.shop.manager), "reading"),
]


@pytest.mark.parametrize(("case", "call", "expected"), API, ids=[c[0] for c in API])
def test_the_api_refuses_and_writes_nothing(
    world: World, case: str, call: Callable[[World], Any], expected: str
) -> None:
    before = _counts(world.db)
    with pytest.raises(InvalidInput) as refused:
        call(world)
    assert expected in str(refused.value), str(refused.value)
    assert _counts(world.db) == before


def test_no_float_reaches_an_integer_column(world: World) -> None:
    """After the whole corpus, nothing stored is REAL (SQLite would keep inf as a REAL)."""
    for _case, call, _expected in API:
        with pytest.raises(InvalidInput):
            call(world)
    with world.db.read() as session:
        if world.db.dialect == "sqlite":
            assert (
                session.execute(text("SELECT count(*) FROM sale_lines WHERE typeof(quantity) != 'integer'")).scalar()
                == 0
            )
        assert session.scalar(select(func.max(SaleLine.quantity))) == 1
        assert session.scalar(select(func.count()).select_from(Tab)) == 1


HEADER = "codice;nome;categoria;unita;iva;prezzo;costo;giorni_scadenza;scorta_minima;ingredienti\n"
CATALOG: list[tuple[str, str, str]] = [
    ("price over the limit", "A;Mela;;pz;4;100000,01;;;;\n", "line 3, column prezzo: prezzo: 10000001 is above"),
    ("price of 30 digits", "A;Mela;;pz;4;" + "9" * 30 + ";;;;\n", "column prezzo"),
    ("price inf", "A;Mela;;pz;4;inf;;;;\n", "column prezzo"),
    ("cost over the limit", "A;Mela;;pz;4;1,00;999999999;;;\n", "column costo"),
    ("name with NUL", "A;Me\x00la;;pz;4;1,00;;;;\n", "column nome: nome: control character U+0000 at position 3"),
    ("name of 121", "A;" + "M" * 121 + ";;pz;4;1,00;;;;\n", "121 characters, more than the 120"),
    ("code with SOH", "A\x01;Mela;;pz;4;1,00;;;;\n", "column codice"),
    ("category of 81", "A;Mela;" + "C" * 81 + ";pz;4;1,00;;;;\n", "column categoria"),
    ("shelf life of 99999 days", "A;Mela;;pz;4;1,00;;99999;;\n", "3,650"),
    ("reorder level 10**12", "A;Mela;;pz;4;1,00;;;1000000000000;\n", "column scorta_minima"),
    ("ingredients with ESC", "A;Mela;;pz;4;1,00;;;;mela\x1b[31m\n", "column ingredienti"),
]


@pytest.mark.parametrize(("case", "row", "expected"), CATALOG, ids=[c[0] for c in CATALOG])
def test_a_catalog_import_names_row_column_and_limit(
    db: Database, tmp_path: Path, case: str, row: str, expected: str
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "OK;Pane;;pz;4;2,00;;;;\n" + row, encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_products(db, path, actor=factories.manager(db))
    problems = [str(e) for e in refused.value.errors]
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("line 3") for p in problems), problems
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0


SUPPLIERS: list[tuple[str, str, str]] = [
    (
        "km over the limit",
        "F;Fontanile;Rozzano;99999999;;\n",
        "km_PAL: 99999999 is above the limit of 20,037 km",
    ),
    ("name with NUL", "F;Fonta\x00nile;Rozzano;14;;\n", "column nome"),
    ("name of 121", "F;" + "N" * 121 + ";Rozzano;14;;\n", "more than the 120"),
    ("city with BEL", "F;Fontanile;Roz\x07zano;14;;\n", "column citta"),
    ("email of 121", "F;Fontanile;Rozzano;14;;" + "e" * 121 + "\n", "column email"),
]


@pytest.mark.parametrize(("case", "row", "expected"), SUPPLIERS, ids=[c[0] for c in SUPPLIERS])
def test_a_supplier_import_names_row_column_and_limit(
    db: Database, tmp_path: Path, case: str, row: str, expected: str
) -> None:
    build_shop(db)
    actor = factories.manager(db)
    before = _counts(db)
    path = tmp_path / "f.csv"
    path.write_text("codice;nome;citta;km_PAL;km_CAP;email\n" + row, encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_suppliers(db, path, actor=actor)
    problems = [str(e) for e in refused.value.errors]
    assert any(expected in p and p.startswith("line 2") for p in problems), problems
    assert _counts(db) == before


def _xlsx_not_zip(tmp: Path) -> Path:
    path = tmp / "p.xlsx"
    path.write_text(HEADER, encoding="utf-8")
    return path


def _csv_that_is_xlsx(tmp: Path) -> Path:
    from openpyxl import Workbook

    path = tmp / "book.xlsx"
    Workbook().save(path)
    return path.rename(tmp / "p.csv")


def _not_text(tmp: Path) -> Path:
    path = tmp / "p.csv"
    path.write_bytes(b"codice;nome\n\x81\x8d\x8f\x90\x9d\n")
    return path


FILES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("a folder", lambda tmp: tmp, "is a folder, not a file"),
    ("a missing file", lambda tmp: tmp / "nowhere.csv", "no such file"),
    ("an xlsx that is not a zip", _xlsx_not_zip, "not an XLSX file"),
    ("a csv that is an xlsx", _csv_that_is_xlsx, "this is an XLSX (zip) file"),
    ("a name with NUL", lambda tmp: tmp / "p\x00.csv", "not a usable file name"),
    ("neither UTF-8 nor cp1252", _not_text, "not UTF-8 nor Windows-1252"),
]


@pytest.mark.parametrize(("case", "make", "expected"), FILES, ids=[c[0] for c in FILES])
@pytest.mark.parametrize("importer", [import_products, import_suppliers], ids=["products", "suppliers"])
def test_a_path_that_is_not_the_file_it_says_is_one_line(
    db: Database, tmp_path: Path, case: str, make: Callable[[Path], Path], expected: str, importer: Any
) -> None:
    path = make(tmp_path)
    with pytest.raises(InvalidInput) as refused:
        importer(db, path, actor=factories.manager(db))
    message = str(refused.value)
    assert expected in message and "\n" not in message
    assert str(path) in message or repr(str(path)) in message  # a NUL is shown escaped
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_the_corpus_is_at_least_sixty_cases() -> None:
    assert len(API) + len(CATALOG) + len(SUPPLIERS) + 2 * len(FILES) >= 60
