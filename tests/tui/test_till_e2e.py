"""A whole day at the counter in a real terminal: the real ``orto`` in tmux at 80×24, driven by
send-keys and read with capture-pane, in Italian and in English; then the database is checked
against its own raw rows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from orto.db import Database
from orto.enums import CounterKind
from orto.models import CashMovement, Payment, PaymentMethod, Sale, SaleKind, SaleStatus, Shift, ShiftStatus, ZReport
from orto.money import format_amount
from orto.policy import Role
from pos.selling import DENOMINATIONS_CENTS
from tests.shop import CASHIER_PIN, MANAGER_PIN, build_shop

T = TypeVar("T")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WORDS = {  # what each screen says, to know it is there
    "it": {
        "login": "Chi è alla cassa?",
        "day": "Nessun turno aperto",
        "float": "Apertura turno",
        "pay": "DA PAGARE",
        "refund": "CONTANTI DA RESTITUIRE",
        "back": "DA RESTITUIRE",
        "drawer": "Chiusura della giornata: conta il cassetto",
        "menu": "esc Indietro",
        "more": r"↓ altre \d+ sotto",
        "z": "CHIUSURA Z",
        "closed": "Giornata chiusa",
    },
    "en": {
        "login": "Who is at the till?",
        "day": "No shift open",
        "float": "Open the shift",
        "pay": "AMOUNT DUE",
        "refund": "CASH TO HAND OVER",
        "back": "TO HAND BACK",
        "drawer": "Close the day: count the drawer",
        "menu": "esc Back",
        "more": r"↓ \d+ more below",
        "z": "Z REPORT",
        "closed": "Day closed",
    },
}


class Terminal:
    def __init__(self, name: str, command: str) -> None:
        self.name = name
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", command], check=True)
        self.screens: list[str] = []

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                time.sleep(0.3)  # let the screen finish drawing
                shown = self.screen()
                self.screens.append(shown)
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.25)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.2)

    def open_menu(self, shown: str, tries: int = 4) -> None:
        """F12 until the menu is there (its key line, ``shown``): on a loaded machine a key can
        reach a screen still being set up and be lost, and a cashier would simply press it again."""
        for _attempt in range(tries):
            self.keys("F12")
            try:
                self.wait_for(shown, timeout=6)
                return
            except AssertionError:
                self.keys("Escape")  # whatever the lost key left in the scan field
        raise AssertionError(f"the menu never opened; the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _open_sale_with(db: Database, lines: int) -> Sale | None:
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.status == SaleStatus.OPEN))
        # the searched jar joins the scanned one's line: three lines, two jars
        if sale is not None and len(sale.lines) == lines and any(ln.quantity == 2 for ln in sale.lines):
            _ = [ln.total_cents for ln in sale.lines]
            return sale
        return None


def _wait(probe: Callable[[], T | None], term: Terminal, timeout: float = 15) -> T:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"the till never got there; the screen:\n{term.screen()}")


def _menu_number(role: Role, key: str) -> str:
    from pos.tui.menu import entries_for
    from pos.tui.navigation import menu_entries

    return str(next(i for i, e in enumerate(entries_for(menu_entries(), role, CounterKind.EMPORIO), 1) if e.key == key))


def _count(cents: int) -> list[int]:
    """The drawer as a cashier counts it: pieces per denomination, largest first."""
    pieces = []
    for denomination in DENOMINATIONS_CENTS:
        pieces.append(cents // denomination)
        cents %= denomination
    return pieces


def _expected_cash(db: Database, shift_id: int) -> int:
    with db.read() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        cash = session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0))
            .join(Sale)
            .where(Sale.shift_id == shift_id, Sale.status == SaleStatus.COMPLETED, Payment.method == PaymentMethod.CASH)
        )
        moved = session.scalar(
            select(func.coalesce(func.sum(CashMovement.amount_cents), 0)).where(CashMovement.shift_id == shift_id)
        )
        return shift.opening_float_cents + int(cash or 0) + int(moved or 0)


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_whole_day_at_the_counter_in_a_real_terminal(db: Database, tmp_path: Path, language: str) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("one engine is enough for a whole day in a terminal (the services run on both elsewhere)")
    build_shop(db)
    words = WORDS[language]
    config = tmp_path / "orto.toml"
    config.write_text(
        f'[database]\nurl = "{db.engine.url}"\n\n[till]\ncounter = "PAL-1"\nlanguage = "{language}"\n'
        "idle_lock_seconds = 0\n",
        encoding="utf-8",
    )
    orto = Path(sys.executable).with_name("orto")
    command = f"ORTO_CONFIG={config} ORTO_DATA_DIR={tmp_path / 'data'} {orto}"
    term = Terminal(f"cd-e2e-{language}-{tmp_path.name[-8:]}", command)
    try:
        term.wait_for(words["login"])
        term.keys("Down")  # Giulia, Marco: Marco
        term.type(CASHIER_PIN)
        term.keys("Enter")
        term.wait_for(words["day"])
        term.keys("1")  # open a shift, asked for
        term.wait_for(words["float"])
        term.keys("Tab", "Tab", "Tab", "Tab", "Tab")  # the 10 € notes
        term.type("5")
        term.keys("F10")
        term.wait_for("Marco |")  # the sale screen's status line
        for code in ("8001234567897", "1,250*POM", "2100101005008"):  # scan, weight typed, scale label
            term.type(code)
            term.keys("Enter")
            time.sleep(0.6)
        term.type("albicocc")  # search by words: the first result
        time.sleep(1.0)
        term.keys("Enter")
        sale = _wait(lambda: _open_sale_with(db, 3), term)
        sale_id, total = sale.id, sum(ln.total_cents for ln in sale.lines)
        shown = term.wait_for(f" {sale_id} ")
        assert f" {sale_id} " in shown  # the number the status line shows
        term.keys("F10")
        term.wait_for(words["pay"])
        term.type("5")
        term.keys("F6")  # 5 € by card
        time.sleep(0.5)
        term.keys("F5")  # the rest from a 50 € note
        time.sleep(1.5)
        with db.read() as session:
            done = session.get(Sale, sale_id)
            assert done is not None and done.status is SaleStatus.COMPLETED and done.total_cents == total
        # refund one jar of the split-paid sale, by the number that was on screen
        term.open_menu(words["menu"])
        term.type(_menu_number(Role.CASHIER, "refund"))
        time.sleep(0.8)
        term.type(str(sale_id))
        term.keys("Enter")
        time.sleep(0.8)
        term.type("1x1")
        term.keys("Enter")
        refund_screen = term.wait_for(words["refund"])  # as paid: the card (paid first) takes it all
        term.keys("F2")  # the customer wants cash: all in cash
        time.sleep(0.5)
        term.keys("Enter")
        time.sleep(0.8)
        term.type(MANAGER_PIN)
        term.keys("Enter")
        term.wait_for(words["back"])
        # the manager closes the day: the drawer counted, then the Z
        term.keys("C-l")
        term.wait_for(words["login"])
        term.type(MANAGER_PIN)  # Giulia is first
        term.keys("Enter")
        term.wait_for("f12 Menu")  # the sale screen is there (a loaded machine logs in slower)
        term.open_menu(words["menu"])
        # the manager's entries do not fit at 80×24: the mark of those below is in sight
        assert re.search(words["more"], term.screens[-1]), term.screens[-1]
        term.type(_menu_number(Role.MANAGER, "z"))
        term.wait_for(words["drawer"])
        with db.read() as session:
            shift = session.scalar(select(Shift).where(Shift.status == ShiftStatus.OPEN))
            assert shift is not None
            shift_id = shift.id
        expected = _expected_cash(db, shift_id)
        time.sleep(0.5)
        for pieces in _count(expected):
            if pieces:
                term.type(str(pieces))
            term.keys("Tab")
        term.wait_for(format_amount(expected, language) + " €")  # the count on screen, before confirming
        term.keys("F10")
        term.wait_for(words["z"])
        term.keys("Enter")
        term.wait_for(words["closed"])
        # no screen line cut: nothing wider than the terminal, no label shortened with an ellipsis
        # (the status line may lose its end at 80 columns, and a cart row its product's name)
        for screen in term.screens:
            for line in screen.splitlines():
                assert len(line) <= 80
                if "|" not in line and "%" not in line:  # a cart row cuts a long name to fit, by design
                    assert "…" not in line, screen
        assert "1 x" in refund_screen
    finally:
        term.close()
    with db.read() as session:
        (z,) = session.scalars(select(ZReport))
        sales = list(session.scalars(select(Sale).where(Sale.status == SaleStatus.COMPLETED)))
        payments = list(session.scalars(select(Payment)))
        shift = session.get(Shift, shift_id)
        assert shift is not None
        refund = next(s for s in sales if s.kind is SaleKind.REFUND)
        refund_cash = -sum(
            p.amount_cents for p in payments if p.sale_id == refund.id and p.method is PaymentMethod.CASH
        )
    totals = z.totals
    assert totals["sales_cents"] == sum(s.total_cents for s in sales if s.kind is SaleKind.SALE) == total
    assert totals["refunds_cents"] == -refund.total_cents == 490
    by_method: dict[str, int] = {}
    for p in payments:
        by_method[p.method.value] = by_method.get(p.method.value, 0) + p.amount_cents
    assert totals["payments"] == by_method
    # what was handed over in cash (all of the refund, chosen on screen) left the drawer's expectation
    assert refund_cash == 490
    assert shift.expected_cash_cents == expected == shift.opening_float_cents + by_method["cash"]
    assert shift.difference_cents == 0 and shift.counted_cash_cents == expected
