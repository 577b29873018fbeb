"""Near-expiry markdowns: pos.selling.pricing.markdown_of, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from orto.enums import DateType
from pos.selling.pricing import PAST_BEST_BEFORE_BP, Markdown, MarkdownTerms, markdown_of

TODAY = date(2026, 11, 25)
DAIRY, BREAD = 1, 2
RULES = {DAIRY: MarkdownTerms(DAIRY, 2, 3000), None: MarkdownTerms(None, 1, 2000)}


class Lot(NamedTuple):
    expiry: date | None
    date_type: DateType | None = DateType.BEST_BEFORE


def in_days(n: int) -> Lot:
    return Lot(TODAY + timedelta(days=n))


def test_the_category_rule_beats_the_rule_for_every_category() -> None:
    assert markdown_of(DAIRY, in_days(2), TODAY, RULES) == Markdown(3000, past_date=False)
    assert markdown_of(DAIRY, in_days(3), TODAY, RULES) is None
    assert markdown_of(BREAD, in_days(2), TODAY, RULES) is None
    assert markdown_of(BREAD, in_days(1), TODAY, RULES) == Markdown(2000, past_date=False)
    assert markdown_of(None, in_days(0), TODAY, RULES) == Markdown(2000, past_date=False)


def test_past_best_before_is_always_marked_down_even_without_rules() -> None:
    assert markdown_of(DAIRY, in_days(-1), TODAY, RULES) == Markdown(3000, past_date=True)
    assert markdown_of(BREAD, in_days(-5), TODAY, {}) == Markdown(PAST_BEST_BEFORE_BP, past_date=True)


def test_no_lot_no_date_or_use_by_is_never_marked_down() -> None:
    assert markdown_of(DAIRY, None, TODAY, RULES) is None
    assert markdown_of(DAIRY, Lot(None), TODAY, RULES) is None
    assert markdown_of(DAIRY, Lot(TODAY, DateType.USE_BY), TODAY, RULES) is None
    assert markdown_of(DAIRY, Lot(TODAY, None), TODAY, RULES) is None


@given(days_left=st.integers(-60, 60), window=st.integers(0, 30), percent=st.integers(1, 10_000))
def test_a_markdown_applies_inside_the_window_and_after_the_date(days_left: int, window: int, percent: int) -> None:
    rules = {None: MarkdownTerms(None, window, percent)}
    got = markdown_of(BREAD, in_days(days_left), TODAY, rules)
    if days_left < 0:
        assert got == Markdown(percent, past_date=True)
    elif days_left <= window:
        assert got == Markdown(percent, past_date=False)
    else:
        assert got is None
