"""Waste valued at cost through the ledger; near-expiry lots with the action a careful shop takes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from inventory.ledger import ledger_sum, lot_on_hand
from inventory.near_expiry import DONATE, MARK_DOWN, SELL_OR_DONATE, USE_IN_RECIPE, WASTE, near_expiry
from inventory.waste import record_waste
from orto.db import Database
from orto.errors import NotAllowed
from orto.models import Counter, DateType, Recipe, RecipeInput, WasteReason, WasteRecord
from tests import factories
from tests.shop import build_shop

TODAY = date(2026, 11, 25)


def test_waste_is_valued_at_cost_and_leaves_the_ledger_whole(db: Database) -> None:
    shop = build_shop(db)
    result = record_waste(
        db,
        lot_id=shop.tomato_lot,
        location_id=shop.location,
        quantity=1500,
        reason=WasteReason.SPOILED,
        actor=shop.manager,
        note="muffa",
    )
    assert result.value_cents == 270  # 1,5 kg at 1,80 €/kg
    assert result.on_hand_after == 18_500
    with db.read() as session:
        assert ledger_sum(session, shop.location, shop.tomato_lot) == 18_500
        record = session.scalar(select(WasteRecord))
        assert record is not None and (record.reason, record.note) == (WasteReason.SPOILED, "muffa")
    with pytest.raises(NotAllowed, match="only 18500"):
        record_waste(
            db,
            lot_id=shop.tomato_lot,
            location_id=shop.location,
            quantity=20_000,
            reason=WasteReason.SPOILED,
            actor=shop.manager,
        )
    with db.read() as session:
        assert lot_on_hand(session, shop.tomato_lot, shop.location) == 18_500


def test_near_expiry_suggests_what_to_do(db: Database) -> None:
    shop = build_shop(db, today=TODAY)
    with db.write() as session:
        site_id = session.get(Counter, shop.counter).site_id  # type: ignore[union-attr]
        milk = factories.product(session, "Latte", code="MILK")
        factories.lot(
            session,
            milk,
            location_id=shop.location,
            quantity=4,
            code="MILK-OLD",
            expiry=TODAY - timedelta(days=1),
            date_type=DateType.USE_BY,
        )
        factories.lot(
            session,
            milk,
            location_id=shop.location,
            quantity=4,
            code="MILK-SOON",
            expiry=TODAY + timedelta(days=1),
            date_type=DateType.USE_BY,
        )
        biscuits = factories.product(session, "Biscotti", code="BIS")
        factories.lot(
            session,
            biscuits,
            location_id=shop.location,
            quantity=3,
            code="BIS-PAST",
            expiry=TODAY - timedelta(days=2),
            date_type=DateType.BEST_BEFORE,
        )
        yogurt = factories.product(session, "Yogurt", code="YOG")
        factories.lot(
            session,
            yogurt,
            location_id=shop.location,
            quantity=3,
            code="YOG-SOON",
            expiry=TODAY + timedelta(days=2),
            date_type=DateType.BEST_BEFORE,
        )
        factories.lot(
            session,
            yogurt,
            location_id=shop.location,
            quantity=3,
            code="YOG-LATER",
            expiry=TODAY + timedelta(days=20),
            date_type=DateType.BEST_BEFORE,
        )
        recipe = Recipe(
            code="PASSATA",
            name="Passata",
            output_product_id=shop.jam,
            expected_yield=10,
            shelf_life_days=365,
            date_type=DateType.BEST_BEFORE,
        )
        recipe.inputs = [RecipeInput(product_id=shop.tomatoes, quantity=5000)]
        session.add(recipe)
    found = {n.lot_code: n for n in near_expiry(db, site_id, days=5, today=TODAY)}
    assert "YOG-LATER" not in found
    assert found["MILK-OLD"].action == WASTE
    assert found["MILK-SOON"].action == SELL_OR_DONATE
    assert found["BIS-PAST"].action == DONATE and found["BIS-PAST"].days_left == -2
    assert found["YOG-SOON"].action == MARK_DOWN
    tomatoes = next(n for n in found.values() if n.product_id == shop.tomatoes)
    assert tomatoes.action == USE_IN_RECIPE and tomatoes.action_args == {"recipe": "Passata"}
    assert next(n.lot_code for n in near_expiry(db, site_id, days=5, today=TODAY)) == "BIS-PAST"  # soonest first
