"""Scorporo, the VAT breakdown and spreading an amount: orto.money, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orto.money import scorporo, spread, vat_breakdown

RATES = st.sampled_from([0, 400, 500, 1000, 2200])


def test_scorporo_of_known_amounts() -> None:
    assert (scorporo(1100, 1000).taxable_cents, scorporo(1100, 1000).tax_cents) == (1000, 100)
    assert (scorporo(100, 2200).taxable_cents, scorporo(100, 2200).tax_cents) == (82, 18)
    assert scorporo(0, 2200).tax_cents == 0


@given(gross=st.integers(-10_000_000, 10_000_000), rate=RATES)
def test_scorporo_sums_to_the_gross_and_is_the_nearest_cent(gross: int, rate: int) -> None:
    share = scorporo(gross, rate)
    assert share.taxable_cents + share.tax_cents == gross
    # taxable is gross / (1 + rate) to the nearest cent: within half a cent of the exact quotient
    assert abs(share.taxable_cents * (10_000 + rate) - gross * 10_000) * 2 <= 10_000 + rate


@given(lines=st.lists(st.tuples(RATES, st.integers(0, 1_000_000)), max_size=30))
def test_the_breakdown_is_scorporo_on_each_rates_total(lines: list[tuple[int, int]]) -> None:
    shares = vat_breakdown(lines)
    assert [s.rate_bp for s in shares] == sorted({rate for rate, _g in lines})
    for share in shares:
        assert share == scorporo(sum(g for r, g in lines if r == share.rate_bp), share.rate_bp)


def test_spread_gives_the_remainder_to_the_largest_fractions() -> None:
    assert spread(100, [1, 1, 1]) == [34, 33, 33]
    assert spread(10, [300, 100]) == [8, 2]  # 7.5 and 2.5: the tie goes to the earlier part
    assert spread(0, [5, 5]) == [0, 0]
    assert spread(7, [0, 0]) == [0, 0]
    assert spread(7, []) == []


@given(amount=st.integers(0, 1_000_000), weights=st.lists(st.integers(0, 1_000_000), min_size=1, max_size=20))
def test_spread_parts_sum_exactly_and_stay_within_a_cent_of_their_share(amount: int, weights: list[int]) -> None:
    parts = spread(amount, weights)
    total = sum(weights)
    assert len(parts) == len(weights)
    if total == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == amount
    for part, weight in zip(parts, weights, strict=True):
        exact_floor = amount * weight // total
        assert exact_floor <= part <= exact_floor + 1
        if weight == 0:
            assert part == 0


def test_tenths_are_written_with_one_decimal_and_a_comma() -> None:
    from orto.money import format_tenths

    assert [format_tenths(v) for v in (35, -180, -5, 0, 40, -195)] == ["3,5", "-18,0", "-0,5", "0,0", "4,0", "-19,5"]


@given(st.integers(-10_000, 10_000))
def test_tenths_read_back_as_the_same_number(tenths: int) -> None:
    from decimal import Decimal

    from orto.money import format_tenths

    assert Decimal(format_tenths(tenths).replace(",", ".")) * 10 == tenths
