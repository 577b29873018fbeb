"""Who may do what, below the screens: forged identities, a cashier's calls, PIN guesses,
the growing lockout, and people managed by managers (docs/security.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inventory import recalls
from orto.access import ApprovalRequired, Locked
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import AuditEntry, Lot, Recall, Role, Sale, SaleLine, SaleStatus, User
from orto.policy import Operator
from orto.security import check_new_pin
from pos import selling
from pos.cli.app import main_group
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop


def _audits(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _user(db: Database, user_id: int) -> User:
    with db.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user


def _sale_with_jam(db: Database, shop: Shop) -> selling.SaleView:
    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    return selling.add_item(db, sale.id, shop.cashier, "JAM")


def test_an_operator_not_from_a_pin_check_is_refused(db: Database, shop: Shop) -> None:
    # a manager's id is no identity: neither a bare Operator nor a cashier's seal on it works
    forged = Operator(shop.manager.id, "Giulia", Role.MANAGER)
    stolen_seal = replace(shop.cashier, id=shop.manager.id, role=Role.MANAGER)
    for who in (forged, stolen_seal):
        with pytest.raises(NotAllowed, match="log in with your PIN"):
            selling.add_user(db, who, "Intruso", Role.MANAGER, "4826")
    with pytest.raises(NotAllowed, match="log in with your PIN"):
        selling.open_shift(db, shop.counter, shop.manager.id, {})  # type: ignore[arg-type]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 2


def test_a_cashiers_calls_are_refused_by_the_services(db: Database, shop: Shop) -> None:
    with pytest.raises(NotAllowed, match="cashier may not do this \\(users\\)"):
        selling.add_user(db, shop.cashier, "Capo", Role.MANAGER, "4826")
    with db.read() as session:
        code = session.get(Lot, shop.jam_lot).code  # type: ignore[union-attr]
    with pytest.raises(NotAllowed, match="recall"):
        recalls.open_recall(db, code, reason="prova", actor=shop.cashier)
    sale = _sale_with_jam(db, shop)
    with pytest.raises(ApprovalRequired):
        selling.override_price(db, sale.id, shop.cashier, sale.lines[0].id, 1)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 2
        assert session.scalar(select(func.count()).select_from(Recall)) == 0
        line = session.get(SaleLine, sale.lines[0].id)
        assert line is not None and line.unit_price_cents == 490


def test_a_wrong_approval_pin_is_audited_and_counted_though_the_action_rolls_back(db: Database, shop: Shop) -> None:
    sale = _sale_with_jam(db, shop)
    for guess in ("1111", "2222", "3333", "4444"):
        with pytest.raises(ApprovalRequired, match="not a manager"):
            selling.override_price(db, sale.id, shop.cashier, sale.lines[0].id, 1, approver_pin=guess)
    refused = _audits(db, "approval_refused")
    assert [e.user_id for e in refused] == [shop.cashier.id] * 4
    assert refused[-1].details == {"action": "price_override", "failed_attempts": 4, "locked": False}
    assert _user(db, shop.cashier.id).failed_attempts == 4
    # the fifth locks the cashier out: no more guesses, no more selling until the minute is over
    with pytest.raises(ApprovalRequired):
        selling.override_price(db, sale.id, shop.cashier, sale.lines[0].id, 1, approver_pin="5555")
    with pytest.raises(Locked, match="locked until"):
        selling.override_price(db, sale.id, shop.cashier, sale.lines[0].id, 1, approver_pin=MANAGER_PIN)
    with pytest.raises(Locked):
        selling.add_item(db, sale.id, shop.cashier, "JAM")
    with db.read() as session:
        line = session.get(SaleLine, sale.lines[0].id)
        assert line is not None and line.unit_price_cents == 490 and not line.price_overridden
    # the right PIN approves once the lock is over
    _expire_lock(db, shop.cashier.id)
    view = selling.override_price(db, sale.id, shop.cashier, sale.lines[0].id, 1, approver_pin=MANAGER_PIN)
    assert view.lines[0].unit_price_cents == 1


def _expire_lock(db: Database, user_id: int) -> None:
    with db.write() as session:
        user = session.get(User, user_id)
        assert user is not None and user.locked_until is not None
        user.locked_until -= timedelta(hours=1)


def test_the_lockout_grows_and_only_a_login_or_a_manager_resets_it(db: Database, shop: Shop) -> None:
    spans = []
    for _step in range(3):
        for _ in range(5):
            with pytest.raises(selling.LoginFailed):
                selling.login(db, shop.cashier.id, "0000")
        user = _user(db, shop.cashier.id)
        with db.read() as session:
            at = session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == "login_failed"))
        assert user.locked_until is not None and at is not None
        spans.append(round((user.locked_until - at).total_seconds() / 60))
        with pytest.raises(selling.LoginFailed, match="locked until"):  # even the right PIN
            selling.login(db, shop.cashier.id, CASHIER_PIN)
        _expire_lock(db, shop.cashier.id)
    assert spans == [1, 5, 15]
    assert _user(db, shop.cashier.id).failed_attempts == 15  # not reset by a lock running out
    for _ in range(5):
        with pytest.raises(selling.LoginFailed):
            selling.login(db, shop.cashier.id, "0000")
    with pytest.raises(selling.LoginFailed, match="a manager must unlock"):
        selling.login(db, shop.cashier.id, CASHIER_PIN)
    assert len(_audits(db, "login_failed")) == 20
    selling.unlock(db, shop.manager, shop.cashier.id)
    assert selling.login(db, shop.cashier.id, CASHIER_PIN).name == "Marco"
    assert _user(db, shop.cashier.id).failed_attempts == 0
    assert _audits(db, "user_unlocked")[0].details == {"failed_attempts": 20}


def test_managers_manage_people_and_every_change_is_audited(db: Database, shop: Shop) -> None:
    with pytest.raises(InvalidInput, match="first anyone would guess"):
        selling.add_user(db, shop.manager, "Lucia", Role.KITCHEN, "1234")
    with pytest.raises(InvalidInput, match="4 to 8 digits"):
        selling.add_user(db, shop.manager, "Lucia", Role.KITCHEN, "12a4")
    lucia = selling.add_user(db, shop.manager, "Lucia", Role.KITCHEN, "4826")
    with pytest.raises(NotAllowed, match="already exists"):
        selling.add_user(db, shop.manager, "lucia", Role.CASHIER, "4826")
    operator = selling.login(db, lucia.id, "4826")
    selling.set_role(db, shop.manager, lucia.id, "cashier")
    with pytest.raises(NotAllowed, match="role has changed"):  # the old Operator is stale at once
        selling.open_shift(db, shop.counter, operator, {})
    selling.set_active(db, shop.manager, lucia.id, False)
    with pytest.raises(Exception, match="no such user"):
        selling.login(db, lucia.id, "4826")
    selling.set_active(db, shop.manager, lucia.id, True)
    selling.reset_pin(db, shop.manager, lucia.id, "7391")
    assert selling.login(db, lucia.id, "7391").role is Role.CASHIER
    with pytest.raises(NotAllowed, match="last active manager"):
        selling.set_active(db, shop.manager, shop.manager.id, False)
    with db.read() as session:
        kept = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "user", AuditEntry.entity_id == lucia.id)
        )
        assert [a for a in kept if a.startswith("user_")] == [
            "user_created",
            "user_role",
            "user_deactivated",
            "user_activated",
            "user_pin_reset",
        ]
        assert session.get(User, lucia.id) is not None  # deactivated, never deleted


@pytest.mark.parametrize("pin", ["0000", "9999", "1234", "4321", "12345", "123456", "87654321"])
def test_trivial_pins_are_refused(pin: str) -> None:
    with pytest.raises(InvalidInput):
        check_new_pin(pin)


def test_lowering_a_lines_quantity_is_audited(db: Database, shop: Shop) -> None:
    sale = _sale_with_jam(db, shop)
    line = sale.lines[0].id
    selling.set_quantity(db, sale.id, shop.cashier, line, 3)
    selling.set_quantity(db, sale.id, shop.cashier, line, 1)
    changes = _audits(db, "line_quantity")
    assert [(e.user_id, e.entity_id, e.details) for e in changes] == [
        (shop.cashier.id, line, {"product_id": shop.jam, "from": 1, "to": 3, "change": "raised"}),
        (shop.cashier.id, line, {"product_id": shop.jam, "from": 3, "to": 1, "change": "lowered"}),
    ]
    with db.read() as session:
        assert session.get(Sale, sale.id).status is SaleStatus.OPEN  # type: ignore[union-attr]


def test_orto_users_from_the_command_line(
    db: Database, shop: Shop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        code = main_group(["--db", db.url, "--lang", "en", "users", *args])
        out, err = capsys.readouterr()
        return code, out, err

    monkeypatch.setenv("ORTO_USER", "Marco")
    monkeypatch.setenv("ORTO_PIN", CASHIER_PIN)
    code, _out, err = run("add", "Lucia", "--role", "kitchen", "--pin", "4826")
    assert code == 1 and "cashier may not do this (users)" in err
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    assert run("add", "Lucia", "--role", "kitchen", "--pin", "1111")[2].count("first anyone would guess") == 1
    assert run("add", "Lucia", "--role", "kitchen", "--pin", "4826")[0] == 0
    assert run("role", "Lucia", "manager")[0] == 0
    assert run("deactivate", "Lucia")[0] == 0
    code, out, _err = run("list")
    assert code == 0 and "Lucia\tmanager\tdeactivated" in out
    assert run("activate", "Lucia")[0] == 0
    assert run("reset-pin", "Lucia", "--pin", "5830")[0] == 0
    assert run("unlock", "Marco")[0] == 0
    assert selling.login(db, _lucia(db), "5830").role is Role.MANAGER


def _lucia(db: Database) -> int:
    with db.read() as session:
        found = session.scalar(select(User.id).where(User.name == "Lucia"))
        assert found is not None
        return found


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


async def test_a_manager_adds_and_unlocks_people_at_the_till(db: Database, shop: Shop) -> None:
    from tests.tui.test_tui_flows import _till, login, settle

    selling.open_shift(db, shop.counter, shop.manager, {})
    for _ in range(5):
        with pytest.raises(selling.LoginFailed):
            selling.login(db, shop.cashier.id, "0000")
    app = _till(db, shop)
    async with app.run_test(size=(110, 40)) as pilot:
        await login(pilot, 0, MANAGER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        keys = [entry.key for entry in app.screen.entries]  # type: ignore[attr-defined]
        await pilot.press(*["down"] * keys.index("people"), "enter")
        await settle(pilot)
        await pilot.press("enter")  # "+ Add a person"
        await settle(pilot)
        await pilot.press(*list("Lucia"), "enter")
        await settle(pilot)
        await pilot.press("down", "enter")  # kitchen
        await settle(pilot)
        await pilot.press(*list("4826"), "enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press(*["down"] * keys.index("people"), "enter")
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # + Add, Giulia, Lucia, Marco (locked)
        await settle(pilot)
        await pilot.press(*["down"] * 4, "enter")  # Unlock
        await settle(pilot)
    with db.read() as session:
        lucia = session.scalar(select(User).where(User.name == "Lucia"))
        assert lucia is not None and lucia.role is Role.KITCHEN and lucia.active
        marco = session.get(User, shop.cashier.id)
        assert marco is not None and marco.failed_attempts == 0 and marco.locked_until is None
