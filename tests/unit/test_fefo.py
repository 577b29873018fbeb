"""Which lots a sale takes stock from: pos.selling.lots.pick_lot_row and allocate, without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.ledger import NegativeStock
from orto.enums import DateType
from orto.errors import NotAllowed
from pos.selling.lots import LotRow, Want, allocate, pick_lot_row

TODAY = date(2026, 11, 25)
UNTRACKED = (99, 0)


def lot(
    lot_id: int, quantity: int, *, product: int = 1, recall: str | None = None, use_by_days: int | None = None
) -> LotRow:
    expiry = TODAY + timedelta(days=use_by_days) if use_by_days is not None else None
    return LotRow(
        lot_id, f"L{lot_id}", product, expiry, DateType.USE_BY if expiry else None, None, 10 * lot_id, recall, quantity
    )


def take(
    wants: list[Want], levels: dict[int, list[LotRow]], allow_negative: bool = True
) -> tuple[list[tuple[int, int]], list[str]]:
    moves, warnings = allocate(
        wants,
        levels,
        location_id=7,
        today=TODAY,
        allow_negative=allow_negative,
        user_id=3,
        untracked=lambda _p: UNTRACKED,
    )
    assert all(m.location_id == 7 and m.user_id == 3 for m in moves)
    return [(m.lot_id, m.quantity) for m in moves], warnings


def test_the_first_unblocked_lot_with_stock_is_picked() -> None:
    rows = [lot(1, 0), lot(2, 5, recall="vetro"), lot(3, 4)]
    assert pick_lot_row(rows, TODAY) == rows[2]
    assert pick_lot_row([], TODAY) is None
    with pytest.raises(NotAllowed, match="recalled: vetro"):
        pick_lot_row([lot(2, 5, recall="vetro")], TODAY)


def test_first_expired_first_out_across_lots_and_lines() -> None:
    levels = {1: [lot(1, 3), lot(2, 5)]}
    wants = [Want(10, 1, "Latte", 4, None), Want(11, 1, "Latte", 3, None)]
    moves, warnings = take(wants, levels)
    assert moves == [(1, -3), (2, -1), (2, -3)] and warnings == []


def test_the_lot_priced_on_the_line_goes_first_and_blocked_lots_are_skipped() -> None:
    levels = {1: [lot(1, 3, use_by_days=-1), lot(2, 5), lot(3, 5)]}
    moves, _w = take([Want(10, 1, "Latte", 2, preferred_lot_id=3)], levels)
    assert moves == [(3, -2)]


def test_what_is_missing_goes_below_zero_or_is_refused() -> None:
    levels = {1: [lot(1, 2)]}
    moves, warnings = take([Want(10, 1, "Latte", 5, None)], levels)
    assert moves == [(1, -2), (1, -3)] and warnings == ["stock of Latte is below zero: count the shelf"]
    with pytest.raises(NegativeStock, match="not enough Latte here: 3 missing"):
        take([Want(10, 1, "Latte", 5, None)], levels, allow_negative=False)


def test_made_to_order_takes_from_the_untracked_lot_without_a_warning() -> None:
    moves, warnings = take([Want(10, 4, "Caffè", 2, None)], {4: []})
    assert moves == [(UNTRACKED[0], -2)] and warnings == []


def test_a_scanned_lot_is_sold_even_if_the_ledger_has_none_here() -> None:
    pinned = lot(5, 0)
    moves, warnings = take([Want(10, 1, "Latte", 1, 5, pinned=pinned)], {1: [lot(1, 9), pinned]})
    assert moves == [(5, -1)] and len(warnings) == 1


@given(
    stock=st.lists(st.integers(0, 20), min_size=1, max_size=6),
    blocked=st.lists(st.booleans(), min_size=6, max_size=6),
    wanted=st.lists(st.integers(1, 30), min_size=1, max_size=5),
)
def test_every_unit_is_taken_once_never_from_a_blocked_lot(
    stock: list[int], blocked: list[bool], wanted: list[int]
) -> None:
    rows = [lot(i + 1, q, recall="x" if blocked[i] else None) for i, q in enumerate(stock)]
    usable = [r for r in rows if r.recall_reason is None]
    moves, _w = take([Want(100 + i, 1, "Latte", q, None) for i, q in enumerate(wanted)], {1: rows})
    assert -sum(q for _l, q in moves) == sum(wanted)
    assert {lot_id for lot_id, _q in moves} <= {r.id for r in usable} | {UNTRACKED[0]}
    on_hand = {r.id: r.quantity for r in usable}
    taken = {r.id: 0 for r in usable}
    for lot_id, q in moves:
        if lot_id in taken:
            taken[lot_id] -= q
    if sum(wanted) <= sum(on_hand.values()):
        assert all(taken[i] <= on_hand[i] for i in taken)  # nothing below zero while stock is left
    else:
        assert all(taken[i] >= on_hand[i] for i in taken)  # every usable lot used up first
