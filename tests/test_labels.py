"""Lab labels meet Reg. (EU) 1169/2011: golden layouts of the rules, and the peppers preserve end to end."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from inventory import lab
from inventory.recipes import IngredientInput, StepInput, save_recipe
from orto.allergens import Allergen
from orto.db import Database
from orto.i18n import current_language
from orto.models import DateType, Location, Lot, PrintJob, ProductFoodInfo, Site, Unit
from receipts.documents import lot_label
from receipts.escpos_render import PrinterProfile, render
from receipts.food_label import Component, declare, format_net_quantity, label_name, pack_size
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
    batch = lab.start_batch(db, recipe_id=recipe, location_id=lab_location, user_id=shop.manager, today=TODAY)
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
        user_id=shop.manager,
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
