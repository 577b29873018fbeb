"""A lost or stolen gift card blocked (and a found one unblocked) by a manager: the card stops
paying and being topped up, keeps its balance, and the log says who, why and with whose PIN."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orto.access import ApprovalRequired
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.models import AuditEntry, GiftCard, PaymentMethod
from pos import selling
from pos.selling import PaymentInput
from pos.selling import gift_cards as cards
from tests.shop import MANAGER_PIN, Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def _sold_card(db: Database, shop: Shop, amount: int = 3000) -> str:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    code = cards.sell_card(db, shop.settings, sale.id, shop.cashier, amount).gift_cards[0].code
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, amount)])
    return code


def _balance(db: Database, code: str) -> tuple[int, bool]:
    with db.read() as session:
        card = session.scalar(select(GiftCard).where(GiftCard.code == code))
        assert card is not None
        return card.balance_cents, card.active


def _block_entries(db: Database) -> list[tuple[str, int | None, int | None, dict[str, object]]]:
    with db.read() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_id, AuditEntry.approver_id, AuditEntry.details)
            .where(AuditEntry.entity == "gift_card")
            .order_by(AuditEntry.id)
        ).all()
        return [(a, u, p, d or {}) for a, u, p, d in rows]


def test_a_blocked_card_keeps_its_balance_and_can_neither_pay_nor_be_topped_up(db: Database, shop: Shop) -> None:
    code = _sold_card(db, shop)
    done = cards.set_blocked(db, shop.manager, cards.grouped(code), blocked=True, reason="lost on the tram")
    assert (done.active, done.balance_cents) == (False, 3000)
    assert _balance(db, code) == (3000, False)

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM")
    with pytest.raises(NotAllowed, match="blocked"):
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.GIFT_CARD, 490, reference=code)]
        )
    with pytest.raises(NotAllowed, match="blocked"):
        cards.top_up_card(db, shop.settings, sale.id, shop.cashier, code, 1000)
    assert _balance(db, code) == (3000, False)  # nothing taken, nothing added

    found = cards.balance(db, code)
    assert not found.active and found.blocked_because == "lost on the tram"
    assert "Blocked because: lost on the tram" in cards.balance_lines(found)

    cards.set_blocked(db, shop.manager, code, blocked=False, reason="found by the customer")
    paid = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.GIFT_CARD, 490, reference=code)]
    )
    assert paid.sale.total_cents == 490 and _balance(db, code) == (2510, True)
    assert cards.balance(db, code).blocked_because is None

    entries = _block_entries(db)
    assert [(a, u, p) for a, u, p, _d in entries] == [
        ("gift_card_blocked", shop.manager.id, shop.manager.id),
        ("gift_card_unblocked", shop.manager.id, shop.manager.id),
    ]
    assert entries[0][3]["reason"] == "lost on the tram" and code not in str(entries[0][3])  # the code masked


def test_a_cashier_blocks_only_with_a_managers_pin(db: Database, shop: Shop) -> None:
    code = _sold_card(db, shop)
    with pytest.raises(ApprovalRequired):
        cards.set_blocked(db, shop.cashier, code, blocked=True, reason="stolen")
    with pytest.raises(NotAllowed):
        cards.set_blocked(db, shop.cashier, code, blocked=True, reason="stolen", approver_pin="0000")
    assert _balance(db, code) == (3000, True)
    cards.set_blocked(db, shop.cashier, code, blocked=True, reason="stolen", approver_pin=MANAGER_PIN)
    assert _balance(db, code) == (3000, False)
    assert [(a, u, p) for a, u, p, _d in _block_entries(db)] == [
        ("gift_card_blocked", shop.cashier.id, shop.manager.id)
    ]


def test_refusals_name_what_is_wrong_and_change_nothing(db: Database, shop: Shop) -> None:
    code = _sold_card(db, shop)
    with pytest.raises(InvalidInput, match="reason"):
        cards.set_blocked(db, shop.manager, code, blocked=True, reason="  ")
    with pytest.raises(NotAllowed, match="not blocked"):
        cards.set_blocked(db, shop.manager, code, blocked=False, reason="found")
    cards.set_blocked(db, shop.manager, code, blocked=True, reason="lost")
    with pytest.raises(NotAllowed, match="already blocked"):
        cards.set_blocked(db, shop.manager, code, blocked=True, reason="lost again")
    with pytest.raises(NotFound, match="no gift card"):
        cards.set_blocked(db, shop.manager, "GC000000000000", blocked=True, reason="lost")
    assert [a for a, *_rest in _block_entries(db)] == ["gift_card_blocked"]


def test_orto_giftcard_block_asks_who_is_acting(
    db: Database, shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pos.cli.app import main_group

    code = _sold_card(db, shop, 2000)
    base = ["--db", db.url, "--lang", "en", "giftcard"]
    monkeypatch.setenv("ORTO_USER", "Marco")  # a cashier, no manager's PIN from the CLI
    monkeypatch.setenv("ORTO_PIN", "1234")
    status = main_group([*base, "block", cards.grouped(code), "--reason", "stolen"])
    out, err = capsys.readouterr()
    assert status != 0 and "Traceback" not in out + err and _balance(db, code) == (2000, True)

    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    status = main_group([*base, "block", cards.grouped(code), "--reason", "stolen"])
    out, _err = capsys.readouterr()
    assert status == 0 and f"Gift card {cards.grouped(code)} blocked, €20.00 kept on it" in out
    assert _balance(db, code) == (2000, False)
    status = main_group([*base, "balance", code])
    out, _err = capsys.readouterr()
    assert "State: blocked" in out and "Blocked because: stolen" in out
    status = main_group([*base, "unblock", code, "--reason", "found"])
    out, _err = capsys.readouterr()
    assert status == 0 and "unblocked" in out and _balance(db, code) == (2000, True)
