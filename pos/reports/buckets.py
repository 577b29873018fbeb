"""Local days, hours and months from UTC timestamps, the same way on SQLite and PostgreSQL.

SQLite knows no time zones, so SQL groups by the UTC hour ('YYYY-MM-DD HH') and the few
thousand hourly groups of a year are folded into Europe/Rome days, hours or months here. Italy's
offset is a whole number of hours all year, so every UTC hour is exactly one local hour.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos.reports.filters import ROME


def utc_hour(session: Session, column: Any) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


@functools.lru_cache(maxsize=65_536)  # a year's groups repeat their hours: strptime is the cost
def local_hour(bucket: str) -> datetime:
    """'2026-03-29 01' (UTC) -> the aware local datetime of that hour."""
    return datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(ROME)
