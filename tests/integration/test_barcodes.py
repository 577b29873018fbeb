"""GTIN check digits."""

from __future__ import annotations

import pytest

from orto.barcodes import classify, gtin_check_digit, with_check_digit
from orto.errors import InvalidInput
from orto.models import BarcodeKind


def test_known_codes() -> None:
    assert gtin_check_digit("400638133393") == 1  # EAN-13 4006381333931
    assert classify("4006381333931") is BarcodeKind.EAN13
    assert classify("96385074") is BarcodeKind.EAN8
    assert classify("036000291452") is BarcodeKind.UPCA
    assert classify("CASSA-01") is BarcodeKind.INTERNAL
    assert with_check_digit("800123456789") == "8001234567897"


def test_a_wrong_check_digit_says_which_digit_it_should_be() -> None:
    with pytest.raises(InvalidInput, match="should be 1"):
        classify("4006381333932")


@pytest.mark.parametrize("bad", ["", "has space", "x" * 40])
def test_non_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        classify(bad)
