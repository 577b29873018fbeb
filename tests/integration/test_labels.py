"""Lab labels meet Reg. (EU) 1169/2011: golden layouts of the rules, and the peppers preserve end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inventory import lab
from inventory.recipes import IngredientInput, StepInput, save_recipe
from orto.allergens import Allergen
from orto.db import Database
from orto.errors import ConfigError, InvalidInput
from orto.i18n import current_language
from orto.models import DateType, Location, Lot, PrintJob, ProductFoodInfo, Site, Unit
from receipts.documents import lot_label
from receipts.escpos_render import PrinterProfile, render
from receipts.food_label import Component, declare, format_net_quantity, label_name, pack_size
from receipts.label_sheet import SheetGrid, lot_sheet
from receipts.labels import label_snapshot
from receipts.layout import render_text
from tests import factories
from tests.shop import build_shop

TODAY = date(2026, 11, 25)


def _text(parts: tuple[tuple[str, bool], ...]) -> str:
    """The list as the plain-text preview shows it: emphasised words in capitals."""
    return "".join(t.upper() if bold else t for t, bold in parts)


def test_a_compound_ingredient_lists_its_own_ingredients_in_brackets() -> None:
    declaration = declare(
        "Sugo al Grana",
        [
            Component("passata di pomodoro", "pomodori, sale", quantity=3000),
            Component("olio extravergine di oliva", "olio extravergine di oliva", quantity=200),
            Component("Grana Padano DOP", "latte, sale, caglio", frozenset({Allergen.MILK}), quantity=300),
        ],
    )
    assert _text(declaration.parts) == (
        "passata di pomodoro (pomodori, sale), Grana Padano DOP (9\xa0%) (LATTE, sale, caglio), "
        "olio extravergine di oliva"
    )


def test_allergens_are_emphasised_inside_the_list_and_added_where_the_declaration_is_silent() -> None:
    declaration = declare(
        "Chutney di pere",
        [
            Component("pere", quantity=4000),
            Component("aceto di vino", "aceto di vino (solfiti)", frozenset({Allergen.SULPHITES}), quantity=1000),
            Component("mix di spezie", "", frozenset({Allergen.MUSTARD, Allergen.CELERY}), quantity=50),
            Component("pasta di semola", "semola di grano duro", frozenset({Allergen.GLUTEN}), quantity=None),
        ],
    )
    assert _text(declaration.parts) == (
        "pere, aceto di vino (SOLFITI), mix di spezie (SEDANO, SENAPE), SEMOLA di GRANO duro"
    )
    assert declaration.named == {Allergen.SULPHITES, Allergen.CELERY, Allergen.MUSTARD, Allergen.GLUTEN}
    assert declaration.quid == {}


def test_quid_is_the_share_of_the_weight_used_and_only_for_what_the_name_names() -> None:
    declaration = declare(
        "Peperoni sott'aceto",
        [
            Component("aceto di vino rosso", "aceto di vino (solfiti)", frozenset({Allergen.SULPHITES}), 2000),
            Component("peperoni rossi", quantity=5000),
            Component("sale", quantity=100),
        ],
    )
    # 5000 / 7100 = 70,4 %; "sott'aceto" is a way of preserving, not an ingredient to quantify
    assert declaration.text == "peperoni rossi (70\xa0%), aceto di vino (solfiti), sale"
    assert declaration.quid == {"peperoni rossi": 70}


def test_net_quantity_and_names_without_pack_size() -> None:
    assert pack_size("Peperoni sott'aceto 280 g") == (280, "g")
    assert pack_size("Acqua naturale 0,5 l") == (500, "ml")
    assert pack_size("Chinotto 33 cl") == (330, "ml")
    assert pack_size("Riso Carnaroli 1 kg") == (1000, "g")
    assert pack_size("Catering - vassoio tartine (30 pz)") is None
    assert label_name("Aceto di vino rosso 500 ml") == "aceto di vino rosso"
    assert label_name("Grana Padano 1 kg") == "Grana Padano"
    assert label_name("Basilico (mazzo)") == "basilico"
    assert label_name("Uova fresche da galline all'aperto (6)") == "uova fresche da galline all'aperto"
    assert [format_net_quantity(*q) for q in ((280, "g"), (750, "ml"), (1000, "g"), (1500, "ml"))] == [
        "280 g",
        "750 ml",
        "1 kg",
        "1,5 l",
    ]


def _peppers_preserve(db: Database) -> tuple[int, object]:
    """The peppers preserve made at Palmanova's lab from red peppers, vinegar and salt."""
    shop = build_shop(db, today=TODAY)
    with db.write() as session:
        pal = session.scalar(select(Site).where(Site.code == "PAL"))
        assert pal is not None
        lab_location = session.scalar(select(Location.id).where(Location.site_id == pal.id, Location.code == "LAB"))
        peppers = factories.product(session, "Peperoni rossi", code="V006", unit=Unit.KG, by_weight=True)
        vinegar = factories.product(
            session,
            "Aceto di vino rosso 500 ml",
            code="D008",
            ingredients="aceto di vino (solfiti)",
            allergens=frozenset({Allergen.SULPHITES}),
        )
        salt = factories.product(session, "Sale marino 1 kg", code="D013", ingredients="sale marino")
        preserve = factories.product(
            session,
            "Peperoni sott'aceto 280 g",
            code="C012",
            vat_rate_bp=1000,
            storage_note="Conservare in luogo fresco e asciutto.",
        )
        session.add(ProductFoodInfo(product_id=preserve.id, may_contain=frozenset({Allergen.NUTS})))
        lots = {
            "peppers": factories.lot(session, peppers, location_id=lab_location, quantity=8000).id,
            "vinegar": factories.lot(session, vinegar, location_id=lab_location, quantity=10).id,
            "salt": factories.lot(session, salt, location_id=lab_location, quantity=5).id,
        }
        ids = (peppers.id, vinegar.id, salt.id, preserve.id)
    recipe = save_recipe(
        db,
        actor=shop.manager,
        code="PEP-ACETO",
        name="Peperoni sott'aceto",
        output_product_id=ids[3],
        expected_yield=18,
        shelf_life_days=365,
        date_type=DateType.BEST_BEFORE,
        inputs=[IngredientInput(ids[0], 5000), IngredientInput(ids[1], 4), IngredientInput(ids[2], 1)],
        steps=[StepInput("Sbollentare in aceto")],
    )
    assert lab_location is not None
    batch = lab.start_batch(db, recipe_id=recipe, location_id=lab_location, actor=shop.manager, today=TODAY)
    done = lab.finish_batch(
        db,
        shop.settings,
        batch,
        # what was actually used, not the recipe: 5,2 kg of peppers, 3 bottles (1,5 l), one packet of salt
        inputs=[
            lab.InputLine(lots["peppers"], lab_location, 5200),
            lab.InputLine(lots["vinegar"], lab_location, 3),
            lab.InputLine(lots["salt"], lab_location, 1),
        ],
        yield_quantity=20,
        actor=shop.manager,
        today=TODAY,
        label_copies=1,
        label_printer="etichette",
    )
    return done.lot_id, shop


