"""The commit path reads rows and writes with Core: the stock rules must hold (what it hands back
and prints is tested once, as the sale's one document, in test_sale_document.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from inventory.ledger import ledger_sum, lot_on_hand
from orto.db import Database
from orto.errors import NotAllowed
from orto.models import (
    DateType,
    PaymentMethod,
    Recall,
    Site,
    StockLevel,
    StockMovement,
)
from pos import selling
from pos.selling import PaymentInput
from tests import factories
from tests.shop import Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _ledger_matches_levels(db: Database) -> None:
    with db.read() as session:
        for level in session.scalars(select(StockLevel)):
            assert ledger_sum(session, level.location_id, level.lot_id) == level.quantity


def test_fefo_across_lots_skips_blocked_ones_and_two_lines_share_a_lot(db: Database, shop: Shop) -> None:
    with db.write() as session:
        from orto.models import Product

        jam = session.get(Product, shop.jam)
        assert jam is not None
        soon = factories.lot(
            session,
            jam,
            location_id=shop.location,
            quantity=2,
            expiry=shop.today + timedelta(days=30),
            date_type=DateType.BEST_BEFORE,
        )
        recalled = factories.lot(
            session,
            jam,
            location_id=shop.location,
            quantity=5,
            expiry=shop.today + timedelta(days=10),
            date_type=DateType.BEST_BEFORE,
        )
        session.add(Recall(lot_id=recalled.id, reason="vetro"))
        soon_id, recalled_id = soon.id, recalled.id
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=2)
    assert sale.lines[0].lot_code is not None
    first = sale.lines[0].id
    # a second line of the same product (a discounted one does not merge)
    sale = selling.discount_line(db, shop.settings, sale.id, shop.cashier, first, percent_bp=500)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=3)
    assert len(sale.lines) == 2
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
    )
    assert result.warnings == ()
    with db.read() as session:
        assert lot_on_hand(session, soon_id, shop.location) == 0  # first expired first out
        assert lot_on_hand(session, recalled_id, shop.location) == 5  # never sold
        assert lot_on_hand(session, shop.jam_lot, shop.location) == 27
        moves = session.scalars(
            select(StockMovement).where(StockMovement.doc_type == "sale_line").order_by(StockMovement.id)
        ).all()
        assert sum(m.quantity for m in moves) == -5
        assert {m.doc_id for m in moves} == {ln.id for ln in result.sale.lines}
    _ledger_matches_levels(db)


def test_short_stock_goes_negative_with_a_warning_or_is_refused(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=32)
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
    )
    assert any("below zero" in w for w in result.warnings)
    with db.read() as session:
        assert lot_on_hand(session, shop.jam_lot, shop.location) == -2
    with db.write() as session:
        site = session.scalar(select(Site).where(Site.code == "PAL"))
        assert site is not None
        site.allow_negative_stock = False
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM")
    with pytest.raises(NotAllowed, match="refuses negative stock"):
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
        )
    assert selling.get_sale(db, sale.id).status.value == "open"  # nothing written
    _ledger_matches_levels(db)


def test_made_to_order_products_take_from_their_untracked_lot_silently(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "TST", quantity=2)
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents)]
    )
    assert result.warnings == ()
    with db.read() as session:
        move = session.scalar(select(StockMovement).where(StockMovement.doc_id == result.sale.lines[0].id))
        assert move is not None and move.quantity == -2
        assert lot_on_hand(session, move.lot_id, shop.location) == -2
    _ledger_matches_levels(db)


def _jam_lot(db: Database, shop: Shop, code: str, *, location: int, quantity: int, days: int) -> int:
    with db.write() as session:
        from orto.models import Product

        jam = session.get(Product, shop.jam)
        assert jam is not None
        lot = factories.lot(
            session,
            jam,
            code=code,
            location_id=location,
            quantity=quantity,
            expiry=shop.today + timedelta(days=days),
            date_type=DateType.BEST_BEFORE,
        )
        return lot.id


def _sale_moves(db: Database, line_id: int) -> list[tuple[int, int, int]]:
    with db.read() as session:
        return [
            (m.lot_id, m.location_id, m.quantity)
            for m in session.scalars(
                select(StockMovement)
                .where(StockMovement.doc_type == "sale_line", StockMovement.doc_id == line_id)
                .order_by(StockMovement.id)
            )
        ]


def test_scanning_a_lot_code_sells_that_lot_not_the_fefo_one(db: Database, shop: Shop) -> None:
    late = _jam_lot(db, shop, "CAP-261125-017", location=shop.location, quantity=5, days=400)
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "cap-261125-017", quantity=7)  # any case
    line = sale.lines[0]
    assert line.product_id == shop.jam and line.lot_code == "CAP-261125-017" and line.quantity == 7
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
    )
    # that lot first, then first-expired-first-out for what it did not have
    assert _sale_moves(db, result.sale.lines[0].id) == [(late, shop.location, -5), (shop.jam_lot, shop.location, -2)]
    assert result.warnings == ()
    _ledger_matches_levels(db)


def test_a_lot_code_with_nothing_here_still_sells_from_that_lot(db: Database, shop: Shop) -> None:
    away = _jam_lot(db, shop, "PAL-261120-003", location=shop.bar_location, quantity=3, days=200)
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "PAL-261120-003")
    assert sale.lines[0].lot_code == "PAL-261120-003"
    result = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
    )
    assert _sale_moves(db, result.sale.lines[0].id) == [(away, shop.location, -1)]
    assert any("below zero" in w for w in result.warnings)
    with db.read() as session:
        assert lot_on_hand(session, away, shop.location) == -1
        assert lot_on_hand(session, away, shop.bar_location) == 3
        assert lot_on_hand(session, shop.jam_lot, shop.location) == 30
    _ledger_matches_levels(db)


def test_a_recalled_lot_code_is_refused_and_codes_of_products_win(db: Database, shop: Shop) -> None:
    bad = _jam_lot(db, shop, "CAP-261101-001", location=shop.location, quantity=4, days=100)
    _jam_lot(db, shop, "H2O-LOT", location=shop.location, quantity=4, days=100)
    with db.write() as session:
        session.add(Recall(lot_id=bad, reason="vetro nel vasetto"))
        from orto.models import Lot

        lot = session.scalar(select(Lot).where(Lot.code == "H2O-LOT"))
        assert lot is not None
        lot.code = "H2O"  # a lot whose code is also a product's code
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    with pytest.raises(NotAllowed, match="recalled: vetro nel vasetto"):
        selling.add_item(db, sale.id, shop.cashier, "CAP-261101-001")
    sale = selling.add_item(db, sale.id, shop.cashier, "H2O")
    assert [ln.product_id for ln in sale.lines] == [shop.water]


def test_what_changes_between_the_figuring_and_the_write_lock_is_seen(
    db: Database, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit figures the sale before it takes the write lock; another till's change in between
    (a line added, a lot recalled) is caught under the lock, never charged at the old figures."""
    from pos.selling import checkout

    real = checkout._prepare
    meanwhile: list[object] = []

    def then(change: object) -> None:
        def prepare(*args: object, **kwargs: object) -> object:
            ready = real(*args, **kwargs)  # type: ignore[arg-type]
            meanwhile.append(change() if callable(change) else change)
            return ready

        monkeypatch.setattr(checkout, "_prepare", prepare)

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM")
    then(lambda: selling.add_item(db, sale.id, shop.cashier, "H2O"))
    result = selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 10_000)])
    assert [line.product_code for line in result.sale.lines] == ["JAM", "H2O"]
    assert result.sale.total_cents == sum(line.total_cents for line in result.sale.lines) > sale.total_cents
    assert result.change_cents == 10_000 - result.sale.total_cents

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM")

    def recall() -> None:
        with db.write() as session:
            session.add(Recall(lot_id=shop.jam_lot, reason="vetro"))

    then(recall)
    with pytest.raises(NotAllowed):
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, sale.total_cents)]
        )
    assert len(meanwhile) == 2
    assert selling.get_sale(db, sale.id).status.value == "open"
