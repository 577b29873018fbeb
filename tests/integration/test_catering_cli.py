"""orto catering … and orto invoices … on a real SQLite file: a quote typed on the command line,
confirmed, delivered, invoiced; the files written; an SdI receipt imported; bad input exits 1."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from catering.fatturapa import SCHEMA
from orto.db import Database
from orto.schema import upgrade
from pos.cli.app import main_group
from tests.catering_world import build_kitchen
from tests.shop import MANAGER_PIN


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_group(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _kitchen_file(tmp_path: Path) -> str:
    """The orto-cucina's test world in a real SQLite file; its URL."""
    url = f"sqlite:///{tmp_path / 'cap.sqlite3'}"
    db = Database(url)
    upgrade(db)
    build_kitchen(db)
    db.dispose()
    return url


def test_a_catering_order_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _kitchen_file(tmp_path)
    config = tmp_path / "orto.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[company]\nname = "Fuori e Dentro"\nvat_number = "07654320154"\n'
        'address = "Via L. Capuana 7"\npostcode = "20155"\ntown = "Milano"\nprovince = "MI"\n'
    )
    monkeypatch.setenv("ORTO_CONFIG", str(config))
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    day = (date.today() + timedelta(days=20)).isoformat()
    base = ("--db", url, "--lang", "en")

    code, _out, err = run(
        capsys,
        *base,
        "catering",
        "quote",
        "Associazione Ortica APS",
        "--event",
        f"{day} 12:30",
        "--guests",
        "0",
        "--dish",
        "Buffet=10,00",
    )
    assert code == 1 and "guests: 0 given" in err
    code, _out, err = run(
        capsys,
        *base,
        "catering",
        "quote",
        "Associazione Ortica APS",
        "--event",
        f"{day} 12:30",
        "--guests",
        "25",
        "--dish",
        "Buffet",
    )
    assert code == 1 and "DESCRIPTION=PRICE" in err
    code, out, err = run(
        capsys,
        *base,
        "catering",
        "quote",
        "Associazione Ortica APS",
        "--event",
        f"{day} 12:30",
        "--guests",
        "25",
        "--dish",
        "@LASV:250 Lasagne=12,00",
        "--dish",
        "@GIARD Giardiniera=6,50x5",
        "--place",
        "Via Padova 21",
        "--pdf",
        str(tmp_path / "q.pdf"),
    )
    assert code == 0, err
    assert "quote CAT-" in out and "€332.50" in out  # 25 × 12 + 5 × 6,50
    number = out.split()[1].rstrip(":")
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")
    assert run(capsys, *base, "catering", "confirm", number)[0] == 0
    code, out, _err = run(capsys, *base, "catering", "plan", "--from", day)
    assert code == 0 and "Lasagne" in out and "Latte intero" in out and "SHORT" in out
    code, out, _err = run(capsys, *base, "catering", "orders", "--days", "30")
    assert number in out and "confirmed" in out
    assert run(capsys, *base, "catering", "prepared", number)[0] == 0
    code, out, _err = run(capsys, *base, "catering", "orders", "--days", "30")
    assert number in out and "prepared" in out
    code, _out, err = run(capsys, *base, "catering", "prepared", number)  # once
    assert code == 1 and "cannot become prepared" in err
    code, _out, err = run(capsys, *base, "invoices", "issue", number)
    assert code == 1 and "once delivered" in err
    assert run(capsys, *base, "catering", "deliver", number, "--ddt", str(tmp_path / "ddt.pdf"))[0] == 0
    code, out, err = run(
        capsys, *base, "invoices", "issue", number, "--xml-dir", str(tmp_path), "--pdf", str(tmp_path / "f.pdf")
    )
    assert code == 0, err
    xml = tmp_path / "IT07654320154_00001.xml"
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(etree.parse(str(xml)))
    receipt = tmp_path / "IT07654320154_00001_RC_001.xml"
    receipt.write_text(f"<RicevutaConsegna><NomeFile>{xml.name}</NomeFile></RicevutaConsegna>")
    code, out, _err = run(capsys, *base, "invoices", "import-receipt", str(receipt))
    assert code == 0 and "RC → delivered" in out
    code, out, _err = run(capsys, *base, "invoices", "list")
    assert "TD01" in out and "delivered" in out
    code, out, _err = run(capsys, *base, "catering", "report", "--from", day, "--to", day)
    assert code == 0 and number in out
    monkeypatch.setenv("ORTO_PIN", "0000")
    code, _out, err = run(capsys, *base, "catering", "cancel", number, "--reason", "x")
    assert code == 1 and "wrong PIN" in err


def test_what_names_customers_and_their_money_asks_who_is_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.shop import CASHIER_PIN

    url = _kitchen_file(tmp_path)
    base = ("--db", url, "--lang", "en")
    out_file = tmp_path / "clienti.csv"
    managers_only = (
        ("catering", "receivables"),
        ("catering", "report"),
        ("invoices", "list"),
        ("catering", "customers", "export", str(out_file)),
    )
    counter_too = (("catering", "orders"), ("catering", "account", "Associazione Ortica APS"))
    monkeypatch.delenv("ORTO_USER", raising=False)
    for command in (*managers_only, *counter_too):  # nobody named, no terminal: refused, saying what to set
        code, _out, err = run(capsys, *base, *command)
        assert code == 1 and "ORTO_USER" in err, command
    monkeypatch.setenv("ORTO_USER", "Marco")
    monkeypatch.setenv("ORTO_PIN", CASHIER_PIN)
    for command in managers_only:
        code, _out, err = run(capsys, *base, *command)
        assert code == 1 and "may not" in err and "Traceback" not in err, command
    assert not out_file.exists()  # refused before anything is written
    for command in counter_too:
        code, _out, err = run(capsys, *base, *command)
        assert code == 0, (command, err)
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    for command in managers_only:
        code, _out, err = run(capsys, *base, *command)
        assert code == 0, (command, err)
    assert out_file.read_text(encoding="utf-8-sig").count("\n") >= 2
