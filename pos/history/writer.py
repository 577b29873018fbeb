"""Rows of the generated history, written in bulk with ids chosen here.

Choosing the ids in Python lets a sale line and its stock movement, or a lot and its delivery
line, point at each other before anything is written, so each table is one ``executemany``.
PostgreSQL's sequences do not see explicit ids: they are moved past the new rows at the end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import JSON, Enum, Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from orto.models import (
    ApplianceReading,
    Batch,
    BatchInput,
    CashMovement,
    CriticalReading,
    Delivery,
    DeliveryLine,
    FundMovement,
    Lot,
    Payment,
    Sale,
    SaleLine,
    Shift,
    StockMovement,
    TemperatureLog,
    WasteRecord,
    ZReport,
)
from orto.models.base import Base, UtcDateTime, table_of

# Parents before children; lots before the rows that name them, their back-links updated after.
ORDER: tuple[type[Base], ...] = (
    Shift,
    Lot,
    Delivery,
    DeliveryLine,
    Batch,
    BatchInput,
    CriticalReading,
    Sale,
    SaleLine,
    Payment,
    FundMovement,
    CashMovement,
    WasteRecord,
    StockMovement,
    ZReport,
    TemperatureLog,
    ApplianceReading,
)


class Rows:
    """Buffered rows per table, with the next id of each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
        self.lot_links: list[dict[str, Any]] = []  # lots' delivery_line_id / batch_id, set after
        self.next_id: dict[type[Base], int] = {}
        self.written: dict[type[Base], int] = defaultdict(int)
        for model in ORDER:
            table = table_of(model)
            self.next_id[model] = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    def add(self, model: type[Base], row: dict[str, Any]) -> int:
        row_id = self.next_id[model]
        self.next_id[model] = row_id + 1
        row["id"] = row_id
        self.rows[model].append(row)
        return row_id

    def link_lot(self, lot_id: int, *, delivery_line_id: int | None = None, batch_id: int | None = None) -> None:
        self.lot_links.append({"b_id": lot_id, "b_line": delivery_line_id, "b_batch": batch_id})

    def flush(self) -> None:
        for model in ORDER:
            rows = self.rows.pop(model, None)
            if rows:
                self._insert(table_of(model), rows)
                self.written[model] += len(rows)
        if self.lot_links:
            lots = table_of(Lot)
            self.session.execute(
                update(lots)
                .where(lots.c.id == bindparam("b_id"))
                .values(delivery_line_id=bindparam("b_line"), batch_id=bindparam("b_batch")),
                self.lot_links,
            )
            self.lot_links = []

    def fix_sequences(self) -> None:
        """PostgreSQL: move each table's id sequence past the ids written here."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for model in ORDER:
            table: Table = table_of(model)
            self.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                )
            )

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """One DBAPI ``executemany`` with values converted here: SQLAlchemy's per-row parameter
        processing cost more than the insert itself (measured: 3.7 s of 9 s for the demo)."""
        names = list(rows[0])
        defaults = {
            c.name: getattr(c.default, "arg", None)
            for c in table.columns
            if c.name not in rows[0] and c.default is not None and c.default.is_scalar
        }
        columns = names + list(defaults)
        converters = [_converter(table.c[name].type) for name in names]
        fixed = tuple(defaults.values())
        placeholder = "%s" if self.session.get_bind().dialect.paramstyle in ("format", "pyformat") else "?"
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(placeholder for _c in columns)})"
        pairs = list(zip(names, converters, strict=True))
        values = [tuple(convert(row[name]) for name, convert in pairs) + fixed for row in rows]
        self.session.connection().exec_driver_sql(sql, values)


def _same(value: Any) -> Any:
    return value


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def _enum(value: PyEnum | str | None) -> str | None:
    return value.value if isinstance(value, PyEnum) else value


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _converter(column_type: Any) -> Callable[[Any], Any]:
    if isinstance(column_type, UtcDateTime):
        return _utc
    if isinstance(column_type, Enum):
        return _enum
    if isinstance(column_type, JSON):
        return _json
    return _same