PEPPERS_LABEL = """\
  Peperoni sott'aceto
Ingredienti: peperoni rossi (68\xa0%), aceto di
vino (SOLFITI), sale marino
Può contenere: FRUTTA A GUSCIO
Quantità netta: 280 g
Da consumarsi preferibilmente entro il
25/11/2027
Lotto: {lot}
Prodotto il 25/11/2026
Conservare in luogo fresco e asciutto.
Prodotto da Fuori e Dentro, Orto-emporio, Via
Palmanova 59, Milano
              || {lot} ||
"""


def test_the_peppers_preserve_label(db: Database) -> None:
    """The "Done when" of issue 15: ingredients by weight, the vinegar as its own declaration, the
    peppers' QUID, the net quantity and the site that made the batch."""
    lot_id, _shop = _peppers_preserve(db)
    with db.read() as session:
        job = session.scalars(select(PrintJob).where(PrintJob.doc_type == "label")).one()
        lot = session.get(Lot, lot_id)
        assert lot is not None
        doc = job.document
    # 5200 g + 3 × 500 ml + 1 × 1000 g = 7700 used: the peppers are 5200 / 7700 = 67,5 %, half up 68 %
    text = render_text(lot_label(doc, 48))
    assert "Aceto di vino rosso 500 ml" not in text and "500 ml" not in text
    assert text == PEPPERS_LABEL.format(lot=lot.code), text
    assert lot.ingredients == "peperoni rossi (68\xa0%), aceto di vino (solfiti), sale marino"
    data = render(lot_label(doc, 48), PrinterProfile())
    assert b"\x1bE\x01solfiti" in data  # bold on paper, inside the list


def test_the_label_is_italian_in_an_english_till(db: Database) -> None:
    shop = build_shop(db)
    assert current_language() == "en"  # as every test starts
    with db.write() as session:
        jar = factories.product(session, "Confettura di fichi 1,5 kg", code="FICHI")
        lot = factories.lot(session, jar, quantity=3)
        label = label_snapshot(session, shop.settings, lot)
        weighed = label_snapshot(session, shop.settings, session.get(Lot, shop.tomato_lot))  # type: ignore[arg-type]
    assert label["net_quantity"] == "1,5 kg"  # not "1.5 kg"
    assert label["name"] == "Confettura di fichi"
    assert weighed["net_quantity"] is None  # sold by weight: the scale's label states it
    assert "Quantità netta: 1,5 kg" in render_text(lot_label(label, 48))


