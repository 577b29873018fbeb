"""GTIN check digits (EAN-13, EAN-8, UPC-A) and what kind of code a string is."""

from __future__ import annotations

from orto.enums import BarcodeKind
from orto.errors import InvalidInput
from orto.i18n import gettext as _


def gtin_check_digit(body: str) -> int:
    """The check digit for the digits before it (GS1: weights 3,1,3,… from the right)."""
    if body.isascii() and body.isdigit():
        # summed as bytes by slices (a catalog import checks 20,000 of them): b"0" is 48
        data = body.encode()[::-1]
        odd, even = data[0::2], data[1::2]
        total = 3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)
        return (10 - total % 10) % 10
    backwards = body[::-1]  # other digits int() reads (and raises on what it cannot)
    total = 3 * sum(map(int, backwards[0::2])) + sum(map(int, backwards[1::2]))
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    return code.isdigit() and len(code) >= 2 and gtin_check_digit(code[:-1]) == int(code[-1])


_GTIN_KINDS = {13: BarcodeKind.EAN13, 8: BarcodeKind.EAN8, 12: BarcodeKind.UPCA}


def classify(code: str) -> BarcodeKind:
    """EAN-13, EAN-8 or UPC-A by length (check digit verified); anything else is internal.

    Raises InvalidInput for a GTIN-length number whose check digit is wrong, naming it.
    """
    code = code.strip()
    kinds = _GTIN_KINDS
    if code.isdigit() and len(code) in kinds:
        if gtin_check_digit(code[:-1]) != int(code[-1]):  # has_valid_check_digit, known digits
            expected = gtin_check_digit(code[:-1])
            raise InvalidInput(
                _("barcode {code}: check digit is {digit}, should be {expected} ({kind})").format(
                    code=code, digit=code[-1], expected=expected, kind=kinds[len(code)].value
                )
            )
        return kinds[len(code)]
    if not code or len(code) > 32 or not code.isprintable() or " " in code:
        raise InvalidInput(_("barcode {code!r} is not a barcode (1-32 characters, no spaces)").format(code=code))
    return BarcodeKind.INTERNAL


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))
