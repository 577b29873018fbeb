"""The kitchen's side end to end: delivery, lab batch with a failed reading, release, transfer,
sale at another site, waste, trace and recall; with the rules each step enforces."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from inventory import counts, lab, recalls, transfers
from inventory.ledger import ledger_sum, lot_on_hand
from inventory.recipes import IngredientInput, StepInput, parse_measure, save_recipe
from inventory.trace import trace_lines, trace_lot
from inventory.waste import record_waste
from orto.allergens import Allergen
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import (
    Batch,
    BatchStatus,
    Counter,
    DateType,
    Location,
    Lot,
    MovementKind,
    PaymentMethod,
    PrintJob,
    Site,
    StockMovement,
    Supplier,
    SupplierDistance,
    Unit,
    WasteReason,
    WasteRecord,
)
from pos import selling
from pos.selling import PaymentInput
from suppliers.deliveries import DeliveryLineInput, receive_delivery
from tests import factories
from tests.shop import build_shop

TODAY = date(2026, 11, 25)


def _locations(session, site_code: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    site = session.scalar(select(Site).where(Site.code == site_code))
    return {loc.code: loc.id for loc in session.scalars(select(Location).where(Location.site_id == site.id))}


def _kitchen(db: Database):  # type: ignore[no-untyped-def]
    shop = build_shop(db, today=TODAY)
    shop.settings.counter_printers["CAP-1"] = {"label": "banco"}
    with db.write() as session:
        cap = _locations(session, "CAP")
        farm = Supplier(code="CASC", name="Cascina Santa Brera")
        session.add(farm)
        session.flush()
        cap_site = session.scalar(select(Site.id).where(Site.code == "CAP"))
        session.add(SupplierDistance(supplier_id=farm.id, site_id=cap_site, distance_km=25))
        salt = factories.product(session, "Sale", code="SALE", unit=Unit.KG, cost_cents=100)
        basil = factories.product(session, "Basilico", code="BAS", unit=Unit.KG, cost_cents=2000)
        passata = factories.product(
            session,
            "Passata di pomodoro",
            code="PASS",
            price_cents=450,
            cost_cents=0,
            vat_rate_bp=1000,
            barcode="8001234567880",
            allergens=frozenset({Allergen.CELERY}),
        )
        old_salt = factories.lot(session, salt, location_id=cap["LAB"], quantity=5000, expiry=TODAY + timedelta(400))
        recipe_tomatoes = session.scalar(select(Lot.product_id).where(Lot.id == shop.tomato_lot))
        ids = {
            "farm": farm.id,
            "salt": salt.id,
            "basil": basil.id,
            "passata": passata.id,
            "salt_lot": old_salt.id,
            "tomatoes": recipe_tomatoes,
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
            IngredientInput(ids["tomatoes"], 10_000),
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
    return shop, ids, recipe_id


def _receive_tomatoes(db: Database, shop, ids, *, expiry: date) -> int:  # type: ignore[no-untyped-def]
    result = receive_delivery(
        db,
        shop.settings,
        supplier_id=ids["farm"],
        location_id=ids["cap_cold"],
        note_number="DDT 118",
        lines=[
            DeliveryLineInput(ids["tomatoes"], 12_000, 150, "CSB-2611", expiry=expiry, temperature_dc=60),
            DeliveryLineInput(ids["basil"], 200, 2000, "CSB-B7", expiry=TODAY + timedelta(5)),
        ],
        actor=shop.manager,
        today=TODAY,
    )
    with db.read() as session:
        return int(session.scalar(select(Lot.id).where(Lot.code == result.lines[0].lot_code)))  # type: ignore[arg-type]


def _steps(db: Database, recipe_id: int) -> dict[str, int]:
    from orto.models import RecipeStep

    with db.read() as session:
        return {s.name: s.id for s in session.scalars(select(RecipeStep).where(RecipeStep.recipe_id == recipe_id))}


def test_the_jar_from_farm_to_sale_at_another_site(db: Database) -> None:
    shop, ids, recipe_id = _kitchen(db)
    tomato_lot = _receive_tomatoes(db, shop, ids, expiry=TODAY + timedelta(days=2))
    with db.read() as session:
        cap_site = session.scalar(select(Site.id).where(Site.code == "CAP"))
        basil_lot = session.scalar(select(Lot.id).where(Lot.supplier_lot_code == "CSB-B7"))

    # The proposal puts the near-expiry tomatoes first, as rescue.
    proposal = lab.propose_inputs(db, recipe_id, cap_site, today=TODAY)
    tomatoes = next(p for p in proposal if p.product_id == ids["tomatoes"])
    assert tomatoes.lots[0].lot_id == tomato_lot and tomatoes.lots[0].rescue
    assert tomatoes.lots[0].take == 10_000 and tomatoes.short == 0

    batch_id = lab.start_batch(db, recipe_id=recipe_id, location_id=ids["cap_lab"], actor=shop.manager, today=TODAY)
    steps = _steps(db, recipe_id)
    # Finishing without the readings is refused: the register must be complete.
    inputs = [
        lab.InputLine(tomato_lot, ids["cap_cold"], 10_400),
        lab.InputLine(ids["salt_lot"], ids["cap_lab"], 120),
        lab.InputLine(basil_lot, ids["cap_cold"], 60),  # type: ignore[arg-type]
    ]
    with pytest.raises(NotAllowed, match="Pastorizzare"):
        lab.finish_batch(db, shop.settings, batch_id, inputs=inputs, yield_quantity=18, actor=shop.manager, today=TODAY)

    # 82 °C is below the limit: refused without a corrective action, then holds the batch.
    with pytest.raises(InvalidInput, match="corrective action"):
        lab.record_reading(db, batch_id, step_id=steps["Pastorizzare"], value=820, actor=shop.manager)
    held = lab.record_reading(
        db,
        batch_id,
        step_id=steps["Pastorizzare"],
        value=parse_measure("temperature_dc", "82"),
        actor=shop.manager,
        corrective_action="riportato a 90 °C per 10 minuti",
    )
    assert not held.within_limit and held.status is BatchStatus.HELD
    lab.record_reading(db, batch_id, step_id=steps["Pastorizzare"], value=900, actor=shop.manager)
    lab.record_reading(db, batch_id, step_id=steps["Tempo di pastorizzazione"], value=12, actor=shop.manager)
    lab.record_reading(db, batch_id, step_id=steps["Raffreddare entro 2 h"], value=35, actor=shop.manager)

    printer = lab.label_printer_for(shop.settings, "CAP-1")
    done = lab.finish_batch(
        db,
        shop.settings,
        batch_id,
        inputs=inputs,
        yield_quantity=18,
        actor=shop.manager,
        today=TODAY,
        label_copies=18,
        label_printer=printer,
    )
    assert done.status is BatchStatus.HELD
    assert done.expiry == TODAY + timedelta(days=365)
    assert done.rescued_g == 10_400  # the tomatoes were within 3 days of their date; salt was not
    # 10,4 kg × 1,50 + 0,12 kg × 1,00 + 0,06 kg × 20,00 = 15,60 + 0,12 + 1,20 = 16,92 € for 18 jars
    assert done.unit_cost_cents == 94  # 16,92 / 18 = 0,94
    assert done.allergens == frozenset({Allergen.CELERY})
    # "Passata di pomodoro" names the tomatoes: their share of the weight used (QUID, art. 22)
    assert done.ingredients == "pomodori (98\xa0%), sale, basilico"
    assert done.labels_queued == 18
    assert done.lot_code.startswith("CAP-261125-")

    with db.read() as session:
        jobs = session.scalars(select(PrintJob).where(PrintJob.doc_type == "label")).all()
        assert len(jobs) == 18 and jobs[0].document["lot_code"] == done.lot_code
        assert jobs[0].document["allergens"] == [Allergen.CELERY.value]
        # Mass balance: each input lot lost exactly what the batch used, the output lot holds the yield.
        assert ledger_sum(session, ids["cap_cold"], tomato_lot) == 12_000 - 10_400
        assert ledger_sum(session, ids["cap_lab"], ids["salt_lot"]) == 5000 - 120
        assert ledger_sum(session, ids["cap_lab"], done.lot_id) == 18
        batch = session.get(Batch, batch_id)
        assert batch is not None and batch.cost_cents == 1692

    # Send 6 jars to Palmanova while held; held jars cannot be sold there.
    transfer_id = transfers.send_transfer(
        db,
        from_location_id=ids["cap_lab"],
        to_location_id=ids["pal_shop"],
        items=[transfers.TransferItem(done.lot_id, 6)],
        actor=shop.manager,
    )
    with db.read() as session:
        assert lot_on_hand(session, done.lot_id, ids["cap_lab"]) == 12
        assert lot_on_hand(session, done.lot_id, ids["pal_shop"]) == 0  # in the van
    differences = transfers.receive_transfer(db, transfer_id, actor=shop.manager)
    assert differences == []

    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="on hold"):
        selling.add_item(db, sale.id, shop.cashier, "8001234567880", today=TODAY)

    # A cashier cannot release; the manager releases with a note.
    with pytest.raises(NotAllowed, match="manager"):
        lab.decide_batch(db, batch_id, decision=lab.RELEASE, actor=shop.cashier, note="ok")
    assert lab.decide_batch(db, batch_id, decision=lab.RELEASE, actor=shop.manager, note="ripastorizzata, ok") is (
        BatchStatus.RELEASED
    )
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567880", today=TODAY)
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567880", today=TODAY)
    selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 900)], today=TODAY
    )

    # A jar broken at the emporio.
    record_waste(
        db,
        lot_id=done.lot_id,
        location_id=ids["pal_shop"],
        quantity=1,
        reason=WasteReason.DAMAGED,
        actor=shop.manager,
    )

    with db.read() as session:
        trace = trace_lot(session, done.lot_code)
    back = trace.back
    assert [child.lot.id for child in back.inputs] == [tomato_lot, ids["salt_lot"], basil_lot]
    farm_node = back.inputs[0]
    assert (farm_node.lot.supplier, farm_node.lot.delivery_note, farm_node.lot.supplier_lot_code) == (
        "Cascina Santa Brera",
        "DDT 118",
        "CSB-2611",
    )
    assert farm_node.quantity == 10_400
    forward = trace.forward
    assert [(t.sent, t.received) for t in forward.transfers] == [(6, 6)]
    assert [(s.site, s.counter, s.quantity) for s in forward.sales] == [("PAL", "PAL-1", 2)]
    assert [(w.site, w.quantity) for w in forward.waste] == [("PAL", 1)]
    assert sorted(q for _s, _l, q in forward.on_hand) == [3, 12]
    text = "\n".join(trace_lines(trace))
    assert "Cascina Santa Brera" in text and "DDT 118" in text and "PAL-1" in text

    # Trace the farm lot forward: it reaches the jar and its sale.
    with db.read() as session:
        tomato_code = session.scalar(select(Lot.code).where(Lot.id == tomato_lot))
        up = trace_lot(session, tomato_code)  # type: ignore[arg-type]
    assert [b[0] for b in up.forward.batches] == [done.batch_code]
    assert up.forward.batches[0][3].sales[0].quantity == 2

    # Recalling the farm lot recalls the passata made from it: no till sells it any more.
    result = recalls.open_recall(db, tomato_code, reason="richiamo del produttore", actor=shop.manager)  # type: ignore[arg-type]
    assert set(result.recalled) == {tomato_code, done.lot_code}
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="recalled"):
        selling.add_item(db, sale.id, shop.cashier, "8001234567880", today=TODAY)
    recalls.lift_recall(db, done.lot_code, actor=shop.manager)
    selling.add_item(db, sale.id, shop.cashier, "8001234567880", today=TODAY)


def test_rework_keeps_the_hold_and_discard_wastes_the_batch(db: Database) -> None:
    shop, ids, recipe_id = _kitchen(db)
    tomato_lot = _receive_tomatoes(db, shop, ids, expiry=TODAY + timedelta(days=10))
    steps = _steps(db, recipe_id)
    batch_id = lab.start_batch(db, recipe_id=recipe_id, location_id=ids["cap_lab"], actor=shop.manager, today=TODAY)
    for name, value in (("Pastorizzare", 880), ("Tempo di pastorizzazione", 12), ("Raffreddare entro 2 h", 30)):
        lab.record_reading(db, batch_id, step_id=steps[name], value=value, actor=shop.manager)
    done = lab.finish_batch(
        db,
        shop.settings,
        batch_id,
        inputs=[lab.InputLine(tomato_lot, ids["cap_cold"], 10_000)],
        yield_quantity=20,
        actor=shop.manager,
        today=TODAY,
    )
    assert done.status is BatchStatus.COMPLETED and done.rescued_g == 0  # 10 days left: not a rescue
    # A reading after finishing (found during a check) still holds the lot.
    with pytest.raises(NotAllowed, match="closed"):
        lab.record_reading(db, batch_id, step_id=steps["Raffreddare entro 2 h"], value=80, actor=shop.manager)

    batch2 = lab.start_batch(db, recipe_id=recipe_id, location_id=ids["cap_lab"], actor=shop.manager, today=TODAY)
    assert batch2 != batch_id
    lab.record_reading(
        db, batch2, step_id=steps["Pastorizzare"], value=700, actor=shop.manager, corrective_action="fermato"
    )
    for name, value in (("Tempo di pastorizzazione", 12), ("Raffreddare entro 2 h", 30)):
        lab.record_reading(db, batch2, step_id=steps[name], value=value, actor=shop.manager)
    second = lab.finish_batch(
        db,
        shop.settings,
        batch2,
        inputs=[lab.InputLine(tomato_lot, ids["cap_cold"], 2_000)],
        yield_quantity=4,
        actor=shop.manager,
        today=TODAY,
    )
    with pytest.raises(InvalidInput, match="why"):
        lab.decide_batch(db, batch2, decision=lab.REWORK, actor=shop.manager, note=" ")
    assert lab.decide_batch(db, batch2, decision=lab.REWORK, actor=shop.manager, note="ripastorizzare") is (
        BatchStatus.REWORKED
    )
    with db.read() as session:
        assert session.get(Lot, second.lot_id).hold_reason  # type: ignore[union-attr]
    assert lab.decide_batch(db, batch2, decision=lab.DISCARD, actor=shop.manager, note="odore anomalo") is (
        BatchStatus.DISCARDED
    )
    with db.read() as session:
        waste = session.scalars(select(WasteRecord).where(WasteRecord.lot_id == second.lot_id)).all()
        assert [(w.quantity, w.reason) for w in waste] == [(4, WasteReason.QUALITY)]
        assert waste[0].value_cents == 4 * second.unit_cost_cents
        assert lot_on_hand(session, second.lot_id, ids["cap_lab"]) == 0


def test_transfer_difference_is_booked_and_values_the_loss(db: Database) -> None:
    shop = build_shop(db, today=TODAY)
    with db.read() as session:
        mon = _locations(session, "MON")
    transfer_id = transfers.send_transfer(
        db,
        from_location_id=shop.location,
        to_location_id=mon["BAR"],
        items=[transfers.TransferItem(shop.jam_lot, 10), transfers.TransferItem(shop.tomato_lot, 5000)],
        actor=shop.manager,
    )
    with pytest.raises(NotAllowed, match="only"):
        transfers.send_transfer(
            db,
            from_location_id=shop.location,
            to_location_id=mon["BAR"],
            items=[transfers.TransferItem(shop.jam_lot, 21)],
            actor=shop.manager,
        )
    with db.read() as session:
        line_ids = [
            line_id
            for (line_id,) in session.execute(
                select(func.min(StockMovement.doc_id)).where(StockMovement.kind == MovementKind.TRANSFER_OUT)
            )
        ]
    jam_line = line_ids[0]
    differences = transfers.receive_transfer(db, transfer_id, received={jam_line: 9}, actor=shop.manager)
    assert differences == [(jam_line, -1)]
    with pytest.raises(NotAllowed, match="already"):
        transfers.receive_transfer(db, transfer_id, actor=shop.manager)
    with db.read() as session:
        assert lot_on_hand(session, shop.jam_lot, mon["BAR"]) == 9
        assert lot_on_hand(session, shop.jam_lot, shop.location) == 20
        assert lot_on_hand(session, shop.tomato_lot, mon["BAR"]) == 5000
        loss = session.scalar(select(WasteRecord).where(WasteRecord.lot_id == shop.jam_lot))
        assert loss is not None and (loss.quantity, loss.value_cents) == (1, 200)
        assert "sent 10, received 9" in loss.note


def test_a_count_books_differences_at_cost(db: Database) -> None:
    shop = build_shop(db, today=TODAY)
    count_id = counts.open_count(db, location_id=shop.location, actor=shop.manager)
    with pytest.raises(NotAllowed, match="still open"):
        counts.open_count(db, location_id=shop.location, actor=shop.manager)
    sheet = counts.count_sheet(db, count_id)
    by_lot = {line.lot_code: line for line in sheet.lines}
    with db.read() as session:
        jam_code = session.get(Lot, shop.jam_lot).code  # type: ignore[union-attr]
        tomato_code = session.get(Lot, shop.tomato_lot).code  # type: ignore[union-attr]
        water = session.scalar(select(Lot.product_id).where(Lot.code.like("L%"), Lot.product_id == shop.water))
    assert by_lot[jam_code].expected == 30 and by_lot[tomato_code].expected == 20_000
    counts.enter_counts(db, count_id, {by_lot[jam_code].id: 27}, actor=shop.manager)
    with pytest.raises(NotAllowed, match="not counted"):
        counts.close_count(db, count_id, actor=shop.manager)
    counts.enter_counts(db, count_id, {by_lot[tomato_code].id: 20_500}, actor=shop.manager)
    found = counts.add_found(
        db, count_id, actor=shop.manager, product_id=water or shop.water, quantity=4, lot_code=None, today=TODAY
    )
    assert found
    result = counts.close_count(db, count_id, actor=shop.manager)
    # jam -3 × 2,00 = -6,00; tomatoes +0,5 kg × 1,80 = +0,90; water +4 × 0,25 = +1,00
    assert result.adjusted == 3 and result.value_cents == -600 + 90 + 100
    with db.read() as session:
        assert lot_on_hand(session, shop.jam_lot, shop.location) == 27
        assert lot_on_hand(session, shop.tomato_lot, shop.location) == 20_500
    with pytest.raises(NotAllowed, match="closed"):
        counts.enter_counts(db, count_id, {by_lot[jam_code].id: 1}, actor=shop.manager)


def _passata(ids: dict[str, int], **more: object) -> dict[str, object]:
    """save_recipe's arguments for the kitchen's passata, ``more`` added or replacing."""
    return {
        "name": "Passata",
        "output_product_id": ids["passata"],
        "expected_yield": 20,
        "shelf_life_days": 365,
        "date_type": DateType.BEST_BEFORE,
        "inputs": [IngredientInput(ids["tomatoes"], 10_000)],
        **more,
    }


def test_a_recipe_in_use_keeps_its_steps(db: Database) -> None:
    shop, ids, recipe_id = _kitchen(db)
    lab.start_batch(db, recipe_id=recipe_id, location_id=ids["cap_lab"], actor=shop.manager, today=TODAY)
    common = _passata(ids, actor=shop.manager, code="PASSATA")
    with pytest.raises(NotAllowed, match="not removed"):
        save_recipe(db, steps=[StepInput("Pastorizzare", "temperature_dc", min_value=850)], **common)  # type: ignore[arg-type]
    steps = [
        StepInput("Lavare e tagliare"),
        StepInput("Pastorizzare", "temperature_dc", min_value=900),  # a stricter limit is fine
        StepInput("Tempo di pastorizzazione", "minutes", min_value=10),
        StepInput("Raffreddare entro 2 h", "temperature_dc", max_value=40),
        StepInput("pH", "ph_c", max_value=420),
    ]
    assert save_recipe(db, steps=steps, **common) == recipe_id  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="no limit"):
        save_recipe(db, steps=[StepInput("pH", "ph_c")], **{**common, "code": "X"})  # type: ignore[arg-type]
    assert parse_measure("ph_c", "4,2") == 420
    with pytest.raises(InvalidInput, match="decimals"):
        parse_measure("temperature_dc", "85,25")


def test_waste_site_and_counter_of_the_sale_come_from_the_counter(db: Database) -> None:
    """Counters belong to sites; a sale's site in the trace is its counter's, not the lot's."""
    shop = build_shop(db, today=TODAY)
    with db.read() as session:
        counter = session.get(Counter, shop.bar)
        assert counter is not None
    selling.open_shift(db, shop.bar, shop.cashier, {})
    sale = selling.start_sale(db, shop.bar, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "8000000000017", today=TODAY)
    selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 100)], today=TODAY
    )
    with db.read() as session:
        water_lot = session.scalar(select(Lot.code).where(Lot.product_id == shop.water))
        trace = trace_lot(session, water_lot)  # type: ignore[arg-type]
    assert [(s.site, s.counter, s.quantity) for s in trace.forward.sales] == [("MON", "MON-1", 1)]


