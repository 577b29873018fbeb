"""orto fiscal status | pending | run | x | z, against the simulated RT and the test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orto.db import Database
from pos.cli.app import main_group
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import documents, done_when_sale, fiscal_shop
from tests.shop import MANAGER_PIN


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT().start()
    yield server
    server.stop()


def _toml(tmp_path: Path, port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orto.toml"
    path.write_text(
        f"""[printers.cassa]
kind = "epson-rt"
host = "127.0.0.1"
port = {port}
timeout = 1
departments = {{ "4" = 1, "10" = 2, "22" = 3, "5" = 4 }}
[counters.PAL-1.printers]
fiscal = "cassa"
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("ORTO_CONFIG", str(path))


def run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> tuple[int, str, str]:
    code = main_group(["--db", db.url, "--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pending_then_run_then_status_and_z(
    db: Database, rt: SimulatedRT, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(tmp_path, rt.port, monkeypatch)
    shop = fiscal_shop(db, rt)
    rt.faults.add("paper_out")
    sale = done_when_sale(db, shop).sale
    code, out, _err = run(capsys, db, "fiscal", "run")
    assert code == 0 and "0 fiscal document(s) issued" in out
    code, out, _err = run(capsys, db, "fiscal", "pending")
    assert code == 0 and sale.number in out and "out of paper" in out
    code, out, _err = run(capsys, db, "fiscal", "status", "cassa")
    assert "RT: out of paper · 1 documents to issue" in out and rt.serial in out
    rt.faults.clear()
    code, out, _err = run(capsys, db, "fiscal", "run")
    assert "1 fiscal document(s) issued" in out and len(rt.issued()) == 1
    code, out, _err = run(capsys, db, "fiscal", "pending")
    assert "No fiscal document waits" in out
    code, out, _err = run(capsys, db, "fiscal", "x", "cassa")
    assert code == 0 and "RT and Orto agree" in out and rt.closures == []
    monkeypatch.setattr("typer.prompt", lambda *a, **k: MANAGER_PIN)
    code, out, err = run(capsys, db, "fiscal", "z", "cassa", "--user", "Giulia")
    assert code == 0, err
    assert "RT and Orto agree" in out and rt.closures[0]["z_number"] == 1
    assert [d.status for d in documents(db)] == ["issued"]


def test_an_unknown_rt_and_an_rt_that_is_off(
    db: Database, rt: SimulatedRT, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(tmp_path, rt.port, monkeypatch)
    fiscal_shop(db, rt)
    code, _out, err = run(capsys, db, "fiscal", "status", "nope")
    assert code != 0 and "no RT nope" in err and "cassa" in err
    rt.stop()
    code, _out, err = run(capsys, db, "fiscal", "status", "cassa")
    assert code != 0 and f"cassa (127.0.0.1:{rt.port})" in err


def test_orto_fiscal_void_annuls_a_document_issued_by_mistake_once(
    db: Database, rt: SimulatedRT, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(tmp_path, rt.port, monkeypatch)
    shop = fiscal_shop(db, rt)
    sale = done_when_sale(db, shop).sale
    assert run(capsys, db, "fiscal", "run")[0] == 0 and len(rt.issued()) == 1
    monkeypatch.setenv("ORTO_USER", "Marco")  # a cashier
    monkeypatch.setenv("ORTO_PIN", "1234")
    code, _out, err = run(capsys, db, "fiscal", "void", sale.number or "", "--reason", "battuto due volte")
    assert code == 1 and "Traceback" not in err and len(documents(db)) == 1  # refused, nothing queued
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    code, out, err = run(capsys, db, "fiscal", "void", sale.number or "", "--reason", "battuto due volte")
    assert code == 0 and f"Sale {sale.number} voided" in out, err
    assert run(capsys, db, "fiscal", "run")[0] == 0
    original, annullo = documents(db)
    assert annullo.kind == "void" and annullo.status == "issued" and annullo.refers_to_id == original.id
    assert rt.issued("void")[0].reference.startswith("VOID ")
    code, _out, err = run(capsys, db, "fiscal", "void", sale.number or "", "--reason", "ancora")
    assert code == 1 and len(documents(db)) == 2  # never twice


def test_the_demos_simulated_rt_issues_the_counters_documents(db: Database) -> None:
    """`orto demo --fiscal-sim`: the counter's sales go to a simulated RT started in the process,
    marked simulated so the till says it is not a fiscal device."""
    from pos import selling
    from pos.demo import with_fiscal_simulator
    from receipts.fiscal.queue import FiscalQueue
    from tests.shop import build_shop

    shop = build_shop(db)
    settings, port = with_fiscal_simulator(shop.settings, "PAL-1")
    assert settings.counter_printers["PAL-1"]["fiscal"] == "rt-sim"
    assert (
        settings.printers["rt-sim"].options["simulated"] is True and settings.printers["rt-sim"].options["port"] == port
    )
    shop.settings = settings
    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = done_when_sale(db, shop).sale
    assert FiscalQueue(db, settings, now_please=True).run_once() == 1
    [issued] = documents(db)
    assert issued.sale_id == sale.id and issued.status == "issued" and issued.printer == "rt-sim"
