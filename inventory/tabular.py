"""Reading and writing the spreadsheets people actually have: CSV from Italian Excel, plain CSV, XLSX.

Italian Excel writes ``;``-separated CSV with decimal commas, in UTF-8 (with or without BOM) or
Windows-1252; other tools write plain comma CSV. We detect both rather than asking, because the
person importing rarely knows which one they have.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from orto.errors import InvalidInput
from orto.i18n import gettext as _


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: its header and its rows with their line numbers in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    dialect: str  # "excel-it" (; and decimal comma), "plain" (comma), "xlsx"


def decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            _("{path}: not UTF-8 nor Windows-1252 text (byte {pos})").format(path=path, pos=exc.start)
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a person would have typed (numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # openpyxl hands numbers over as floats; repr gives the shortest exact decimal form
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


ZIP_MAGIC = b"PK\x03\x04"


def _readable(path: Path) -> bytes:
    """The file's first bytes, or one line saying why it cannot be read as a file."""
    if "\x00" in str(path):  # the OS cannot even look such a name up
        raise InvalidInput(_("{path!r}: not a usable file name (it holds a NUL)").format(path=str(path)))
    if not path.exists():
        raise InvalidInput(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise InvalidInput(_("{path}: is a folder, not a file").format(path=path))
    try:
        with path.open("rb") as fh:
            return fh.read(len(ZIP_MAGIC))
    except OSError as exc:
        raise InvalidInput(_("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)) from exc


def read_sheet(path: Path) -> Sheet:
    start = _readable(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if start != ZIP_MAGIC:
            raise InvalidInput(_("{path}: not an XLSX file (an XLSX is a zip archive)").format(path=path))
        return _read_xlsx(path)
    if start == ZIP_MAGIC:
        raise InvalidInput(_("{path}: this is an XLSX (zip) file, not CSV: name it .xlsx").format(path=path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)) from exc
    text = decode(data, path)
    first = _first_line(text)
    if first is None or not first.strip():
        raise InvalidInput(_("{path}: the file is empty or has no header line").format(path=path))
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InvalidInput(
            _("{path}, line {line}: {reason}").format(path=path, line=reader.line_num, reason=exc)
        ) from exc
    header = [h.strip().lstrip("\ufeff") for h in records[0]]
    rows = []
    # only a cell starting with an apostrophe can be one neutralise() wrote
    apostrophes = "'" in text
    # csv.reader may span a quoted cell over lines; line_num is not kept per record, so count
    for number, record in enumerate(records[1:], start=2):
        cells = [cell.strip() for cell in record]
        if any(cells):  # a stripped cell is true when it held more than blanks
            if apostrophes:
                cells = [_unneutralise(c) if c[:1] == "'" else c for c in cells]
            rows.append((number, cells))
    return Sheet(header, rows, "excel-it" if delimiter == ";" else "plain")


def _first_line(text: str) -> str | None:
    """``text.splitlines()[0]`` (None for no line) without splitting a 20,000-line file."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) > 1 or size >= len(text):
            return lines[0] if lines else None
        size *= 4


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(_("{path}: not a readable XLSX file ({reason})").format(path=path, reason=exc)) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v) for v in next(iterator)]
    except StopIteration as exc:
        raise InvalidInput(_("{path}: the file is empty or has no header line").format(path=path)) from exc
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, values in enumerate(iterator, start=2):
        cells = [_unneutralise(_cell_text(v)) for v in values[: len(header)]]
        if any(cells):
            rows.append((number, cells))
    workbook.close()
    return Sheet(header, rows, "xlsx")


# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula gets a leading
# apostrophe, which Excel and LibreOffice show as text and hide; numbers are not formulas.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:%)?")


def neutralise(value: Any) -> Any:
    """A cell value safe to open: text that would start a formula becomes plain text."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def _unneutralise(text: str) -> str:
    """Read back what :func:`neutralise` wrote, so an export imports as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def write_csv(path: Path, header: Sequence[str], rows: Iterator[Sequence[Any]], *, italian_excel: bool) -> None:
    """Italian Excel: ``;`` and UTF-8 with BOM (so Excel picks the encoding); plain: comma, no BOM."""
    write_csv_rows(path, itertools.chain([header], rows), italian_excel=italian_excel)


def write_csv_rows(path: Path, rows: Iterable[Sequence[Any]], *, italian_excel: bool) -> None:
    """Rows as given (titles, headers, blank lines between tables), in either dialect."""
    encoding = "utf-8-sig" if italian_excel else "utf-8"
    with _writing(path), path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=";" if italian_excel else ",", lineterminator="\r\n")
        writer.writerows([neutralise(cell) for cell in row] for row in rows)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A file that cannot be written (a folder, a missing or read-only folder, a full disk): one line."""
    if path.is_dir():
        raise InvalidInput(_("{path}: is a folder; give a file name").format(path=path))
    try:
        yield
    except OSError as exc:
        raise InvalidInput(_("{path}: cannot be written ({reason})").format(path=path, reason=exc.strerror)) from exc


def write_xlsx(path: Path, header: Sequence[str], rows: Iterator[Sequence[Any]], formats: dict[int, str]) -> None:
    """Numbers stay numbers (with a number format per column index), header bold and frozen."""
    write_xlsx_book(path, [XlsxSheet("", header, rows, formats)])


@dataclass
class XlsxSheet:
    title: str  # "" keeps the workbook's default
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    formats: dict[int, str]  # column index -> number format
    row_formats: dict[int, str] | None = None  # row index (0 = first data row) -> format of its numbers
    widths: dict[int, float] | None = None
    bold_last_row: bool = False  # a total


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31] or "Foglio"
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{clean[:27]} ({n})"
    taken.add(candidate.lower())
    return candidate


def write_xlsx_book(path: Path, sheets: Sequence[XlsxSheet]) -> None:
    """One sheet per table: header bold, filled and frozen; numbers as numbers with their formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=False)
    taken: set[str] = set()
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        if spec.title:
            sheet.title = _sheet_title(spec.title, taken)
        sheet.append([neutralise(cell) for cell in spec.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBCF")
        for row in spec.rows:
            # openpyxl writes a str starting with "=" as a formula: neutralised, it is text
            sheet.append([neutralise(cell) for cell in row])
        for column, number_format in spec.formats.items():
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = number_format
        for row_index, number_format in (spec.row_formats or {}).items():
            for cell in sheet[row_index + 2]:
                if isinstance(cell.value, int | Decimal) and not isinstance(cell.value, bool):
                    cell.number_format = number_format
        if spec.bold_last_row and sheet.max_row > 1:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for column, width in (spec.widths or {}).items():
            sheet.column_dimensions[_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
    with _writing(path):
        workbook.save(path)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
