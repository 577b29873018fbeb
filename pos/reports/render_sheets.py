"""A report as CSV (one file: the summary, then each table under its title, a blank line
between) or XLSX (a sheet for the summary and one per table), and as plain text for the till."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from inventory.tabular import XlsxSheet, write_csv_rows, write_xlsx_book
from orto.i18n import gettext as _
from pos.reports.model import Kind, Report, Table, Value
from pos.reports.values import XLSX_FORMATS, as_csv, as_text, as_xlsx


def period_text(report: Report, language: str = "it") -> str:
    if report.period is None:
        return ""
    first, last = report.period
    return _("{first} to {last}").format(
        first=as_text(first, Kind.DATE, language), last=as_text(last, Kind.DATE, language)
    )


def _heading(report: Report) -> list[Sequence[str]]:
    lines: list[Sequence[str]] = [[report.title], list(report.subject)]
    if report.period:
        lines.append([_("Period"), period_text(report)])
    return lines


def _rows(table: Table) -> Iterator[tuple[Value, ...]]:
    yield from table.rows
    if table.total is not None:
        yield table.total


def write_csv_report(report: Report, path: Path, *, plain: bool = False) -> None:
    italian = not plain
    lines: list[Sequence[str]] = list(_heading(report))
    lines.append([])
    if report.summary:
        for figure in report.summary:
            lines.append([figure.label, as_csv(figure.value, figure.kind, italian=italian)])
        lines.append([])
    if report.empty:
        lines.append([_("No data for this period.")])
    for table in report.tables:
        if table.empty:
            continue
        lines.append([table.title])
        lines.append([c.title for c in table.columns])
        for row in _rows(table):
            lines.append([as_csv(v, c.kind, italian=italian) for v, c in zip(row, table.columns, strict=True)])
        lines.append([])
    for note in report.notes:
        lines.append([note])
    write_csv_rows(path, lines, italian_excel=italian)


def write_xlsx_report(report: Report, path: Path) -> None:
    summary_rows: list[Sequence[object]] = [
        [line[0], line[1] if len(line) > 1 else None] for line in _heading(report)[1:]
    ]
    row_formats: dict[int, str] = {}
    for figure in report.summary:
        row_formats[len(summary_rows)] = XLSX_FORMATS.get(figure.kind, "General")
        summary_rows.append([figure.label, as_xlsx(figure.value, figure.kind)])
    if report.empty:
        summary_rows.append([_("No data for this period."), None])
    summary_rows.extend([note, None] for note in report.notes)
    sheets = [
        XlsxSheet(_("Summary"), [report.title, ""], summary_rows, {}, row_formats, widths={0: 48, 1: 40}),
    ]
    for table in report.tables:
        if table.empty:
            continue
        formats = {i: XLSX_FORMATS[c.kind] for i, c in enumerate(table.columns) if c.kind in XLSX_FORMATS}
        rows = [[as_xlsx(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in _rows(table)]
        widths: dict[int, float] = {i: max(10, min(45, len(c.title) + 4)) for i, c in enumerate(table.columns)}
        for i, column in enumerate(table.columns):
            if column.kind is Kind.TEXT:
                longest = max((len(str(r[i])) for r in table.rows if r[i] is not None), default=10)
                widths[i] = max(widths[i], min(45, longest + 2))
        sheets.append(
            XlsxSheet(
                table.title,
                [c.title for c in table.columns],
                rows,
                formats,
                widths=widths,
                bold_last_row=table.total is not None,
            )
        )
    write_xlsx_book(path, sheets)


def preview_text(report: Report, language: str = "it", max_rows: int = 40) -> str:
    """What the till shows before writing the file: the summary and the first rows of each table."""
    label, value = report.subject
    out = [report.title, f"{label}: {value}"]
    if report.period:
        out.append(f"{_('Period')}: {period_text(report, language)}")
    out.append("")
    if report.summary:
        width = max(len(f.label) for f in report.summary)
        out.extend(f"{f.label:<{width}}  {as_text(f.value, f.kind, language):>14}" for f in report.summary)
        out.append("")
    if report.empty:
        out.append(_("No data for this period."))
    for table in report.tables:
        if table.empty:
            continue
        out.append(f"== {table.title}")
        cells = [[c.title for c in table.columns]]
        shown = list(_rows(table))
        if len(shown) > max_rows:
            shown = [*shown[: max_rows - 1], shown[-1]]
        cells += [[as_text(v, c.kind, language) for v, c in zip(row, table.columns, strict=True)] for row in shown]
        widths = [min(30, max(len(row[i]) for row in cells)) for i in range(len(table.columns))]
        for row in cells:
            parts = []
            for i, (text, column) in enumerate(zip(row, table.columns, strict=True)):
                text = text[: widths[i]]
                parts.append(text.ljust(widths[i]) if column.kind in (Kind.TEXT, Kind.DATE) else text.rjust(widths[i]))
            out.append("  ".join(parts).rstrip())
        if len(table.rows) + (table.total is not None) > max_rows:
            out.append(_("… {n} rows in all: see the file").format(n=len(table.rows)))
        out.append("")
    out.extend(report.notes)
    return "\n".join(out)
