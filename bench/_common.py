"""Shared bits of the bench scripts: the machine line and a scratch folder."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
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
