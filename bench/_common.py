"""Shared bits of the bench scripts: the machine line, a scratch folder, and the round-by-round
interleaving of a floor with Orto (`interleave`, `ratio_line`)."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {load()}"
    )


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="orto-bench-"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return met(ok)


def load() -> str:
    """The machine's load average, as `uptime` gives it: the figures mean little without it."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on Unix
        return "load unknown"
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def ratios(measured: list[float], floor: list[float]) -> list[float]:
    """Round by round: each measurement over the floor measured beside it in the same round."""
    return [m / f for m, f in zip(measured, floor, strict=True) if f > 0]


def ratio_line(measured: list[float], floor: list[float], target: float | None, label: str = "ratio") -> str:
    """The per-round ratio's median and minimum, and MET/MISSED against ``target`` (on the median)."""
    rs = ratios(measured, floor)
    if not rs:
        return f"{label}: no rounds"
    med = statistics.median(rs)
    text = f"{label} per round: median {med:.2f}x, min {min(rs):.2f}x"
    if target is not None:
        text += f" (target ≤ {target:g}x: {met(med <= target)})"
    return text


def met(ok: bool) -> str:
    return "MET" if ok else "MISSED"


Transaction = list[tuple[str, Any, bool]]


class Recorder:
    """Orto's statements as sent to the driver, grouped by transaction."""

    def __init__(self, db: Any) -> None:
        from sqlalchemy import event

        self.transactions: list[Transaction] = []
        self.current: Transaction = []
        self.on = False

        @event.listens_for(db.engine, "before_cursor_execute")
        def _statement(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, many: bool) -> None:
            if self.on:
                self.current.append((statement, parameters, many))

        @event.listens_for(db.engine, "commit")
        def _commit(_conn: Any) -> None:
            self._end("COMMIT")

        @event.listens_for(db.engine, "rollback")
        def _rollback(_conn: Any) -> None:
            self._end("ROLLBACK")

    def _end(self, word: str) -> None:
        if self.on and self.current:
            self.current.append((word, (), False))
            self.transactions.append(self.current)
            self.current = []

    def take(self) -> list[Transaction]:
        taken, self.transactions = self.transactions, []
        return taken


def replay(conn: sqlite3.Connection, transactions: list[Transaction]) -> list[float]:
    """Each transaction's time, replayed with the driver alone (results fetched, as Orto does)."""
    times = []
    for transaction in transactions:
        started = time.perf_counter()
        for statement, parameters, many in transaction:
            if many:
                conn.executemany(statement, parameters)
            else:
                conn.execute(statement, parameters).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


Step = Callable[[], Any]


def interleave(rounds: int, steps: dict[str, Step], *, warm: int = 0) -> dict[str, list[float]]:
    """Each step once per round, the order rotated round by round, so the machine's drift (other
    work, caches, thermal) lands on the floor and on Orto alike.

    A step that times only part of what it does (its set-up left out) returns that time in ms as
    a float; whatever else it returns, it is timed whole here. ``warm`` rounds run first and are not kept.
    """
    names = list(steps)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(warm + rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            own = steps[name]()
            elapsed = own if isinstance(own, float) else (time.perf_counter() - started) * 1000
            if r >= warm:
                times[name].append(elapsed)
    return times
