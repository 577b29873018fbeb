"""What every report is made of: typed tables, summary figures and charts, no formatting.

Values stay integers (cents, grams, basis points), dates and text; the renderers (PDF, CSV,
XLSX, the till's preview) decide how each kind is written, so one report reads the same
everywhere and stays numeric in a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from orto.i18n import gettext as _


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # plain integer: sales, pieces, records
    CENTS = "cents"  # money
    GRAMS = "grams"  # written as kg
    PERCENT_BP = "percent_bp"
    DATE = "date"
    DATETIME = "datetime"
    DECIMAL1 = "decimal1"  # tenths: °C as stored for HACCP
    DECIMAL2 = "decimal2"  # hundredths: pH


Value = str | int | date | datetime | None
Row = tuple[Any, ...]  # of Values, one per column (Any: tuples of narrower types are fine too)


@dataclass(frozen=True)
class Column:
    title: str  # already translated
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None  # a last row, printed bold
    note: str = ""  # a sentence under the title (what is counted, where it comes from)

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Figure:
    label: str
    value: Value
    kind: Kind


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str  # "line" or "bar"
    labels: list[str]
    series: list[tuple[str, list[int]]]  # name, values (cents or grams: see unit)
    unit: Kind = Kind.CENTS


@dataclass
class Report:
    name: str  # sales, waste, ...
    title: str
    site: str  # "all sites" or the site's name and address
    period: tuple[date, date] | None
    summary: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary_page: bool = False  # PDF: summary and charts alone on the first page, details after
    landscape: bool = False  # PDF: wide tables (the HACCP register)
    site_label: str | None = None  # what stands for "Site: …" (the trace names its lot instead)

    @property
    def subject(self) -> tuple[str, str]:
        """The line under the title: ("Site", the site) or what the report is about."""
        return (_("Site"), self.site) if self.site_label is None else (self.site_label, self.site)

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)
