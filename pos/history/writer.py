"""Rows of the generated history, written in bulk with ids chosen here.

Choosing the ids in Python lets a sale line and its stock movement, or a lot and its delivery
line, point at each other before anything is written, so each table is one ``executemany``.
PostgreSQL's sequences do not see explicit ids: they are moved past the new rows at the end.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from orto.bulk_insert import insert_rows
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
from orto.models.base import Base, table_of

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
        insert_rows(self.session, table, list(rows[0]), rows)
