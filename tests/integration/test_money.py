"""Money and quantities: integer cents, Italian input and output, exact VAT scorporo."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orto.errors import InvalidInput
from orto.money import (
    VAT_RATES_BP,
    div_round_half_up,
    format_amount,
    format_kg,
    format_money,
    format_percent_bp,
    format_quantity,
    parse_kg_to_grams,
    parse_money,
    price_for_quantity,
    scorporo,
    vat_breakdown,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1,20", 120),
        ("1.20", 120),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("12", 1200),
        ("0,05", 5),
        ("3,5", 350),
        ("1.234.567", 123456700),
        ("2,00 €", 200),
        (" 7 ", 700),
    ],
)
def test_amounts_typed_the_italian_or_the_english_way(text: str, cents: int) -> None:
    assert parse_money(text) == cents


# "1,234" reads as 1.234 €, which has more than two decimals
@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", "1,234", "-1", "0,001"])
def test_malformed_amounts_are_refused_with_the_text(text: str) -> None:
    with pytest.raises(InvalidInput, match="amount"):
        parse_money(text)


def test_money_prints_in_the_format_of_the_language() -> None:
    assert format_money(120, "it") == "1,20\xa0€"
    assert format_money(123456, "it") == "1.234,56\xa0€"
    assert format_money(120, "en") == "€1.20"
    assert format_kg(1250, "it") == "1,250"


def test_without_a_language_numbers_follow_the_interface() -> None:
    from orto.i18n import set_language

    try:
        set_language("it")
        assert (format_amount(123456), format_kg(1250), format_percent_bp(1250)) == ("1.234,56", "1,250", "12,5%")
        set_language("en")
        assert (format_amount(123456), format_kg(1250), format_percent_bp(1250)) == ("1,234.56", "1.250", "12.5%")
        assert format_quantity(1250, "kg") == "1.250 kg"
    finally:
        set_language("en")


def test_weights_are_grams() -> None:
    assert parse_kg_to_grams("1,250") == 1250
    assert parse_kg_to_grams("0.3") == 300
    with pytest.raises(InvalidInput):
        parse_kg_to_grams("0,0005")


def test_weighed_price_rounds_half_up_to_the_cent() -> None:
    assert price_for_quantity(350, 1250, weighed=True) == 438  # 4.375 -> 4.38
    assert price_for_quantity(199, 3, weighed=False) == 597
    assert div_round_half_up(-5, 10) == -1


def test_scorporo_of_a_known_amount() -> None:
    share = scorporo(1100, 1000)
    assert (share.taxable_cents, share.tax_cents) == (1000, 100)
    share = scorporo(100, 2200)  # 0.8196... -> 0.82 taxable, 0.18 tax
    assert (share.taxable_cents, share.tax_cents) == (82, 18)


@given(st.lists(st.tuples(st.sampled_from(VAT_RATES_BP), st.integers(0, 500_000)), max_size=30))
def test_the_vat_breakdown_always_sums_to_the_total(lines: list[tuple[int, int]]) -> None:
    breakdown = vat_breakdown(lines)
    assert sum(s.taxable_cents + s.tax_cents for s in breakdown) == sum(g for _r, g in lines)
    assert len({s.rate_bp for s in breakdown}) == len(breakdown)
    for share in breakdown:
        # the tax is the rate applied to the taxable amount, within half a cent of rounding
        assert abs(share.tax_cents * 10_000 - share.taxable_cents * share.rate_bp) <= 10_000 + share.rate_bp
