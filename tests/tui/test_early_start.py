"""The till's login drawn before SQLAlchemy loads, and the database opened behind it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from orto.config import PrinterConfig
from orto.db import Database
from orto.driver import HEAD, early_start
from orto.enums import CounterKind, Role
from orto.models import Sale, SaleStatus
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.context import CounterInfo
from tests.shop import CASHIER_PIN, Shop, build_shop
from tests.tui.test_tui_flows import settle, type_text

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


def test_the_login_is_read_through_the_driver_alone(db: Database, shop: Shop) -> None:
    early = early_start(db.url, "PAL-1")
    assert early is not None
    assert (early.counter_id, early.counter_kind, early.site_code) == (shop.counter, CounterKind.EMPORIO, "PAL")
    # the same users, in the same order, as the ordinary way gives them
    assert [(u.id, u.name, u.role) for u in early.users] == [(u.id, u.name, u.role) for u in selling.list_users(db)]
    assert [u.role for u in early.users] == [Role.MANAGER, Role.CASHIER]


def test_anything_unexpected_leaves_the_start_to_the_ordinary_way(db: Database, shop: Shop, tmp_path: Path) -> None:
    assert early_start(db.url, "XXX-9") is None  # no such counter: the ordinary start says so
    assert early_start(f"sqlite:///{tmp_path / 'not-there.sqlite3'}", "PAL-1") is None  # a new database
    assert early_start("postgresql+psycopg://orto@127.0.0.1:1/orto", "PAL-1") is None  # unreachable
    assert early_start("mysql://localhost/orto", "PAL-1") is None
    with db.write() as session:  # a schema older than this Orto: the ordinary start refuses it
        session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        assert early_start(db.url, "PAL-1") is None
    finally:  # the PostgreSQL template is shared by the session's tests
        with db.write() as session:
            session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})


def test_the_login_and_the_till_module_load_no_sqlalchemy() -> None:
    code = (
        "import sys, pos.cli.launch, pos.tui.app, pos.tui.screens.login, orto.driver\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'orto.models', 'pos.selling'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _opening(db: Database, shop: Shop, url: str) -> OrtoTill:
    early = early_start(db.url, "PAL-1")
    assert early is not None
    settings = replace(shop.settings, database_url=url, printers={"banco": PrinterConfig("banco", "none")})
    till = OrtoTill.opening(settings, CounterInfo.from_early(early), early.users)
    till.start_queue = False
    return till


async def test_a_till_opened_early_logs_in_and_sells(db: Database, shop: Shop) -> None:
    app = _opening(db, shop, db.url)
    async with app.run_test(size=(100, 32)) as pilot:
        # the login is there at once, from what the driver read
        assert type(app.screen).__name__ == "LoginScreen"
        assert [u.name for u in app.screen.users] == ["Giulia", "Marco"]  # type: ignore[attr-defined]
        await pilot.press("down")
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")  # answered once the database behind it is open
        await settle(pilot)
        assert app.db is not None and app.ready.is_set()
        assert type(app.screen).__name__ == "SaleScreen"
        await type_text(pilot, "8001234567897")
        await pilot.press("enter")
        await settle(pilot)
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.counter, Sale.status == SaleStatus.OPEN))
        assert sale is not None and [line.description for line in sale.lines] == ["Confettura di albicocche"]
        assert sale.user_id == shop.cashier.id


async def test_a_database_that_cannot_open_behind_the_login_is_said_and_the_till_lives(
    db: Database, shop: Shop
) -> None:
    # the server stopped between the login being read and the rest loading
    app = _opening(db, shop, "postgresql+psycopg://orto@127.0.0.1:1/orto")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("down")
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.opening_error is not None
        assert type(app.screen).__name__ == "LoginScreen"
        titles = [n.title for n in app._notifications]
        assert "The database could not be opened" in titles
        # the server is back: the next PIN opens the database and logs in, the catalog follows
        app.settings = replace(app.settings, database_url=db.url)
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.db is not None and app.opening_error is None
        assert type(app.screen).__name__ == "SaleScreen"
        for _ in range(100):
            if app.context is not None and app.context.index is not None:
                break
            await pilot.pause(0.02)
        assert app.context is not None and app.context.index is not None


async def test_after_a_lock_the_login_lists_the_users_as_they_are_now(db: Database, shop: Shop) -> None:
    app = _opening(db, shop, db.url)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("down")
        await type_text(pilot, CASHIER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SaleScreen"
        with db.write() as session:  # the manager left the cooperative meanwhile
            session.execute(text("UPDATE users SET active = :no WHERE name = 'Giulia'"), {"no": False})
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
        assert [u.name for u in app.screen.users] == ["Marco"]  # type: ignore[attr-defined]


def test_plain_orto_with_a_counter_opens_early_and_without_one_the_ordinary_way(
    db: Database, shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pos.cli.launch import run_plain_till

    opened: list[OrtoTill] = []
    monkeypatch.setattr(OrtoTill, "run", lambda self, **_kw: opened.append(self))
    config = tmp_path / "orto.toml"
    monkeypatch.setenv("ORTO_CONFIG", str(config))
    config.write_text('[till]\nsite = "PAL"\ncounter = "PAL-1"\n', encoding="utf-8")
    assert run_plain_till(db.url, "en") == 0
    assert opened[-1].db is None and [u.name for u in opened[-1].users or []] == ["Giulia", "Marco"]
    config.write_text('[till]\nsite = "PAL"\ncounter = "XXX-9"\n', encoding="utf-8")
    assert run_plain_till(db.url, "en") == 2  # the ordinary way names the unknown counter (a ConfigError)
    config.write_text("", encoding="utf-8")
    assert run_plain_till(db.url, "en") == 0  # not configured: the wizard, on a database opened first
    assert opened[-1].db is not None and opened[-1].users is None
