"""Which VAT rate a line takes: the shelf rate, or the on-site one for food served at the bar."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orto.vat_choice import line_rate


def test_the_rate_rule_case_by_case() -> None:
    assert line_rate(2200, 1000, True, False) == 1000  # served at the bar
    assert line_rate(2200, 1000, True, True) == 2200  # taken away
    assert line_rate(2200, 1000, False, False) == 2200  # the emporio: the shelf
    assert line_rate(1000, None, True, False) == 1000  # no on-site rate
    assert line_rate(1000, 0, True, False) == 1000  # 0 means none, as the catalog stores it


@given(
    shelf=st.sampled_from([0, 400, 500, 1000, 2200]),
    onsite=st.one_of(st.none(), st.sampled_from([0, 400, 500, 1000, 2200])),
    onsite_sale=st.booleans(),
    take_away=st.booleans(),
)
def test_the_rate_is_the_on_site_one_only_when_served_on_site(
    shelf: int, onsite: int | None, onsite_sale: bool, take_away: bool
) -> None:
    rate = line_rate(shelf, onsite, onsite_sale, take_away)
    assert rate in (shelf, onsite)
    if take_away or not onsite_sale or not onsite:
        assert rate == shelf
    else:
        assert rate == onsite
