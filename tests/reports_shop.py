"""The demo shop with a short generated history, for the report tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from orto.db import Database

HISTORY_DAYS = 12


def demo_with_history(db: Database, monkeypatch: pytest.MonkeyPatch, today: date | None = None) -> tuple[date, date]:
    """Build the demo (its history shortened); returns the first and last day of the history."""
    import pos.demo as demo

    day = today or date.today()
    monkeypatch.setattr(demo, "HISTORY_DAYS", HISTORY_DAYS)
    demo.build_demo(db, day)
    return day - timedelta(days=HISTORY_DAYS), day - timedelta(days=1)
