"""When a lot may not be sold or used: inventory.lot_blocks.why_blocked, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from inventory.lot_blocks import why_blocked
from orto.enums import DateType

TODAY = date(2026, 11, 25)


class Lot(NamedTuple):
    code: str = "PAL-261120-001"
    expiry: date | None = None
    date_type: DateType | None = None
    hold_reason: str | None = None


def test_a_plain_lot_may_be_sold() -> None:
    assert why_blocked(Lot(), TODAY, None) is None


def test_a_recall_names_its_reason_before_a_hold_or_a_date() -> None:
    lot = Lot(expiry=TODAY - timedelta(days=3), date_type=DateType.USE_BY, hold_reason="analisi")
    assert why_blocked(lot, TODAY, "vetro") == "lot PAL-261120-001 is recalled: vetro"
    assert why_blocked(lot, TODAY, None) == "lot PAL-261120-001 is on hold: analisi"


def test_use_by_blocks_from_the_day_after_and_best_before_never() -> None:
    assert why_blocked(Lot(expiry=TODAY, date_type=DateType.USE_BY), TODAY, None) is None
    reason = why_blocked(Lot(expiry=TODAY - timedelta(days=1), date_type=DateType.USE_BY), TODAY, None)
    assert reason is not None and "past its use-by date (24/11/2026)" in reason
    assert why_blocked(Lot(expiry=TODAY - timedelta(days=30), date_type=DateType.BEST_BEFORE), TODAY, None) is None


@given(
    offset=st.one_of(st.none(), st.integers(-400, 400)),
    date_type=st.sampled_from([None, DateType.USE_BY, DateType.BEST_BEFORE]),
    hold=st.sampled_from([None, "", "analisi"]),
    recall=st.sampled_from([None, "vetro"]),
)
def test_blocked_exactly_when_recalled_held_or_past_use_by(
    offset: int | None, date_type: DateType | None, hold: str | None, recall: str | None
) -> None:
    expiry = None if offset is None else TODAY + timedelta(days=offset)
    reason = why_blocked(Lot(expiry=expiry, date_type=date_type, hold_reason=hold), TODAY, recall)
    past_use_by = date_type is DateType.USE_BY and expiry is not None and expiry < TODAY
    assert (reason is not None) == bool(recall or hold or past_use_by)
    if reason is not None:
        assert "PAL-261120-001" in reason
