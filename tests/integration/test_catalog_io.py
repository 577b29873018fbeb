"""Product import and export: every bad row named, nothing written unless the whole file is right."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from inventory.catalog_io import ImportRejected, export_products, import_products
from orto.allergens import Allergen
from orto.db import Database
from orto.models import AuditEntry, Barcode, Product, Unit
from tests import factories

HEADER = "codice;nome;categoria;unita;iva;prezzo;barcode;allergeni;plu;costo;giorni_scadenza;tipo_scadenza\n"
GOOD = (
    HEADER
    + "POM;Pomodori cuore di bue;Verdura;kg;4;3,50;;;101;1,80;7;best_before\n"
    + "MARM;Marmellata di albicocche;Conserve;pz;10;4,90;8001234567897|96385074;;;2,10;365;preferibilmente entro\n"
    + "PANE;Pane casereccio;Pane;kg;4;4,20;;Glutine|semi di sesamo;102;;2;use_by\n"
)


def _write(tmp_path: Path, text: str, name: str = "products.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _products(db: Database) -> dict[str, Product]:
    with db.read() as session:
        return {p.code: p for p in session.scalars(select(Product))}


def test_an_italian_excel_file_imports_every_field(db: Database, tmp_path: Path) -> None:
    result = import_products(db, _write(tmp_path, GOOD), actor=factories.manager(db))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    products = _products(db)
    pomodori, marmellata, pane = products["POM"], products["MARM"], products["PANE"]
    assert (pomodori.unit, pomodori.sold_by_weight, pomodori.price_cents, pomodori.plu) == (Unit.KG, True, 350, 101)
    assert (marmellata.vat_rate_bp, marmellata.cost_cents, marmellata.shelf_life_days) == (1000, 210, 365)
    assert marmellata.date_type is not None and marmellata.date_type.value == "best_before"
    assert pane.allergens == frozenset({Allergen.GLUTEN, Allergen.SESAME})
    with db.read() as session:
        codes = set(session.scalars(select(Barcode.code).where(Barcode.product_id == marmellata.id)))
        assert codes == {"8001234567897", "96385074"}
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_encodings_are_detected(db: Database, tmp_path: Path, encoding: str, bom: bool) -> None:
    text = HEADER + "CAF;Caffè macinato più forte;Caffè;pz;22;5,90;;;;;;\n"
    path = tmp_path / "p.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    import_products(db, path, actor=factories.manager(db))
    assert _products(db)["CAF"].name == "Caffè macinato più forte"


def test_plain_comma_csv_with_english_headers(db: Database, tmp_path: Path) -> None:
    text = 'code,name,vat,price,allergens\nX1,"Biscotti, frolla",10,4.50,eggs|milk|cereals containing gluten\n'
    import_products(db, _write(tmp_path, text), actor=factories.manager(db))
    product = _products(db)["X1"]
    assert (product.name, product.price_cents) == ("Biscotti, frolla", 450)
    assert product.allergens == frozenset({Allergen.EGGS, Allergen.MILK, Allergen.GLUTEN})


def test_a_bad_file_lists_every_problem_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    import_products(
        db,
        _write(tmp_path, "codice;nome;iva;prezzo;barcode\nOLD;Vecchio;4;1,00;8001234567897\n"),
        actor=factories.manager(db),
    )
    before = _products(db)
    bad = (
        "codice;nome;iva;prezzo;barcode;allergeni;colore\n"
        "A;Uno;7;1,00;;;\n"  # 2: unknown VAT rate
        "B;Due;4;1,00;8001234567896;;\n"  # 3: bad check digit
        "C;Tre;4;1,00;4006381333931;;\n"  # 4: fine alone...
        "D;Quattro;4;1,00;4006381333931;;\n"  # 5: ...but duplicated in the file
        "E;Cinque;4;1,00;8001234567897;;\n"  # 6: belongs to product OLD
        "F;Sei;4;-2,00;;;\n"  # 7: negative price
        "G;Sette;4;due euro;;;\n"  # 8: unparsable price
        "H;;4;1,00;;;\n"  # 9: missing name
        "I;Nove;4;1,00;;pippo;\n"  # 10: unknown allergen
    )
    with pytest.raises(ImportRejected) as rejected:
        import_products(db, _write(tmp_path, bad, "bad.csv"), actor=factories.manager(db))
    problems = {(e.line, e.column) for e in rejected.value.errors}
    assert problems == {
        (1, "colore"),
        (2, "iva"),
        (3, "barcode"),
        (5, "barcode"),
        (6, "barcode"),
        (7, "prezzo"),
        (8, "prezzo"),
        (9, "nome"),
        (10, "allergeni"),
    }
    reasons = " ".join(e.reason for e in rejected.value.errors)
    assert "check digit" in reasons and "line 4" in reasons and "OLD" in reasons
    after = _products(db)
    assert set(after) == set(before) == {"OLD"}


def test_reimport_updates_by_code_and_counts(db: Database, tmp_path: Path) -> None:
    import_products(db, _write(tmp_path, GOOD), actor=factories.manager(db))
    changed = GOOD.replace("Pane casereccio;Pane;kg;4;4,20", "Pane casereccio;Pane;kg;4;4,40")
    changed += "NEW;Nuovo;;pz;22;1,00;;;;;;\n"
    result = import_products(db, _write(tmp_path, changed, "again.csv"), actor=factories.manager(db))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert _products(db)["PANE"].price_cents == 440


@pytest.mark.parametrize(("name", "plain"), [("out.csv", False), ("out.csv", True), ("out.xlsx", False)])
def test_export_then_import_round_trips_exactly(db: Database, tmp_path: Path, name: str, plain: bool) -> None:
    import_products(db, _write(tmp_path, GOOD), actor=factories.manager(db))
    out = tmp_path / name
    assert export_products(db, out, plain=plain) == 3
    result = import_products(db, out, actor=factories.manager(db))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_italian_csv_export_is_for_excel(db: Database, tmp_path: Path) -> None:
    import_products(db, _write(tmp_path, GOOD), actor=factories.manager(db))
    out = tmp_path / "out.csv"
    export_products(db, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("codice;nome;")
    assert any(";3,50;1,80;" in line for line in lines)


def test_xlsx_export_keeps_numbers_as_numbers(db: Database, tmp_path: Path) -> None:
    import_products(db, _write(tmp_path, GOOD), actor=factories.manager(db))
    out = tmp_path / "out.xlsx"
    export_products(db, out)
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    price = sheet.cell(row=2, column=header.index("prezzo") + 1)
    assert isinstance(price.value, int | float) and price.number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2"


def test_the_label_columns_net_quantity_and_may_contain(db: Database, tmp_path: Path) -> None:
    """contenuto_netto and può_contenere configure the lab's labels (docs/labels.md), and round-trip."""
    from orto.models import ProductFoodInfo

    text = (
        "codice;nome;iva;prezzo;contenuto_netto;può_contenere\n"
        "PEP;Peperoni sott'aceto;10;4,90;0,28 kg;frutta a guscio|sesamo\n"
        "SUC;Succo di mela;10;3,80;75 cl;\n"
    )
    assert import_products(db, _write(tmp_path, text), actor=factories.manager(db)).created == 2
    with db.read() as session:
        info = {p.code: session.get(ProductFoodInfo, p.id) for p in session.scalars(select(Product))}
    assert (info["PEP"].net_quantity, info["PEP"].net_unit) == (280, "g")  # type: ignore[union-attr]
    assert info["PEP"].may_contain == {Allergen.NUTS, Allergen.SESAME}  # type: ignore[union-attr]
    assert (info["SUC"].net_quantity, info["SUC"].net_unit, info["SUC"].may_contain) == (750, "ml", frozenset())  # type: ignore[union-attr]
    # a changed column is an update; the exported file says it the same way and imports unchanged
    changed = import_products(db, _write(tmp_path, text.replace("0,28 kg", "300 g")), actor=factories.manager(db))
    assert (changed.updated, changed.unchanged) == (1, 1)
    out = tmp_path / "export.csv"
    export_products(db, out)
    exported = out.read_text(encoding="utf-8-sig")
    assert ";300 g;frutta a guscio|semi di sesamo" in exported and ";750 ml;" in exported
    assert import_products(db, out, actor=factories.manager(db)).unchanged == 2

    bad = "codice;nome;iva;prezzo;contenuto_netto;puo_contenere\nX;Vasetto;10;1,00;tre etti;nocciolo\n"
    with pytest.raises(ImportRejected) as rejected:
        import_products(db, _write(tmp_path, bad), actor=factories.manager(db))
    assert {(e.line, e.column) for e in rejected.value.errors} == {(2, "contenuto_netto"), (2, "puo_contenere")}
    reasons = " ".join(e.reason for e in rejected.value.errors)
    assert "tre etti" in reasons and "nocciolo" in reasons


