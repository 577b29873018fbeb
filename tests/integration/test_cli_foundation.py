"""The orto command as a person meets it: init, bad databases, import exit codes, the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from orto.db import Database
from orto.models import AuditEntry, Lot, Product, Recall, StockLevel, User
from pos.cli.app import main_group


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_group(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_then_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    code, out, _ = run(capsys, "--db", url, "init")
    assert code == 0 and "pronto" in out
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "init")
    assert code == 0 and "already up to date" in out


def test_commands_refuse_a_database_that_was_never_initialised(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'new.sqlite3'}", "export", "products", "x.csv")
    assert code == 2 and "orto init" in err


def test_unreachable_database_one_line_password_masked(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--db", "postgresql+psycopg://orto:hunter2@127.0.0.1:1/orto", "init")
    assert code == 2
    assert "hunter2" not in err and "***" in err and "127.0.0.1:1" in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_that_is_not_a_database_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    precious = tmp_path / "ricette.txt"
    precious.write_text("Passata: pomodori, sale\n", encoding="utf-8")
    code, _out, err = run(capsys, "--db", f"sqlite:///{precious}", "init")
    assert code == 2 and "not an SQLite database" in err
    assert precious.read_text(encoding="utf-8") == "Passata: pomodori, sale\n"


def test_a_rejected_import_exits_1_and_lists_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    run(capsys, "--db", url, "init")
    from tests import factories

    factories.manager(Database(url))  # "Responsabile", PIN 9191
    monkeypatch.setenv("ORTO_USER", "Responsabile")
    monkeypatch.setenv("ORTO_PIN", "9191")
    bad = tmp_path / "bad.csv"
    bad.write_text("codice;nome;iva;prezzo\nA;Uno;7;1,00\nB;;4;x\n", encoding="utf-8")
    code, _out, err = run(capsys, "--db", url, "--lang", "en", "import", "products", str(bad))
    assert code == 1
    assert "line 2, column iva" in err and "line 3, column nome" in err and "line 3, column prezzo" in err
    good = tmp_path / "good.csv"
    good.write_text("codice;nome;iva;prezzo\nA;Uno;4;1,00\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "import", "products", str(good))
    assert code == 0 and "1 created, 0 updated, 0 unchanged" in out


def test_demo_is_built_apart_from_the_real_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--no-tui")
    assert code == 0 and "PIN 1111" in out
    data = tmp_path / "data"  # ORTO_DATA_DIR of the test
    assert (data / "demo.sqlite3").exists() and not (data / "orto.sqlite3").exists()
    demo = Database(f"sqlite:///{data / 'demo.sqlite3'}")
    with demo.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) >= 120
        assert session.scalar(select(func.count()).select_from(User)) >= 3
        levels = session.execute(select(StockLevel.location_id, StockLevel.lot_id, StockLevel.quantity)).all()
        assert levels and all(q > 0 for _l, _t, q in levels)
        expiries = [lot.expiry for lot in session.scalars(select(Lot)) if lot.expiry]
    from datetime import timedelta

    from orto.localtime import today as milan_today

    today = milan_today()
    assert any(e < today for e in expiries), "some lots are past their date"
    assert any(today <= e <= today + timedelta(days=3) for e in expiries), "some lots are near their date"
    code, out, _ = run(capsys, "demo", "--no-tui")
    assert code == 0 and ("Already built" in out or "Già" in out or "già" in out)
    assert "Cassa: PAL-1, " in out and "Via Palmanova 59" in out
    # the bar's counter, named in any case; a counter the demo does not have is refused by name
    code, out, _ = run(capsys, "--lang", "en", "demo", "--no-tui", "--counter", "mon-1")
    assert code == 0 and "Counter: MON-1, " in out and "Via" in out
    code, _out, err = run(capsys, "--lang", "en", "demo", "--no-tui", "--counter", "BAR-9")
    assert code == 1 and "no counter BAR-9" in err and "MON-1" in err


def test_demo_fills_an_explicitly_named_database(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = run(capsys, "--db", db.url, "demo", "--no-tui")
    assert code == 0
    with db.read() as session:
        products = session.scalar(select(func.count()).select_from(Product))
    assert products is not None and products >= 120


def test_trace_and_recall_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from orto.schema import upgrade
    from tests.shop import build_shop

    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    db = Database(url)
    upgrade(db)
    shop = build_shop(db, today=date(2026, 11, 25))
    with db.read() as session:
        code = session.get(Lot, shop.jam_lot).code  # type: ignore[union-attr]
    status, out, _err = run(capsys, "--db", url, "--lang", "en", "trace", code)
    assert status == 0 and f"Lot {code}: Confettura di albicocche" in out and "on hand 30 pz at PAL" in out
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "trace", "NOPE-1")
    assert status == 1 and "no lot with code NOPE-1" in err
    monkeypatch.delenv("ORTO_USER", raising=False)
    monkeypatch.delenv("ORTO_PIN", raising=False)
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "recall", "open", code, "--reason", "vetro")
    assert status == 1 and "who is acting" in err and "ORTO_USER" in err
    monkeypatch.setenv("ORTO_USER", "marco")  # a cashier: names are matched ignoring case
    monkeypatch.setenv("ORTO_PIN", "1234")
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "recall", "open", code, "--reason", "vetro")
    assert status == 1 and "cashier may not do this (recall): only manager" in err
    monkeypatch.setenv("ORTO_PIN", "5555")
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "recall", "open", code, "--reason", "vetro")
    assert status == 1 and "wrong PIN" in err
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Recall)) == 0
        assert (
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login_failed")) == 1
        )
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", "9090")
    status, out, _err = run(capsys, "--db", url, "--lang", "en", "recall", "open", code, "--reason", "vetro")
    assert status == 0 and f"recalled: {code}" in out
    status, out, _err = run(capsys, "--db", url, "--lang", "en", "trace", code)
    assert "RECALLED: vetro" in out
    status, out, _err = run(capsys, "--db", url, "--lang", "en", "recall", "lift", code)
    assert status == 0
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "recall", "lift", code)
    assert status == 1 and "not under recall" in err
    status, _out, err = run(capsys, "--db", url, "--lang", "en", "donation", "DON-X", "--out", str(tmp_path / "d.pdf"))
    assert status == 1 and "no donation DON-X" in err


def test_plain_orto_opens_the_till_without_the_command_framework(capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli.launch import plain_till_args, run_plain_till

    assert plain_till_args([]) == (None, None)
    assert plain_till_args(["--db", "sqlite:///x", "--lang=en", "till"]) == ("sqlite:///x", "en")
    assert plain_till_args(["till", "--help"]) is None
    assert plain_till_args(["--help"]) is None
    assert plain_till_args(["report", "sales"]) is None
    assert plain_till_args(["--db"]) is None
    # errors keep their meaning: one line, password masked, exit code 2
    code = run_plain_till("postgresql+psycopg://orto:hunter2@127.0.0.1:1/orto", "en")
    err = capsys.readouterr().err
    assert code == 2 and "hunter2" not in err and len(err.strip().splitlines()) == 1


def test_a_wrong_option_is_bad_input_with_the_usage_not_an_unexpected_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "demo", "--no-such-option")
    assert code == 1
    assert "No such option: --no-such-option" in err and "orto demo --help" in err
    assert "unexpected" not in err and not (tmp_path / "data" / "orto-errors.log").exists()


def test_global_options_work_after_the_command_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    code, out, _ = run(capsys, "info", "--lang", "en", f"--db={url}")
    assert code == 0
    assert "Language: en" in out and f"Database: {url}" in out
    code, out, _ = run(capsys, "info", "--lang=it")
    assert code == 0 and "Lingua: it" in out


def test_an_option_without_its_value_is_named_not_filled_with_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "info", "--lang")
    assert code == 1 and "--lang needs a value" in err
    code, out, _ = run(capsys, "--db=", "--lang=en", "info")  # an empty --db= is no database named
    assert code == 0 and "Database: sqlite:///" in out and "orto.sqlite3" in out


def test_till_with_options_after_it_still_takes_the_quick_way() -> None:
    from pos.cli.launch import plain_till_args

    assert plain_till_args(["till", "--lang", "en"]) == (None, "en")
    assert plain_till_args(["--lang=en", "till", "--db", "sqlite:///x"]) == ("sqlite:///x", "en")
    assert plain_till_args(["--db="]) == (None, None)
    assert plain_till_args(["--lang"]) is None  # typer says what is missing
    assert plain_till_args(["info"]) is None and plain_till_args(["till", "till"]) is None


def test_a_demo_counter_that_does_not_exist_is_refused_before_anything_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--lang", "en", "demo", "--no-tui", "--counter", "BAR-9")
    assert code == 1 and "no counter BAR-9" in err and "CAP-1, MON-1, PAL-1" in err
    assert not (tmp_path / "data" / "demo.sqlite3").exists()


@pytest.mark.parametrize("command", [["count-sheet", "1"], ["labels", "sheet", "PAL-261201-001"], ["donation", "X"]])
def test_a_pdf_that_cannot_be_written_there_is_refused_before_any_work(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    missing = folder / "nowhere" / "sheet.pdf"
    status = main_group(["--db", db.url, "--lang", "en", *command, "--out", str(missing)])
    _out, err = capsys.readouterr()
    if command[0] != "donation":  # the donation is looked up first: an unknown number says so
        assert status == 1 and f"orto: cannot write {missing}: the folder does not exist" in err
    else:
        assert status == 1 and "no donation X" in err
    status = main_group(["--db", db.url, "--lang", "en", *command, "--out", str(folder)])
    _out, err = capsys.readouterr()
    assert status == 1 and "Traceback" not in err
    if command[0] != "donation":
        assert f"orto: cannot write {folder}: it is a folder, give a file name" in err
    assert list(folder.iterdir()) == []


def test_the_readmes_setup_in_order_init_with_a_manager_then_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    suppliers = tmp_path / "fornitori.csv"
    suppliers.write_text("codice;nome;tipo;km_PAL;km_CAP;km_MON\nF01;Cascina Nuova;farm;12;15;20\n", encoding="utf-8")
    monkeypatch.setenv("ORTO_PIN", "1357")
    code, out, err = run(capsys, "--db", url, "--lang", "en", "init", "--manager", "Giulia")
    assert code == 0 and "Manager Giulia created" in out, err
    monkeypatch.setenv("ORTO_USER", "Giulia")
    code, out, err = run(capsys, "--db", url, "--lang", "en", "import", "suppliers", str(suppliers))
    assert code == 0 and "1 created" in out, err
    # the steps repeated: the same manager is there already; another name is not a first manager
    code, out, _err = run(capsys, "--db", url, "--lang", "en", "init", "--manager", "giulia")
    assert code == 0 and "is a user already" in out
    code, _out, err = run(capsys, "--db", url, "--lang", "en", "init", "--manager", "Marco")
    assert code == 1 and "there are users already" in err
    db = Database(url)
    with db.read() as session:
        users = session.execute(select(User.name, User.role)).all()
        created = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "user_created")
        )
    assert [(n, r.value) for n, r in users] == [("Giulia", "manager")] and created == 1
    db.dispose()


def test_init_without_users_refuses_a_pin_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    monkeypatch.setenv("ORTO_PIN", "12")
    code, _out, err = run(capsys, "--db", url, "--lang", "en", "init", "--manager", "Giulia")
    assert code == 1 and "PIN" in err and "Traceback" not in err


def test_the_cli_needs_no_click_of_its_own(db: Database, tmp_path: Path) -> None:
    """`pip install .` brings typer, which vendors its click; click itself comes only with the
    test extras. The commands must not import it: run them with click made unimportable."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['click'] = None\n"
        "from pos.cli import main\n"
        "sys.argv = ['orto', *sys.argv[1:]]\n"
        "main()"
    )
    env = {**os.environ, "ORTO_USER": "Giulia", "ORTO_CONFIG": str(tmp_path / "none.toml")}
    env.pop("ORTO_PIN", None)

    def orto(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args], input="", capture_output=True, text=True, env=env, timeout=120
        )

    asked = orto("--db", db.url, "--lang", "en", "users", "list")  # the PIN asked, no input to read it
    assert asked.returncode == 1 and "needs to know who is acting" in asked.stderr, asked.stderr
    wrong = orto("--db", db.url, "--lang", "en", "users", "--bogus")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr, wrong.stderr
