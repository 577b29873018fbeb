"""The cold chain: a cold-room reading of 9 °C is refused without its corrective action (in the
service), recorded with it, and appears in the HACCP register (PDF text, XLSX numbers); the
command line records readings too; the reminder follows the configured reading times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from inventory.cold_chain import (
    due_appliances,
    due_slot,
    reading_due_after,
    reading_times,
    record_appliance_reading,
)
from orto.db import Database
from orto.errors import ConfigError, InvalidInput, NotAllowed
from orto.localtime import ROME
from orto.models import Appliance, ApplianceKind, ApplianceReading, Site
from pos.cli.app import main_group
from pos.reports import make_report, write_report
from tests.factories import manager as reporter
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop


def _cold_room(db: Database) -> Shop:
    shop = build_shop(db)
    with db.write() as session:
        pal = session.scalar(select(Site).where(Site.code == "PAL"))
        assert pal is not None
        session.add(
            Appliance(code="PAL-CELLA", name="Cella frigorifera", kind=ApplianceKind.COLD_ROOM, site_id=pal.id,
                      min_dc=0, max_dc=40)
        )  # fmt: skip
        session.add(
            Appliance(code="PAL-CONG", name="Congelatore", kind=ApplianceKind.FREEZER, site_id=pal.id, max_dc=-180)
        )
    return shop


def test_a_reading_out_of_limit_needs_its_corrective_action(db: Database) -> None:
    shop = _cold_room(db)
    manager = shop.manager
    assert record_appliance_reading(db, "PAL-CELLA", 35, actor=manager).within_limit
    with pytest.raises(InvalidInput, match="corrective action"):
        record_appliance_reading(db, "pal-cella", 90, actor=manager)
    with pytest.raises(InvalidInput, match="corrective action"):
        record_appliance_reading(db, "PAL-CELLA", 90, actor=manager, corrective_action="   ")
    with pytest.raises(NotAllowed):  # a cashier keeps no HACCP register
        record_appliance_reading(db, "PAL-CELLA", 30, actor=shop.cashier, corrective_action="x")
    with pytest.raises(InvalidInput, match="corrective action"):  # a freezer at -12 °C is too warm
        record_appliance_reading(db, "PAL-CONG", -120, actor=manager)
    action = "Porta rimasta aperta: chiusa, merce controllata, 3,8 °C dopo un'ora"
    result = record_appliance_reading(db, "PAL-CELLA", 90, actor=manager, corrective_action=action)
    assert not result.within_limit
    with db.read() as session:
        rows = session.execute(
            select(ApplianceReading.value_dc, ApplianceReading.within_limit, ApplianceReading.corrective_action)
            .order_by(ApplianceReading.id)
        ).all()  # fmt: skip
    assert rows == [(35, True, None), (90, False, action)]  # nothing of the refused ones

    report = make_report(db, "haccp", actor=reporter(db))
    cold = next(t for t in report.tables if t.title.startswith(("Catena del freddo", "Cold chain")))
    assert [(r[2], r[6], r[7], r[8]) for r in cold.rows] == [
        ("PAL-CELLA", 35, "yes", ""),
        ("PAL-CELLA", 90, "NO", action),
    ]


def test_the_register_shows_the_reading_in_pdf_and_as_a_number_in_xlsx(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    shop = _cold_room(db)
    manager = shop.manager
    record_appliance_reading(db, "PAL-CELLA", 90, actor=manager, corrective_action="Spostata la merce in CAP")
    report = make_report(db, "haccp", actor=reporter(db))
    pdf = write_report(report, tmp_path / "haccp.pdf", "pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "PAL-CELLA" in text and ("9,0" in text or "9.0" in text) and "Spostata la merce in CAP" in text
    xlsx = write_report(report, tmp_path / "haccp.xlsx", "xlsx")
    sheet = next(ws for ws in load_workbook(xlsx).worksheets if ws.title.startswith(("Catena", "Cold")))
    header = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=header.index("°C") + 1)
    assert value.data_type == "n" and float(value.value) == 9.0 and value.number_format == "0.0"
    csv = write_report(report, tmp_path / "haccp.csv", "csv", plain=True)
    assert ",9.0," in csv.read_text(encoding="utf-8")


def test_the_command_line_records_a_reading(db: Database, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _cold_room(db)
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    url = db.url
    code = main_group(["--db", url, "haccp", "reading", "PAL-CELLA", "9", "--user", "Giulia"])
    out, err = capsys.readouterr()
    assert code != 0 and ("corrective action" in err or "azione correttiva" in err)
    code = main_group(
        ["--db", url, "haccp", "reading", "PAL-CELLA", "9", "--user", "Giulia", "--action", "Chiamato il tecnico"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    code = main_group(["--db", url, "haccp", "reading", "PAL-CONG", "-19,5", "--user", "Giulia"])
    out, err = capsys.readouterr()
    assert code == 0, err
    code = main_group(["--db", url, "haccp", "appliances"])
    out, err = capsys.readouterr()
    assert code == 0 and "PAL-CELLA" in out and "9,0 °C" in out and "-19,5 °C" in out
    with db.read() as session:
        assert list(session.scalars(select(ApplianceReading.value_dc).order_by(ApplianceReading.id))) == [90, -195]


def test_the_reminder_follows_the_reading_times(db: Database) -> None:
    shop = _cold_room(db)
    settings = replace(shop.settings, raw={"haccp": {"reading_times": ["16:00", "08:00"]}})
    assert reading_times(settings) == (time(8), time(16))
    with pytest.raises(ConfigError):
        reading_times(replace(shop.settings, raw={"haccp": {"reading_times": ["8 am"]}}))
    morning = datetime(2026, 11, 25, 7, 30, tzinfo=ROME)
    assert due_slot(morning, reading_times(settings)) is None
    nine = datetime(2026, 11, 25, 9, 0, tzinfo=ROME)
    with db.read() as session:
        assert {a.code for a in due_appliances(session, settings, "PAL", nine)} == {"PAL-CELLA", "PAL-CONG"}
        assert due_appliances(session, settings, "PAL", morning) == []
    manager = shop.manager
    record_appliance_reading(db, "PAL-CELLA", 30, actor=manager, at=datetime(2026, 11, 25, 8, 10, tzinfo=ROME))
    with db.read() as session:
        assert {a.code for a in due_appliances(session, settings, "PAL", nine)} == {"PAL-CONG"}
        afternoon = datetime(2026, 11, 25, 16, 5, tzinfo=ROME)
        assert {a.code for a in due_appliances(session, settings, "PAL", afternoon)} == {"PAL-CELLA", "PAL-CONG"}
    assert reading_due_after(None, nine.astimezone(UTC), (time(8),))
    assert not reading_due_after(nine, nine, (time(8),))


def test_a_manager_adds_an_appliance_and_changes_its_limits_never_deleting_it(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from inventory.cold_chain import save_appliance

    shop = _cold_room(db)
    with pytest.raises(NotAllowed):  # which appliances a site has is the manager's HACCP plan
        save_appliance(
            db, "CAP-FRIGO2", actor=shop.cashier, site_code="CAP", name="Frigo bibite",
            kind=ApplianceKind.FRIDGE, min_dc=0, max_dc=40,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="lower limit is above"):
        save_appliance(
            db, "CAP-FRIGO2", actor=shop.manager, site_code="CAP", name="Frigo bibite",
            kind=ApplianceKind.FRIDGE, min_dc=50, max_dc=40,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="upper limit"):
        save_appliance(
            db, "CAP-FRIGO2", actor=shop.manager, site_code="CAP", name="Frigo bibite",
            kind=ApplianceKind.FRIDGE, min_dc=0, max_dc=4.5,
        )  # fmt: skip
    with db.read() as session:
        assert session.scalar(select(Appliance).where(Appliance.code == "CAP-FRIGO2")) is None
    # from the command line, as the manager: added, read at 9 °C only with its action
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    args = ["--db", db.url, "--lang", "en", "haccp", "appliance", "cap-frigo2", "--site", "CAP"]
    assert main_group([*args, "--name", "Frigo bibite", "--kind", "fridge", "--min", "0", "--max", "4"]) == 0
    assert "CAP-FRIGO2" in capsys.readouterr().out
    with pytest.raises(InvalidInput, match="corrective action"):
        record_appliance_reading(db, "CAP-FRIGO2", 90, actor=shop.manager)
    # its limits raised to 8 °C: 7 °C is now within them; taken out of use, it is kept with its register
    assert main_group([*args, "--name", "Frigo bibite", "--kind", "fridge", "--max", "8"]) == 0
    assert record_appliance_reading(db, "CAP-FRIGO2", 70, actor=shop.manager).within_limit
    assert main_group([*args, "--name", "Frigo bibite", "--kind", "fridge", "--max", "8", "--inactive"]) == 0
    with db.read() as session:
        fridge = session.scalars(select(Appliance).where(Appliance.code == "CAP-FRIGO2")).one()
        assert (fridge.min_dc, fridge.max_dc, fridge.active) == (None, 80, False)
        readings = session.scalars(select(ApplianceReading).where(ApplianceReading.appliance_id == fridge.id))
        assert len(readings.all()) == 1
    capsys.readouterr()
    monkeypatch.setenv("ORTO_USER", "Marco")
    monkeypatch.setenv("ORTO_PIN", CASHIER_PIN)
    assert main_group([*args, "--name", "X", "--kind", "fridge", "--max", "4"]) == 1  # a cashier: refused
    assert main_group([*args, "--name", "X", "--kind", "oven", "--max", "4"]) == 1
    assert "oven" in capsys.readouterr().err
