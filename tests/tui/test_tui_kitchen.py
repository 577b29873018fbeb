"""The kitchen's screens in the real till, driven by Pilot; each action is checked in the database.

A kitchen user (Luca) logs in at the Capuana counter with no shift open and lands on the
kitchen's home; a second till at Palmanova receives what Capuana sends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input

from inventory.counts import count_sheet
from inventory.ledger import lot_on_hand
from inventory.recipes import IngredientInput, StepInput, save_recipe
from orto.allergens import Allergen
from orto.config import PrinterConfig
from orto.db import Database
from orto.localtime import local_day
from orto.models import (
    Batch,
    BatchInput,
    BatchStatus,
    Counter,
    CounterKind,
    CountStatus,
    DateType,
    Delivery,
    DeliveryLine,
    Location,
    Lot,
    PrintJob,
    Recall,
    Role,
    Site,
    StockCount,
    Supplier,
    SupplierDistance,
    Transfer,
    TransferStatus,
    Unit,
    WasteReason,
    WasteRecord,
    utcnow,
)
from pos.tui.app import OrtoTill
from pos.tui.context import CounterInfo
from pos.tui.menu import MenuEntry
from pos.tui.menu import entries_for as _entries_for
from pos.tui.navigation import menu_entries
from suppliers.deliveries import DeliveryLineInput, receive_delivery
from tests import factories
from tests.shop import MANAGER_PIN, Shop, build_shop
from tests.tui.workers import work_done


def entries_for(role: Role, counter: CounterKind) -> list[MenuEntry]:  # the menu as pos.tui.navigation declares it
    return _entries_for(menu_entries(), role, counter)


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

KITCHEN_PIN = "4444"
TODAY = local_day(utcnow())  # the day the kitchen screens work in (Milan)


class Kitchen:
    def __init__(self, shop: Shop, ids: dict[str, int], recipe_id: int, tomato_lot: str, basil_lot: str) -> None:
        self.shop = shop
        self.ids = ids
        self.recipe_id = recipe_id
        self.tomato_lot = tomato_lot
        self.basil_lot = basil_lot


def _locations(session, site_code: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    site = session.scalar(select(Site).where(Site.code == site_code))
    return {loc.code: loc.id for loc in session.scalars(select(Location).where(Location.site_id == site.id))}


@pytest.fixture
def kitchen(db: Database) -> Kitchen:
    shop = build_shop(db, today=TODAY)
    shop.settings.counter_printers["CAP-1"] = {"label": "banco"}
    with db.write() as session:
        factories.user(session, "Luca", Role.KITCHEN, KITCHEN_PIN)
        farm = Supplier(code="CASC", name="Cascina Santa Brera", city="San Giuliano")
        session.add(farm)
        session.flush()
        for code, km in (("CAP", 25), ("PAL", 28), ("MON", 90)):
            site = session.scalar(select(Site.id).where(Site.code == code))
            session.add(SupplierDistance(supplier_id=farm.id, site_id=site, distance_km=km))
        salt = factories.product(session, "Sale", code="SALE", unit=Unit.KG, cost_cents=100)
        basil = factories.product(session, "Basilico", code="BAS", unit=Unit.KG, cost_cents=2000, shelf_life_days=4)
        passata = factories.product(
            session,
            "Passata di pomodoro",
            code="PASS",
            price_cents=450,
            vat_rate_bp=1000,
            allergens=frozenset({Allergen.CELERY}),
        )
        cap = _locations(session, "CAP")
        salt_lot = factories.lot(session, salt, location_id=cap["LAB"], quantity=5000, expiry=TODAY + timedelta(400))
        ids = {
            "farm": farm.id,
            "salt": salt.id,
            "basil": basil.id,
            "passata": passata.id,
            "salt_lot": salt_lot.id,
            **{f"cap_{k.lower()}": v for k, v in cap.items()},
            **{f"pal_{k.lower()}": v for k, v in _locations(session, "PAL").items()},
        }
    recipe_id = save_recipe(
        db,
        actor=shop.manager,
        code="PASSATA",
        name="Passata di pomodoro",
        output_product_id=ids["passata"],
        expected_yield=20,
        shelf_life_days=365,
        date_type=DateType.BEST_BEFORE,
        inputs=[
            IngredientInput(shop.tomatoes, 10_000),
            IngredientInput(ids["salt"], 100),
            IngredientInput(ids["basil"], 50),
        ],
        steps=[
            StepInput("Lavare e tagliare"),
            StepInput("Pastorizzare", "temperature_dc", min_value=850),
            StepInput("Tempo di pastorizzazione", "minutes", min_value=10),
            StepInput("Raffreddare entro 2 h", "temperature_dc", max_value=40),
        ],
    )
    received = receive_delivery(
        db,
        shop.settings,
        supplier_id=ids["farm"],
        location_id=ids["cap_cold"],
        note_number="DDT 118",
        lines=[
            DeliveryLineInput(shop.tomatoes, 12_000, 150, "CSB-2611", expiry=TODAY + timedelta(days=2)),
            DeliveryLineInput(ids["basil"], 200, 2000, "CSB-B7", expiry=TODAY + timedelta(days=5)),
        ],
        actor=shop.manager,
        today=TODAY,
    )
    tomato_code, basil_code = (line.lot_code for line in received.lines)
    assert tomato_code and basil_code
    return Kitchen(shop, ids, recipe_id, tomato_code, basil_code)


def _till(db: Database, shop: Shop, counter_code: str = "CAP-1") -> OrtoTill:
    with db.read() as session:
        counter = session.scalar(select(Counter).where(Counter.code == counter_code))
        assert counter is not None
        info = CounterInfo(
            counter.id, counter.code, counter.name, counter.kind, counter.site_id, counter.site.code, counter.site.name
        )
    settings = replace(shop.settings, printers={"banco": PrinterConfig("banco", "none")})
    return OrtoTill(db, settings, info, start_queue=False)


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(5):
        await work_done(pilot)
        await pilot.pause()


async def say(pilot: Pilot, text: str = "") -> None:  # type: ignore[type-arg]
    """Type an answer in the focused input (nothing: accept what is there) and press Enter."""
    if text:
        field = pilot.app.focused
        if isinstance(field, Input):
            field.value = ""  # what a person does by typing over the selected default
        await pilot.press(*list(text))
    await pilot.press("enter")
    await settle(pilot)


async def login_kitchen(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Users are listed by name: Giulia (manager), Luca (kitchen), Marco (cashier)."""
    await settle(pilot)
    await pilot.press("down")
    await pilot.press(*list(KITCHEN_PIN))
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "KitchenHome"