def test_a_donation_leaves_stock_as_valued_waste_with_its_document(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pypdf

    from inventory.donations import DonationItem, donate, donation_document

    shop = build_shop(db, today=TODAY)
    with db.write() as session:
        site_id = session.scalar(select(Site.id).where(Site.code == "PAL"))
        milk = factories.product(session, "Latte fresco", code="MILK", cost_cents=90)
        old_milk = factories.lot(
            session, milk, location_id=shop.location, quantity=5, expiry=TODAY - timedelta(1), date_type=DateType.USE_BY
        )
        old_milk_id = old_milk.id
        # best-before passed yesterday: may be donated
        session.get(Lot, shop.tomato_lot).expiry = TODAY - timedelta(1)  # type: ignore[union-attr]
    assert site_id is not None
    with pytest.raises(NotAllowed, match="use-by"):
        donate(
            db,
            site_id=site_id,
            organisation="Banco di quartiere",
            items=[DonationItem(old_milk_id, shop.location, 5)],
            actor=shop.manager,
            today=TODAY,
        )
    result = donate(
        db,
        site_id=site_id,
        organisation="Banco di quartiere ODV",
        address="Via Padova 1, Milano",
        tax_code="97000000000",
        items=[DonationItem(shop.tomato_lot, shop.location, 4_000), DonationItem(shop.jam_lot, shop.location, 3)],
        actor=shop.manager,
        today=TODAY,
    )
    assert result.number == "DON-PAL-2026-0001"
    assert result.value_cents == 720 + 600  # 4 kg × 1,80 + 3 × 2,00
    assert result.weight_g == 4_000
    with db.read() as session:
        records = session.scalars(select(WasteRecord).where(WasteRecord.donation_id == result.id)).all()
        assert sorted((r.lot_id, r.quantity, r.reason) for r in records) == sorted(
            [(shop.tomato_lot, 4_000, WasteReason.DONATED), (shop.jam_lot, 3, WasteReason.DONATED)]
        )
        assert lot_on_hand(session, shop.tomato_lot, shop.location) == 16_000
        assert ledger_sum(session, shop.location, shop.jam_lot) == 27
    pdf = tmp_path / "donation.pdf"
    donation_document(db, shop.settings, result.id, pdf)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    for expected in ("DON-PAL-2026-0001", "Banco di quartiere ODV", "97000000000", "13.20", "4.000 kg", "166/2016"):
        assert expected in text


def test_the_printed_count_sheet_is_blind(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pypdf

    shop = build_shop(db, today=TODAY)
    count_id = counts.open_count(db, location_id=shop.location, actor=shop.manager)
    pdf = tmp_path / "count.pdf"
    counts.count_sheet_pdf(db, count_id, pdf)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    with db.read() as session:
        jam_code = session.get(Lot, shop.jam_lot).code  # type: ignore[union-attr]
    assert f"Stock count {count_id}" in text and "Confettura di albicocche" in text and jam_code in text
    cells = {line.strip() for line in text.splitlines()}
    assert not cells & {"30", "20000", "20.000", "20,000", "20.000 kg", "20,000 kg"}  # no expected quantity


def test_a_recipes_limits_are_a_managers_and_kept_in_the_audit_log(db: Database) -> None:
    from inventory.recipes import set_active
    from orto.models import AuditEntry

    shop, ids, recipe_id = _kitchen(db)
    kitchen = shop.cashier  # not a manager
    common = _passata(ids, code="PASSATA-2", steps=[StepInput("Pastorizzare", "temperature_dc", min_value=850)])
    with pytest.raises(NotAllowed, match="may not"):
        save_recipe(db, actor=kitchen, **common)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed, match="may not"):
        set_active(db, kitchen, recipe_id, False)
    new_id = save_recipe(db, actor=shop.manager, **common)  # type: ignore[arg-type]
    set_active(db, shop.manager, new_id, False)
    with db.read() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_id, AuditEntry.details)
            .where(AuditEntry.entity == "recipe", AuditEntry.entity_id == new_id)
            .order_by(AuditEntry.id)
        ).all()
    assert [(a, u) for a, u, _d in rows] == [("recipe_saved", shop.manager.id), ("recipe_retired", shop.manager.id)]
    assert rows[0][2]["limits"] == [["Pastorizzare", "temperature_dc", 850, None]]
