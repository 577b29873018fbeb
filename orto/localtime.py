"""The cooperative's clock: datetimes are stored in UTC, days are Milan's days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def local_day(moment: datetime) -> date:
    """The day in Milan of a stored (UTC) moment; a naive value is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ROME).date()


def today() -> date:
    """Today in Milan: a till's or server's clock may be on UTC, and between 23:00 and 24:00 UTC
    (22:00 in summer) the machine's ``date.today()`` is still yesterday in Milan."""
    return local_day(datetime.now(UTC))


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of Milan's days ``first`` … ``last``."""
    end_day = (last or first) + timedelta(days=1)
    start = datetime.combine(first, time(0), tzinfo=ROME).astimezone(UTC)
    end = datetime.combine(end_day, time(0), tzinfo=ROME).astimezone(UTC)
    return start, end
