"""The files as a person opens them: PDF text, XLSX cells, CSV in both dialects; and the CLI's
one-line errors for bad input."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from orto.db import Database
from orto.errors import NotAllowed
from orto.i18n import set_language
from orto.money import format_amount
from orto.policy import Role
from pos.cli.app import main_group
from pos.reports import make_report, write_report
from pos.reports.model import Report
from tests import factories
from tests.factories import manager as reporter
from tests.reports_shop import demo_with_history


def _net(report: Report) -> int:
    value = next(f.value for f in report.summary if f.label == "Net takings (€)")
    assert isinstance(value, int)
    return value


def test_pdf_xlsx_csv_carry_the_same_totals(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first, last = demo_with_history(db, monkeypatch)
    report = make_report(db, "sales", first=first, last=last, actor=reporter(db))
    net = _net(report)

    set_language("it")  # as the cooperative prints it
    pdf = write_report(report, tmp_path / "sales.pdf", "pdf")
    set_language("en")
    pages = PdfReader(pdf).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert format_amount(net, "it") in text  # 12.345,67: Italian grouping and decimal comma
    assert f"pagina 1 di {len(pages)}" in text and "Fuori e Dentro" in text

    xlsx = write_report(report, tmp_path / "sales.xlsx", "xlsx")
    book = load_workbook(xlsx)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    cell = summary["Net takings (€)"]
    assert isinstance(cell.value, int | float) and Decimal(str(cell.value)) == Decimal(net).scaleb(-2)
    assert cell.number_format == "#,##0.00"
    days = book["By day"]
    assert days.freeze_panes == "A2" and days["A1"].font.bold
    assert all(isinstance(r[2].value, int | float) for r in days.iter_rows(min_row=2))

    italian = write_report(report, tmp_path / "sales.csv", "csv")
    raw = italian.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    figures = {r[0]: r[1] for r in rows if len(r) == 2}
    assert Decimal(figures["Net takings (€)"].replace(",", ".")) == Decimal(net).scaleb(-2)
    assert "," in figures["Net takings (€)"]

    plain = write_report(report, tmp_path / "plain.csv", "csv", plain=True)
    raw = plain.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    figures = {r[0]: r[1] for r in rows if len(r) == 2}
    assert Decimal(figures["Net takings (€)"]) == Decimal(net).scaleb(-2)


def _as_manager(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's identity: a manager, by name and PIN, as ``orto report`` asks for."""
    reporter(db)
    monkeypatch.setenv("ORTO_USER", "Responsabile")
    monkeypatch.setenv("ORTO_PIN", "9191")


def test_every_report_in_every_format(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = demo_with_history(db, monkeypatch)
    _as_manager(db, monkeypatch)
    for name in ("stock", "waste", "sales", "z", "impact", "haccp"):
        for fmt in ("pdf", "csv", "xlsx"):
            out = tmp_path / f"{name}.{fmt}"
            args = ["report", name, "--site", "PAL", "--from", f"{first}", "--to", f"{last}", "--out", str(out)]
            code = main_group(["--db", db.url, *args])
            assert code == 0, capsys.readouterr().err
            assert out.stat().st_size > 0
        assert PdfReader(tmp_path / f"{name}.pdf").pages
        assert load_workbook(tmp_path / f"{name}.xlsx").sheetnames[0] == "Riepilogo"


def test_bad_input_is_one_line_and_exit_1(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as session:
        factories.sites(session)
    _as_manager(db, monkeypatch)
    cases = [
        (["report", "sales", "--site", "XYZ"], "no site XYZ"),
        (["report", "sales", "--from", "2026-05-02", "--to", "2026-05-01"], "starts (2026-05-02) after it ends"),
        (["report", "sales", "--from", "2 maggio"], "is not a date"),
        (["report", "sales", "--out", str(tmp_path / "missing" / "x.pdf")], "does not exist"),
        (["report", "sales", "--format", "doc"], "no format"),
        (["report", "bilancio"], "no report"),
    ]
    for args, message in cases:
        code = main_group(["--db", db.url, "--lang", "en", *args])
        err = capsys.readouterr().err
        assert code == 1, args
        assert message in err and len(err.strip().splitlines()) == 1, err


def test_an_empty_period_is_a_valid_report_that_says_so(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_with_history(db, monkeypatch)
    _as_manager(db, monkeypatch)
    out = tmp_path / "empty.pdf"
    code = main_group(
        [
            "--db",
            db.url,
            "--lang",
            "en",
            "report",
            "waste",
            "--from",
            "2001-01-01",
            "--to",
            "2001-01-31",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "No data for this period" in "".join(p.extract_text() for p in PdfReader(out).pages)
    csv_out = tmp_path / "empty.csv"
    assert (
        main_group(
            ["--db", db.url, "report", "sales", "--from", "2001-01-01", "--to", "2001-01-02", "--out", str(csv_out)]
        )
        == 0
    )
    assert "Nessun dato per questo periodo" in csv_out.read_text(encoding="utf-8-sig")  # Italian by default


def test_a_report_is_a_managers_at_the_cli_and_in_the_service(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as session:
        factories.sites(session)
        cashier = factories.user(session, "Marco", Role.CASHIER, "2222")
        kitchen = factories.user(session, "Luca", Role.KITCHEN, "4444")
        operators = [factories.logged_in(cashier), factories.logged_in(kitchen)]
    out = tmp_path / "sales.csv"
    monkeypatch.setenv("ORTO_USER", "Marco")
    monkeypatch.setenv("ORTO_PIN", "2222")
    code = main_group(["--db", db.url, "--lang", "en", "report", "sales", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "may not" in err and not out.exists(), err
    monkeypatch.delenv("ORTO_PIN")  # no identity at all: refused before any figure is read
    code = main_group(["--db", db.url, "--lang", "en", "report", "sales", "--out", str(out)])
    assert code == 1 and "who is acting" in capsys.readouterr().err and not out.exists()
    for operator in operators:
        with pytest.raises(NotAllowed):
            make_report(db, "z", actor=operator)
    assert make_report(db, "z", actor=reporter(db)).name == "z"
