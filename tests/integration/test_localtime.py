"""Milan's day, whatever the machine's clock is set to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orto import localtime


class _Clock(datetime):
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return cls.moment if tz is None else cls.moment.astimezone(tz)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 12, 1)),  # winter: UTC+1
        (datetime(2026, 11, 30, 22, 59, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 7, 14, 22, 5, tzinfo=UTC), date(2026, 7, 15)),  # summer: UTC+2
        (datetime(2026, 7, 14, 21, 55, tzinfo=UTC), date(2026, 7, 14)),
    ],
)
def test_today_is_milans_day_near_midnight(moment: datetime, day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Clock, "moment", moment)
    monkeypatch.setattr(localtime, "datetime", _Clock)
    assert localtime.today() == day
    start, end = localtime.day_bounds(day)
    assert start <= moment < end  # the moment falls inside the day it is said to be
