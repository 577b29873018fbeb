"""How the main screens look at 80x24 (usable) and 120x40 (comfortable).

Taken in English, the language every test starts in: Textual translates key descriptions when a
screen's module is first imported, so a snapshot in another language would depend on test order.
Italian screens are checked in tmux by hand (docs/till.md) and by the Pilot tests' behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pos import selling
from tests.engines import SqliteTemplate
from tests.shop import build_shop
from tests.tui.test_tui_flows import _till, login, scan, settle

pytestmark = [pytest.mark.sqlite_only, pytest.mark.filterwarnings("ignore::ResourceWarning")]


@pytest.fixture
def till(sqlite_template: SqliteTemplate, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = sqlite_template.fresh(tmp_path)
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return _till(db, shop)


async def _sale(pilot) -> None:  # type: ignore[no-untyped-def]
    await login(pilot)
    await scan(pilot, "8001234567897")
    await scan(pilot, "2100101012501")
    await pilot.press("up")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_login_screen(snap_compare, till, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(till, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_sale_screen(snap_compare, till, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(till, terminal_size=size, run_before=_sale)


def test_payment_screen(snap_compare, till) -> None:  # type: ignore[no-untyped-def]
    async def pay(pilot) -> None:  # type: ignore[no-untyped-def]
        await _sale(pilot)
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(till, terminal_size=(80, 24), run_before=pay)
