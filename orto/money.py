"""Money in integer cents, quantities in integer base units, VAT rates in basis points.

Nothing here touches a float: parsing goes through ``Decimal`` from the typed text and
formatting through babel with a ``Decimal`` built from the integer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal

from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.locales import babel_locale

VAT_RATES_BP = (400, 500, 1000, 2200)
_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,' ]*$|^[+-]?[.,][0-9]+$")


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding halves away from zero (the commercial rule)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if numerator < 0:
        return -div_round_half_up(-numerator, denominator)
    return (2 * numerator + denominator) // (2 * denominator)


def _to_decimal(text: str, what: str) -> Decimal:
    """Accept '1,20', '1.20', '1.234,56', '1,234.56', '1234'; refuse anything ambiguous."""
    raw = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not raw or not _NUMBER.match(raw):
        raise InvalidInput(_("{what} {text!r} is not a number").format(what=what, text=text))
    if "," in raw and "." in raw:
        # the separator that comes last is the decimal one
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        if raw.count(",") > 1:
            raise InvalidInput(_("{what} {text!r} has more than one decimal comma").format(what=what, text=text))
        raw = raw.replace(",", ".")
    elif raw.count(".") > 1:
        # '1.234.567' is Italian thousands grouping
        if all(len(part) == 3 for part in raw.lstrip("+-").split(".")[1:]):
            raw = raw.replace(".", "")
        else:
            raise InvalidInput(_("{what} {text!r} has more than one decimal point").format(what=what, text=text))
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInput(_("{what} {text!r} is not a number").format(what=what, text=text)) from exc


def _scaled(text: str, places: int, what: str) -> int:
    value = _to_decimal(text, what)
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(
            _("{what} {text!r} has more than {places} decimals").format(what=what, text=text, places=places)
        )
    return int(scaled)


def parse_money(text: str, *, allow_negative: bool = False) -> int:
    """'1,20' or '1.20' or '1.234,56 €' -> cents."""
    cents = _scaled(text, 2, _("amount"))
    if cents < 0 and not allow_negative:
        raise InvalidInput(_("amount {text!r} is negative").format(text=text))
    return cents


def parse_kg_to_grams(text: str) -> int:
    """'1,250' (kg) -> 1250 g."""
    grams = _scaled(text, 3, _("weight"))
    if grams <= 0:
        raise InvalidInput(_("weight {text!r} must be more than zero").format(text=text))
    return grams


def parse_percent_bp(text: str) -> int:
    """'10' or '12,5' (%) -> basis points."""
    bp = _scaled(text.replace("%", ""), 2, _("percentage"))
    if not 0 <= bp <= 10_000:
        raise InvalidInput(_("percentage {text!r} must be between 0 and 100").format(text=text))
    return bp


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _locale(language: str | None) -> str:
    """The babel locale of ``language``, by default the interface's (numbers follow the language)."""
    if language is None:
        from orto.i18n import current_language

        language = current_language()
    return babel_locale(language)


def format_money(cents: int, language: str | None = None) -> str:
    """120 -> '1,20 €' (it) or '€1.20' (en)."""
    return format_currency(cents_to_decimal(cents), "EUR", locale=_locale(language))


def format_amount(cents: int, language: str | None = None) -> str:
    """120 -> '1,20' with grouping: for columns where the € is in the header."""
    return format_decimal(cents_to_decimal(cents), format="#,##0.00", locale=_locale(language))


def format_kg(grams: int, language: str | None = None) -> str:
    """1250 -> '1,250' (kilograms, three decimals)."""
    return format_decimal(Decimal(grams).scaleb(-3), format="#,##0.000", locale=_locale(language))


def format_quantity(quantity: int, unit: str, language: str | None = None) -> str:
    """A stock quantity in its unit: 1250 g -> '1,250 kg', 500 ml -> '0,500 l', 3 -> '3 pz'."""
    if unit == "pz":
        return f"{format_decimal(quantity, format='#,##0', locale=_locale(language))} pz"
    return f"{format_kg(quantity, language)} {unit}"


def format_tenths(tenths: int) -> str:
    """A value kept in tenths (a temperature in tenths of °C) with one decimal and a comma, as the
    HACCP register writes it in either language: 35 -> '3,5', -180 -> '-18,0', -5 -> '-0,5'.
    Integer arithmetic only: no float on the way."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole},{tenth}"


def format_percent_bp(bp: int, language: str | None = None) -> str:
    """1000 -> '10%', 1250 -> '12,5%'."""
    return format_decimal(Decimal(bp).scaleb(-2), format="#,##0.##", locale=_locale(language)) + "%"


def percent_of(cents: int, bp: int) -> int:
    """bp basis points of an amount, rounded half-up to the cent."""
    return div_round_half_up(cents * bp, 10_000)


def price_for_quantity(unit_price_cents: int, quantity: int, weighed: bool) -> int:
    """Line amount: per piece, or per kg for a quantity in grams (rounded half-up)."""
    if weighed:
        return div_round_half_up(unit_price_cents * quantity, 1000)
    return unit_price_cents * quantity


def spread(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` in proportion to ``weights`` so the parts sum exactly (largest remainder):
    a sale's discount over its lines, so every line's VAT is figured on what it really costs.

    Nothing to spread (no weight, or zero) gives zeros; ties of remainder go to the earlier part.
    """
    total = sum(weights)
    if total <= 0 or amount == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (amount * weights[i]) % total, reverse=True)
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class VatShare:
    rate_bp: int
    gross_cents: int
    taxable_cents: int
    tax_cents: int


def scorporo(gross_cents: int, rate_bp: int) -> VatShare:
    """Split a VAT-inclusive amount into taxable + tax; the two always sum to the gross."""
    taxable = div_round_half_up(gross_cents * 10_000, 10_000 + rate_bp)
    return VatShare(rate_bp, gross_cents, taxable, gross_cents - taxable)


def vat_breakdown(lines: Iterable[tuple[int, int]]) -> list[VatShare]:
    """(rate_bp, gross_cents) pairs -> one share per rate, scorporo on each rate's total."""
    totals: dict[int, int] = {}
    for rate, gross in lines:
        totals[rate] = totals.get(rate, 0) + gross
    return [scorporo(totals[rate], rate) for rate in sorted(totals)]
