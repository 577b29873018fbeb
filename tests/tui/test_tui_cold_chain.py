"""The cold-chain screen, reached from the kitchen home and driven by its Pilot: the home reminds
that readings are due; a cold room at 9 °C asks for the corrective action (Enter alone is not
enough) and the reading lands in the register with it."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from orto.db import Database
from orto.models import Appliance, ApplianceKind, ApplianceReading, Site
from tests.tui.test_tui_kitchen import Kitchen, _till, kitchen, login_kitchen, open_entry, say, settle

__all__ = ["kitchen"]  # the fixture, shared with the kitchen screens' tests


async def test_a_cold_room_at_9_degrees_needs_its_corrective_action(db: Database, kitchen: Kitchen) -> None:
    with db.write() as session:
        cap = session.scalar(select(Site.id).where(Site.code == "CAP"))
        assert cap is not None
        session.add(
            Appliance(code="CAP-CELLA", name="Cella frigorifera", kind=ApplianceKind.COLD_ROOM, site_id=cap,
                      min_dc=0, max_dc=40)
        )  # fmt: skip
        session.add(
            Appliance(code="CAP-CONG", name="Congelatore", kind=ApplianceKind.FREEZER, site_id=cap, max_dc=-180)
        )
    settings = replace(kitchen.shop.settings, raw={"haccp": {"reading_times": ["00:00"]}})  # due since midnight
    app = _till(db, replace(kitchen.shop, settings=settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await login_kitchen(pilot)
        await settle(pilot)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "CAP-CELLA" in notes and "CAP-CONG" in notes  # both due since midnight
        await open_entry(pilot, "k_cold")
        assert type(app.screen).__name__ == "ColdChainScreen"
        assert app.screen.query_one("#k-cold").row_count == 2  # type: ignore[attr-defined]
        await say(pilot, "cap-cella")
        await say(pilot, "9")
        await say(pilot)  # no action typed: the action is asked again, nothing recorded
        with db.read() as session:
            assert session.scalars(select(ApplianceReading)).all() == []
        await say(pilot, "Porta chiusa, merce spostata in CAP-CONG")
        await say(pilot, "2")  # the second row: the freezer
        await say(pilot, "-19,5")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "KitchenHome"
    with db.read() as session:
        rows = session.execute(
            select(Appliance.code, ApplianceReading.value_dc, ApplianceReading.within_limit,
                   ApplianceReading.corrective_action)
            .join(Appliance, Appliance.id == ApplianceReading.appliance_id)
            .order_by(ApplianceReading.id)
        ).all()  # fmt: skip
    assert rows == [
        ("CAP-CELLA", 90, False, "Porta chiusa, merce spostata in CAP-CONG"),
        ("CAP-CONG", -195, True, None),
    ]