async def open_entry(pilot: Pilot, key: str) -> None:  # type: ignore[type-arg]
    home = pilot.app.screen
    keys = [e.key for e in home._entries()]  # type: ignore[attr-defined]
    await pilot.press(*(["down"] * keys.index(key)), "enter")
    await settle(pilot)


async def choose(pilot: Pilot, text: str) -> None:  # type: ignore[type-arg]
    """In a pick list on screen, move to the first option containing ``text`` and take it."""
    from textual.widgets import OptionList

    options = pilot.app.screen.query_one(OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = next(i for i, label in enumerate(labels) if text in label)
    options.highlighted = index
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def test_kitchen_entries_are_for_kitchen_and_managers() -> None:
    from orto.models import CounterKind

    keys = {e.key for e in entries_for(Role.KITCHEN, CounterKind.CUCINA)}
    assert {"k_delivery", "k_lab", "k_waste", "k_transfer", "k_count", "k_trace", "k_suppliers"} <= keys
    assert {e.key for e in entries_for(Role.MANAGER, CounterKind.EMPORIO)} >= keys - {"near_expiry", "catering"}
    assert not any(e.key.startswith("k_") for e in entries_for(Role.CASHIER, CounterKind.EMPORIO))


async def test_receive_a_delivery_with_a_rejected_line(db: Database, kitchen: Kitchen) -> None:
    from sqlalchemy import update

    from orto.models import Product, StorageClass

    with db.write() as session:  # the tomatoes travel chilled: their temperature is asked, the basil's not
        session.execute(
            update(Product).where(Product.id == kitchen.shop.tomatoes).values(storage_class=StorageClass.CHILLED)
        )
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_delivery")
        await choose(pilot, "Cascina Santa Brera")
        await say(pilot, "DDT 204")
        # tomatoes: 12,5 kg, cost kept (1,80), their lot, no shelf life so no date, 4 °C, intact, accepted
        await say(pilot, "POM")
        await say(pilot, "12,5")
        await say(pilot)
        await say(pilot, "CSB-2701")
        await say(pilot, "+6")
        await say(pilot, "4")
        await say(pilot)
        await say(pilot)
        # basil: 0,3 kg at 2,20 €/kg, expiry from its shelf life, kept at room temperature (no
        # temperature asked), packaging torn: rejected
        await say(pilot, "BAS")
        await say(pilot, "0,3")
        await say(pilot, "2,20")
        await say(pilot)
        await say(pilot)
        assert "Packaging" in str(app.screen.query_one("#k-prompt").render()) or "Confezione" in str(
            app.screen.query_one("#k-prompt").render()
        )
        await say(pilot, "n")
        await say(pilot)  # a failed check cannot be accepted silently: asked again
        assert "FAILED" in str(app.screen.query_one("#k-prompt").render())
        await say(pilot, "-torn bags, wilted")
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "TextPreview"
    with db.read() as session:
        delivery = session.scalar(select(Delivery).where(Delivery.note_number == "DDT 204"))
        assert delivery is not None and delivery.location_id == kitchen.ids["cap_cold"]
        lines = session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).all()
        tomatoes, basil = sorted(lines, key=lambda ln: ln.id)
        assert (tomatoes.quantity, tomatoes.unit_cost_cents, tomatoes.supplier_lot_code) == (12_500, 180, "CSB-2701")
        assert tomatoes.temperature_dc == 40 and tomatoes.accepted and tomatoes.expiry == TODAY + timedelta(days=6)
        assert tomatoes.lot_id is not None
        assert lot_on_hand(session, tomatoes.lot_id, kitchen.ids["cap_cold"]) == 12_500
        assert not basil.accepted and basil.lot_id is None and basil.reject_reason == "torn bags, wilted"
        assert (basil.unit_cost_cents, basil.packaging_ok, basil.expiry) == (220, False, TODAY + timedelta(days=4))


