"""How each kind of value is written: on paper and on screen (Italian grouping, € amounts with
two decimals, kg with three), in CSV (no grouping; decimal comma for Italian Excel, dot for
plain) and in XLSX (a number with its number format, never text)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from orto.i18n import format_date, format_datetime
from orto.locales import babel_locale
from orto.money import format_amount, format_kg
from pos.reports.filters import ROME
from pos.reports.model import Kind, Value

_SCALE = {Kind.CENTS: -2, Kind.GRAMS: -3, Kind.DECIMAL1: -1, Kind.DECIMAL2: -2, Kind.PERCENT_BP: -2}
XLSX_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.CENTS: "#,##0.00",
    Kind.GRAMS: "#,##0.000",
    Kind.PERCENT_BP: "0.0%",
    Kind.DATE: "DD/MM/YYYY",
    Kind.DATETIME: "DD/MM/YYYY HH:MM",
    Kind.DECIMAL1: "0.0",
    Kind.DECIMAL2: "0.00",
}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ROME)


@functools.cache
def _symbols(language: str) -> tuple[str, str, str]:
    """The locale's group separator, decimal separator and minus sign."""
    locale = babel_locale(language)
    return get_group_symbol(locale), get_decimal_symbol(locale), get_minus_sign_symbol(locale)


def _fixed(value: int, places: int, language: str) -> str:
    """An integer count of 10**-places written as ``#,##0.00…`` would be by babel (groups of three,
    the locale's symbols), exactly and without rounding: a report prints thousands of them."""
    group, point, minus = _symbols(language)
    whole, fraction = divmod(abs(value), 10**places)
    text = f"{whole:,}".replace(",", group)
    if places:
        text += f"{point}{fraction:0{places}d}"
    return f"{minus}{text}" if value < 0 else text


def as_text(value: Value, kind: Kind, language: str = "it") -> str:
    """For the PDF and the till's preview."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if kind is Kind.CENTS:
            return _fixed(value, 2, language)  # = orto.money.format_amount
        if kind is Kind.GRAMS:
            return _fixed(value, 3, language)  # = orto.money.format_kg
        if kind is Kind.PERCENT_BP and value % 10 == 0:  # a tenth of a percent: nothing to round
            return _fixed(value // 10, 1, language) + "%"
        if kind is Kind.DECIMAL1:
            return _fixed(value, 1, language)
        if kind is Kind.DECIMAL2:
            return _fixed(value, 2, language)
    if kind is Kind.CENTS and isinstance(value, int):
        return format_amount(value, language)
    if kind is Kind.GRAMS and isinstance(value, int):
        return format_kg(value, language)
    if kind is Kind.PERCENT_BP and isinstance(value, int):  # always one decimal, so a column lines up
        return format_decimal(Decimal(value).scaleb(-2), format="#,##0.0", locale=babel_locale(language)) + "%"
    if kind in (Kind.DECIMAL1, Kind.DECIMAL2) and isinstance(value, int):
        pattern = "#,##0.0" if kind is Kind.DECIMAL1 else "#,##0.00"
        return format_decimal(Decimal(value).scaleb(_SCALE[kind]), format=pattern, locale=babel_locale(language))
    if isinstance(value, datetime):
        return format_datetime(value, language, fmt="dd/MM/yyyy HH:mm")
    if isinstance(value, date):
        return format_date(value, language, fmt="dd/MM/yyyy")
    if isinstance(value, int):
        return _fixed(value, 0, language)
    return str(value)


def as_csv(value: Value, kind: Kind, *, italian: bool) -> str:
    """No thousands separator (spreadsheets mistake it); decimal comma only for Italian Excel."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        local = _local(value)
        return local.strftime("%d/%m/%Y %H:%M") if italian else local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if italian else value.isoformat()
    if kind in _SCALE:
        places = -_SCALE[kind]
        text = f"{Decimal(value).scaleb(-places):.{places}f}"
        return text.replace(".", ",") if italian else text
    return str(value)


def as_xlsx(value: Value, kind: Kind) -> str | int | Decimal | date | datetime | None:
    """Numbers as exact decimals (openpyxl writes them as numbers); percentages as fractions."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return _local(value).replace(tzinfo=None)  # Excel has no time zones: local time, as printed
    if isinstance(value, date):
        return value
    if kind is Kind.PERCENT_BP:
        return Decimal(value).scaleb(-4)
    if kind in _SCALE:
        return Decimal(value).scaleb(_SCALE[kind])
    return value
