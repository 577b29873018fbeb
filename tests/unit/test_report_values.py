"""The reports' fast number writing gives exactly what babel (and orto.money) give, in both
interface languages, for the values a report prints: zero, negatives, thousands, millions."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from orto.locales import babel_locale
from orto.money import format_amount, format_kg
from pos.reports.model import Kind
from pos.reports.values import as_text

_VALUES = [0, 1, -1, 9, 10, 99, 100, 999, 1000, -1000, 1005, 123456, -123456, 1234567, 99999999, 10**12]
_VALUES += random.Random(18).sample(range(-(10**9), 10**9), 300)


@pytest.mark.parametrize("language", ["it", "en"])
def test_numbers_are_written_as_babel_writes_them(language: str) -> None:
    locale = babel_locale(language)
    for value in _VALUES:
        assert as_text(value, Kind.CENTS, language) == format_amount(value, language), value
        assert as_text(value, Kind.GRAMS, language) == format_kg(value, language), value
        assert as_text(value, Kind.COUNT, language) == format_decimal(value, format="#,##0", locale=locale), value
        assert as_text(value, Kind.DECIMAL1, language) == format_decimal(
            Decimal(value).scaleb(-1), format="#,##0.0", locale=locale
        ), value
        assert as_text(value, Kind.DECIMAL2, language) == format_decimal(
            Decimal(value).scaleb(-2), format="#,##0.00", locale=locale
        ), value
        for bp in (value, value - value % 10):  # rounded by babel, or a whole tenth written directly
            expected = format_decimal(Decimal(bp).scaleb(-2), format="#,##0.0", locale=locale) + "%"
            assert as_text(bp, Kind.PERCENT_BP, language) == expected, bp