def test_units_and_date_types_as_people_write_them_in_both_languages(db: Database, tmp_path: Path) -> None:
    from orto.models import DateType

    text = (
        "code,name,vat,price,unit,date_type\n"
        "E1,Latte,4,1.50,Litres,Use-by\n"
        "E2,Farina,4,1.20,Kilo,best before\n"
        "E3,Uova,10,3.00,pieces,BEST_BEFORE\n"
        "I1,Yogurt,4,0.90,pz,da consumarsi entro\n"
        "I2,Pasta,4,1.10,chilo,Preferibilmente-entro\n"
    )
    import_products(db, _write(tmp_path, text), actor=factories.manager(db))
    found = {code: (p.unit, p.date_type) for code, p in _products(db).items()}
    assert found == {
        "E1": (Unit.LITRE, DateType.USE_BY),
        "E2": (Unit.KG, DateType.BEST_BEFORE),
        "E3": (Unit.PIECE, DateType.BEST_BEFORE),
        "I1": (Unit.PIECE, DateType.USE_BY),
        "I2": (Unit.KG, DateType.BEST_BEFORE),
    }
    with pytest.raises(ImportRejected) as rejected:
        import_products(
            db,
            _write(tmp_path, "code,name,vat,price,unit,date_type\nX,X,4,1.00,sacks,someday\n", "bad.csv"),
            actor=factories.manager(db),
        )
    reasons = " ".join(e.reason for e in rejected.value.errors)
    assert "'sacks'" in reasons and "kilo" in reasons and "litres" in reasons  # says which are accepted
    assert "'someday'" in reasons and "use by date" in reasons and "best before end" in reasons


def test_new_categories_are_made_once_each_and_existing_ones_reused(db: Database, tmp_path: Path) -> None:
    """The categories a file names are written together: one per name whatever its case, in the
    file's order, beside the ones already there; every product lands in its own."""
    from orto.models import Category

    with db.write() as session:
        factories.category(session, "Conserve")
    text = (
        "codice;nome;categoria;iva;prezzo\n"
        "A;Passata;conserve;10;1,90\n"
        "B;Mele;Frutta;4;2,50\n"
        "C;Pere;FRUTTA;4;2,70\n"
        "D;Sale;;10;0,60\n"
        "E;Miele;Dispensa;10;6,00\n"
    )
    result = import_products(db, _write(tmp_path, text), actor=factories.manager(db))
    assert result.categories_created == ["Frutta", "Dispensa"]
    with db.read() as session:
        names = dict(session.execute(select(Product.code, Category.name).outerjoin(Category)).all())
        assert session.scalar(select(func.count()).select_from(Category)) == 3
    assert names == {"A": "Conserve", "B": "Frutta", "C": "Frutta", "D": None, "E": "Dispensa"}