def _drawn_text(pdf: Path) -> list[list[tuple[float, float, str, str]]]:
    """Per page: (x, y in mm from the top-left, font name, text) of every piece of text."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[float, float, str, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float, into: list[Any] = found) -> None:
            if text.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                into.append((x / 72 * 25.4, 297 - y / 72 * 25.4, str(font.get("/BaseFont", "")), text))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def test_the_peppers_labels_on_an_a4_sheet(db: Database, tmp_path: Path) -> None:
    lot_id, shop = _peppers_preserve(db)
    with db.read() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        code = lot.code
    out = tmp_path / "etichette.pdf"
    # 3 labels already peeled off the first sheet of 2 × 4: 10 labels take positions 3..12, two sheets
    assert lot_sheet(db, shop.settings, code, out, copies=10, skip=3) == 2
    pages = _drawn_text(out)
    assert len(pages) == 2
    grid = SheetGrid()
    for page, labels in zip(pages, (5, 5), strict=True):
        assert sum("Peperoni sott'aceto" in t for *_xy, t in page) == labels
        bold = {t.strip(" ,()\n") for _x, _y, font, t in page if "Bold" in font}
        assert "solfiti" in bold and "frutta a guscio" in bold
        for x, y, _font, _text in page:  # everything inside a label, within its padding
            column = int((x - grid.margin_left_mm) // (grid.label_width_mm + grid.gap_x_mm))
            row = int((y - grid.margin_top_mm) // (grid.label_height_mm + grid.gap_y_mm))
            left, top = grid.origin_mm(row * grid.columns + column)
            assert left + grid.padding_mm - 0.1 <= x <= left + grid.label_width_mm - grid.padding_mm
            assert top + grid.padding_mm <= y <= top + grid.label_height_mm - grid.padding_mm + 0.1
    first_page_rows = {round(y) for _x, y, _f, t in pages[0] if "Peperoni sott'aceto" in t}
    assert min(first_page_rows) > grid.margin_top_mm + grid.label_height_mm  # the first row's 2 and 1 are used
    text = " ".join(" ".join(t for *_rest, t in pages[0]).split())
    assert "Quantità netta: 280 g" in text and "Via Palmanova 59" in text and "500 ml" not in text


def test_a_sheet_grid_that_does_not_fit_a4_is_refused() -> None:
    with pytest.raises(ConfigError, match="larger than an A4 sheet"):
        SheetGrid.from_options({"columns": 3, "label_width_mm": 70, "margin_left_mm": 5})
    assert (
        SheetGrid.from_options(
            {
                "columns": 3,
                "rows": 8,
                "label_width_mm": 70,
                "label_height_mm": 37,
                "margin_left_mm": 0,
                "margin_top_mm": 0.5,
                "gap_x_mm": 0,
            }
        ).per_sheet
        == 24
    )


def test_a_label_too_long_for_its_cell_is_refused(tmp_path: Path) -> None:
    from receipts.label_sheet import write_sheets

    tiny = SheetGrid.from_options({"label_width_mm": 40, "label_height_mm": 20, "padding_mm": 2})
    layout = lot_label(
        {
            "kind": "label",
            "name": "Peperoni sott'aceto",
            "ingredients": "peperoni, aceto di vino (solfiti) " * 8,
            "lot_code": "PAL-261125-001",
            "produced_on": "2026-11-25",
            "producer": "Fuori e Dentro",
            "producer_address": "Orto-emporio, Via Palmanova 59, Milano",
        }
    )
    with pytest.raises(InvalidInput, match="does not fit a 36 × 16 mm space"):
        write_sheets([layout], tmp_path / "x.pdf", tiny)


def test_orto_labels_sheet(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli.app import main_group

    lot_id, _shop = _peppers_preserve(db)
    with db.read() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        code = lot.code
    out = tmp_path / "fogli.pdf"
    url = db.url.render_as_string(hide_password=False) if hasattr(db.url, "render_as_string") else str(db.url)
    assert main_group(["--db", url, "--lang", "it", "labels", "sheet", code, "--out", str(out), "--copies", "9"]) == 0
    assert f"scritto {out} (2 pagine)" in capsys.readouterr().out
    assert len(_drawn_text(out)) == 2
    assert main_group(["--db", url, "labels", "sheet", "PAL-000000-999", "--out", str(out)]) == 1  # not found
    assert "PAL-000000-999" in capsys.readouterr().err