async def test_leaving_a_delivery_with_lines_asks_a_second_esc(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_delivery")
        await choose(pilot, "Cascina Santa Brera")
        await say(pilot, "DDT 9")
        await say(pilot, "SALE")
        await say(pilot, "2")
        await pilot.press("escape")  # in the middle of a line: drops the line only
        await settle(pilot)
        assert type(app.screen).__name__ == "DeliveryScreen"
        for answer in ("SALE", "2", "", "", "", "", "", ""):
            await say(pilot, answer)
        assert app.screen.query_one("#k-lines").row_count == 1  # type: ignore[attr-defined]
        await pilot.press("escape")  # warned: one line not received
        await settle(pilot)
        assert type(app.screen).__name__ == "DeliveryScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "KitchenHome"
    with db.read() as session:
        assert session.scalar(select(Delivery).where(Delivery.note_number == "DDT 9")) is None


async def test_a_lab_batch_with_a_failed_reading_released_by_a_manager(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_lab")
        await pilot.press("n")
        await settle(pilot)
        await choose(pilot, "Passata")
        assert type(app.screen).__name__ == "BatchScreen"
        # the near-expiry tomatoes are proposed first, as rescue
        table = app.screen.query_one("#k-inputs")
        first = table.get_row_at(0)  # type: ignore[attr-defined]
        assert first[0] == "★" and first[2] == kitchen.tomato_lot
        # use 10,4 kg of tomatoes instead of the 10 proposed
        await pilot.press("e")
        await say(pilot, "10,4")
        await pilot.press("r")
        await settle(pilot)
        await say(pilot, "80")  # below 85 °C: the corrective action is asked
        assert "corrective action" in str(app.screen.query_one("#k-prompt").render())
        await say(pilot, "riportato a 90 °C per 10 minuti")
        await say(pilot, "12")  # the next step is asked at once
        await say(pilot, "3,5")
        await pilot.press("f10")
        await settle(pilot)
        await say(pilot, "18")  # the yield (20 expected)
        await say(pilot)  # labels: one per jar
        assert type(app.screen).__name__ == "TextPreview"
        await pilot.press("escape")
        await settle(pilot)
        with db.read() as session:
            batch = session.scalar(select(Batch))
            assert batch is not None and batch.status is BatchStatus.HELD and batch.yield_quantity == 18
            lot = session.get(Lot, batch.output_lot_id)
            assert lot is not None and lot.hold_reason
            used = {i.lot_id: (i.quantity, i.rescued) for i in session.scalars(select(BatchInput))}
            tomato = session.scalar(select(Lot.id).where(Lot.code == kitchen.tomato_lot))
            assert used[tomato] == (10_400, True) and used[kitchen.ids["salt_lot"]] == (100, False)
            assert len(session.scalars(select(PrintJob).where(PrintJob.doc_type == "label")).all()) == 18
        # the manager's decision: release, with a note and the manager's PIN (Luca is not one)
        await pilot.press("d")
        await settle(pilot)
        await choose(pilot, "Release")
        await say(pilot, "pH e temperatura ricontrollati")
        assert type(app.screen).__name__ == "PinPrompt"
        await pilot.press(*list(MANAGER_PIN))
        await pilot.press("enter")
        await settle(pilot)
    with db.read() as session:
        batch = session.scalar(select(Batch))
        assert batch is not None and batch.status is BatchStatus.RELEASED
        assert batch.released_by == kitchen.shop.manager.id and batch.release_note == "pH e temperatura ricontrollati"
        lot = session.get(Lot, batch.output_lot_id)
        assert lot is not None and lot.hold_reason is None


async def test_record_waste_by_lot_code_and_by_product(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_waste")
        await say(pilot, kitchen.tomato_lot)  # one place holds it: straight to the reason
        await choose(pilot, "spoiled")
        await say(pilot, "1,5")
        await say(pilot, "muffa")
        await say(pilot, "sale")  # a product: its only lot here
        await choose(pilot, "damaged")
        await say(pilot)  # Enter: all of it
        await say(pilot)
        assert app.screen.query_one("#k-waste").row_count == 2  # type: ignore[attr-defined]
        await pilot.press("escape")  # on the screen's own question, Esc leaves the screen
        await settle(pilot)
        assert type(app.screen).__name__ == "KitchenHome"
    with db.read() as session:
        records = session.scalars(select(WasteRecord).order_by(WasteRecord.id)).all()
        assert [(r.reason, r.quantity, r.value_cents, r.note) for r in records] == [
            (WasteReason.SPOILED, 1500, 225, "muffa"),  # 1,5 kg × 1,50 €
            (WasteReason.DAMAGED, 5000, 500, ""),  # 5 kg of salt × 1,00 €
        ]
        tomato = session.scalar(select(Lot.id).where(Lot.code == kitchen.tomato_lot))
        assert tomato is not None and lot_on_hand(session, tomato, kitchen.ids["cap_cold"]) == 10_500


async def test_a_donation_gathers_lots_and_writes_its_transfer_document(
    db: Database, kitchen: Kitchen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orto.models import Donation
    from pos.tui import documents as till_documents

    monkeypatch.setattr(till_documents, "documents_dir", lambda: tmp_path)
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_waste")
        await say(pilot, kitchen.tomato_lot)
        await choose(pilot, "donated")
        await say(pilot, "4")
        await say(pilot, kitchen.basil_lot)
        await choose(pilot, "donated")
        await say(pilot)  # all of it
        await pilot.press("f9")
        await settle(pilot)
        await say(pilot, "Banco Alimentare")
        await say(pilot, "Via Legnone 4, Milano")
        await say(pilot)
    with db.read() as session:
        donation = session.scalar(select(Donation))
        assert donation is not None and donation.organisation == "Banco Alimentare"
        records = session.scalars(select(WasteRecord).order_by(WasteRecord.id)).all()
        assert [(r.reason, r.quantity) for r in records] == [(WasteReason.DONATED, 4000), (WasteReason.DONATED, 200)]
    documents = list(tmp_path.glob("DON-CAP-*.pdf"))
    assert len(documents) == 1 and documents[0].read_bytes().startswith(b"%PDF")


async def test_send_a_transfer_and_receive_it_with_a_difference(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_transfer")
        await pilot.press("s")
        await settle(pilot)
        await choose(pilot, "PAL · Negozio")
        await say(pilot, kitchen.tomato_lot)
        await say(pilot, "5")
        await pilot.press("f10")
        await settle(pilot)
    with db.read() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None and transfer.status is TransferStatus.IN_TRANSIT
        assert transfer.to_location_id == kitchen.ids["pal_shop"]
        assert [line.quantity_sent for line in transfer.lines] == [5000]
    # at Palmanova: 4,8 kg arrived
    app = _till(db, kitchen.shop, "PAL-1")
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_transfer")
        row = app.screen.query_one("#k-transit").get_row_at(0)  # type: ignore[attr-defined]
        assert row[1:3] == ["CAP · Cella frigo", "PAL · Negozio"]  # every site has a lab: say which
        await pilot.press("enter")
        await settle(pilot)
        await say(pilot, "4,8")
    with db.read() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None and transfer.status is TransferStatus.RECEIVED
        assert [line.quantity_received for line in transfer.lines] == [4800]
        tomato = session.scalar(select(Lot.id).where(Lot.code == kitchen.tomato_lot))
        assert tomato is not None and lot_on_hand(session, tomato, kitchen.ids["pal_shop"]) == 4800
        loss = session.scalar(select(WasteRecord))
        assert loss is not None and loss.quantity == 200 and loss.reason is WasteReason.DAMAGED


async def test_count_a_location_and_close_with_the_differences(
    db: Database, kitchen: Kitchen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pos.tui import documents as till_documents

    monkeypatch.setattr(till_documents, "documents_dir", lambda: tmp_path)
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_count")
        await choose(pilot, "Cella frigo")
        await pilot.press("f5")  # the blind sheet to count on paper
        await settle(pilot)
        sheets = list(tmp_path.glob("conta-*-CAP-COLD.pdf"))
        assert len(sheets) == 1 and sheets[0].read_bytes().startswith(b"%PDF")
        with db.read() as session:
            count_id = session.scalar(select(StockCount.id))
        assert count_id is not None
        sheet = count_sheet(db, count_id)
        counted = {kitchen.tomato_lot: "11,8", kitchen.basil_lot: "0,2"}
        for line in sheet.lines:
            await say(pilot, counted[line.lot_code])
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "TextPreview"
        assert "-0.200 kg" in str(app.screen.query_one(".preview").render())
    with db.read() as session:
        count = session.get(StockCount, count_id)
        assert count is not None and count.status is CountStatus.CLOSED
        values = {line.lot_id: line.value_cents for line in count.lines}
        tomato = session.scalar(select(Lot.id).where(Lot.code == kitchen.tomato_lot))
        assert tomato is not None and values[tomato] == -30  # 0,2 kg missing × 1,50 €
        assert lot_on_hand(session, tomato, kitchen.ids["cap_cold"]) == 11_800


async def test_trace_a_lot_then_recall_and_lift_it_with_a_manager_pin(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_trace")
        await say(pilot, kitchen.tomato_lot)
        text = str(app.screen.query_one("#k-trace-text").render())
        assert "Cascina Santa Brera" in text and "CSB-2611" in text
        await pilot.press("f5")
        await settle(pilot)
        await say(pilot)  # no reason: refused
        with db.read() as session:
            assert session.scalar(select(Recall)) is None
        await pilot.press("f5")
        await settle(pilot)
        await say(pilot, "sospetta contaminazione")
        assert type(app.screen).__name__ == "PinPrompt"
        await pilot.press(*list(MANAGER_PIN), "enter")
        await settle(pilot)
        with db.read() as session:
            recall = session.scalar(select(Recall))
            assert recall is not None and recall.reason == "sospetta contaminazione" and recall.lifted_at is None
            assert recall.opened_by == kitchen.shop.manager.id
        assert "RECALLED" in str(app.screen.query_one("#k-trace-text").render())
        await pilot.press("f6")
        await settle(pilot)
        await say(pilot, "analisi negative")
        await pilot.press(*list(MANAGER_PIN), "enter")
        await settle(pilot)
    with db.read() as session:
        recall = session.scalar(select(Recall))
        assert recall is not None and recall.lifted_at is not None and recall.lifted_by == kitchen.shop.manager.id


async def test_create_and_edit_a_supplier(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await open_entry(pilot, "k_suppliers")
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        values = {
            "code": "TICI",
            "name": "Orti del Ticinello",
            "vat_number": "IT09876543210",
            "city": "Milano",
            "organic": "s",
            "organic_cert_code": "IT-BIO-009",
            "organic_cert_expiry": "30/06/2027",
            "km-PAL": "9",
            "km-CAP": "6",
            "km-MON": "11",
        }
        for name, value in values.items():
            form.query_one(f"#f-{name}", Input).value = value
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "SuppliersScreen"
        # edit it: Enter on its row, MON is 75 km after all
        table = app.screen.query_one("#k-suppliers")
        row = next(i for i in range(table.row_count) if table.get_row_at(i)[0] == "TICI")  # type: ignore[attr-defined]
        table.move_cursor(row=row)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#f-km-MON", Input).value = "75"
        await pilot.press("f10")
        await settle(pilot)
    with db.read() as session:
        farm = session.scalar(select(Supplier).where(Supplier.code == "TICI"))
        assert farm is not None and farm.organic_certified and farm.organic_cert_expiry == date(2027, 6, 30)
        assert farm.vat_number == "IT09876543210"
        sites = dict(session.execute(select(Site.id, Site.code)).all())
        assert {sites[d.site_id]: d.distance_km for d in farm.distances} == {"PAL": 9, "CAP": 6, "MON": 75}


async def test_a_manager_reaches_the_kitchen_screens_from_the_sale_menu(db: Database, kitchen: Kitchen) -> None:
    from pos import selling

    with db.read() as session:
        counter = session.scalar(select(Counter.id).where(Counter.code == "CAP-1"))
    assert counter is not None
    selling.open_shift(db, counter, kitchen.shop.manager, {1000: 2})
    app = _till(db, kitchen.shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Giulia, the manager, is first
        await pilot.press(*list(MANAGER_PIN), "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SaleScreen"
        await pilot.press("f12")
        await settle(pilot)
        keys = [entry.key for entry in app.screen.entries]  # type: ignore[attr-defined]
        assert keys[-1] == "lock" and keys.index("k_trace") > keys.index("parked")
        await pilot.press(*["down"] * keys.index("k_trace"), "enter")
        await settle(pilot)
        await say(pilot, kitchen.tomato_lot)
        assert "Cascina Santa Brera" in str(app.screen.query_one("#k-trace-text").render())
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SaleScreen"


async def test_the_kitchen_home_locks_itself_when_left_alone(db: Database, kitchen: Kitchen) -> None:
    app = _till(db, kitchen.shop)
    app.settings = replace(app.settings, idle_lock_seconds=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await login_kitchen(pilot)
        screen = app.screen
        screen._last_activity -= 5  # type: ignore[attr-defined]  # as if nobody touched it for a while
        screen._lock_when_idle()  # type: ignore[attr-defined]
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
