"""The domain's limits and the checks every service makes at its boundary.

A till, a kitchen and a bar of a small cooperative never sell a line of more than a tonne, price
anything above €100,000 or keep a lot for ten years: a value past these limits is a typing or
scanning mistake (a barcode read into the quantity field), or someone trying the boundary. The
checks refuse it with an ``InvalidInput`` that names the field and the limit, before anything is
written; they never round, clamp or cut. docs/security.md ("Limits and types") lists them.

Only ``int`` passes as a number (an integral ``Decimal`` is taken as its int): ``bool``,
``float`` (so ``inf`` and ``NaN``), strings and a ``Decimal`` with a fraction are refused, so
no REAL ever reaches an integer column.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from orto.errors import InvalidInput
from orto.i18n import gettext as _

# money, in cents
MAX_PRICE_CENTS = 10_000_000  # €100,000: a price, a cost, an override, a discount in cents
MAX_SALE_CENTS = 10_000_000  # €100,000: a sale's total, a payment, a refund, a cash movement
# quantities, in base units (g, ml, pieces)
MAX_LINE_GRAMS = 1_000_000  # 1,000 kg or 1,000 l on one sale line
MAX_LINE_PIECES = 10_000  # pieces on one sale line
MAX_STOCK_GRAMS = 10_000_000  # 10 t (or 10,000 l) in one delivery line, transfer, count, batch
MAX_CASH_PIECES = 100_000  # coins or notes of one denomination in a count
# other measures
MAX_SHELF_LIFE_DAYS = 3_650  # ten years
MAX_DISTANCE_KM = 20_037  # half the Earth's circumference: no farm is farther
MAX_PERCENT_BP = 10_000  # 100 %
MAX_SPLIT_PARTS = 100  # a tab split among at most 100 people
MAX_TEXT = 4_000  # a free-text column without a declared length (notes, ingredients)
MAX_INT = 2**31 - 1  # PostgreSQL's INTEGER


def integer(value: Any, field: str) -> int:
    """An int (an integral Decimal becomes one); bool, float, str, a fractional Decimal refused."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("{field}: {value!r} is not a whole number").format(field=field, value=_shown(value)))
    return value


def whole(value: Any, field: str, *, minimum: int = 0, maximum: int = MAX_INT, unit: str = "") -> int:
    """An integer within [minimum, maximum]; anything else is refused, naming the field."""
    value = integer(value, field)
    if value > maximum:
        raise InvalidInput(
            _("{field}: {value} is above the limit of {limit}").format(
                field=field, value=value, limit=_with_unit(maximum, unit)
            )
        )
    if value < minimum:
        raise InvalidInput(
            _("{field}: {value} is below the minimum of {limit}").format(
                field=field, value=value, limit=_with_unit(minimum, unit)
            )
        )
    return value


def cents(value: Any, field: str, *, maximum: int = MAX_PRICE_CENTS, minimum: int = 0) -> int:
    """An amount in cents (a float, even 3.0, is refused: money is never a float here)."""
    return whole(value, field, minimum=minimum, maximum=maximum, unit=_("cents"))


def quantity(value: Any, field: str, *, by_weight: bool, stock: bool = False, minimum: int = 1) -> int:
    """A quantity in base units: grams or millilitres when ``by_weight``, else pieces."""
    if by_weight:
        limit, unit = (MAX_STOCK_GRAMS, _("g/ml")) if stock else (MAX_LINE_GRAMS, _("g/ml"))
    else:
        limit, unit = (MAX_STOCK_GRAMS, _("pieces")) if stock else (MAX_LINE_PIECES, _("pieces"))
    return whole(value, field, minimum=minimum, maximum=limit, unit=unit)


def stock_quantity(value: Any, field: str, *, minimum: int = 1) -> int:
    """A quantity moved in stock (delivered, returned, wasted, transferred, counted, made) in base
    units, checked before the product is read: at most 10 t, 10,000 l or 10 million pieces."""
    return whole(value, field, minimum=minimum, maximum=MAX_STOCK_GRAMS, unit=_("g/ml/pieces"))


def text(value: Any, field: str, max_len: int | None = None, *, required: bool = False, lines: bool = False) -> str:
    """Text without NUL or control characters (newlines only where ``lines``), not longer than its
    column: refused, never cut."""
    if not isinstance(value, str):
        raise InvalidInput(_("{field}: {value!r} is not text").format(field=field, value=_shown(value)))
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in ("Cc", "Cs") and not (lines and char in "\n\t"):
            raise InvalidInput(
                _("{field}: control character {code} at position {position}").format(
                    field=field, code=f"U+{ord(char):04X}", position=position
                )
            )
    limit = max_len if max_len is not None else MAX_TEXT
    if len(value) > limit:
        raise InvalidInput(
            _("{field}: {n} characters, more than the {limit} it may hold").format(
                field=field, n=len(value), limit=limit
            )
        )
    if required and not value.strip():
        raise InvalidInput(_("{field}: may not be empty").format(field=field))
    return value


def optional_text(value: Any, field: str, max_len: int | None = None, *, lines: bool = False) -> str | None:
    return None if value is None else text(value, field, max_len, lines=lines)


def column_length(column: Any) -> int | None:
    """The declared length of a mapped column (``Product.name`` → 120), None for TEXT."""
    length = getattr(getattr(column, "type", None), "length", None)
    return length if isinstance(length, int) else None


def _with_unit(value: int, unit: str) -> str:
    return f"{value:,} {unit}".strip() if unit else f"{value:,}"


def _shown(value: Any) -> Any:
    """A refused value as it may be repeated in a message (a long string is not echoed whole)."""
    if isinstance(value, str) and len(value) > 40:
        return value[:40] + "…"
    if isinstance(value, bytes) and len(value) > 40:
        return value[:40] + b"..."
    return value
