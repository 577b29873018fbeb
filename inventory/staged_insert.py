"""One DBAPI ``executemany`` per table, the values converted here.

SQLAlchemy's Core ``executemany`` processes every row's parameters (type processors, defaults,
the compiled statement's parameter map): for a 20,000-row catalog import that cost more than the
inserts themselves (profiled: ≈ 6 s of 55 under the profiler, against the driver's ≈ 0.3 s).
The rows here are whole (every column the import writes is given), so only the few types the
catalog uses need converting: an enumeration to its stored value, an allergen set to its mask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import Enum, Table
from sqlalchemy.orm import Session

from orto.allergens import to_mask
from orto.models.base import AllergenSet


def _same(value: Any) -> Any:
    return value


def _enum(value: Any) -> Any:
    return value.value if isinstance(value, PyEnum) else value


def _allergens(value: Any) -> int:
    return to_mask(frozenset(value or ()))


def _converter(column_type: Any) -> Callable[[Any], Any]:
    if isinstance(column_type, AllergenSet):
        return _allergens
    if isinstance(column_type, Enum):
        return _enum
    return _same


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each holding every name in ``columns``) with one driver ``executemany``.

    A column with a Python-side default that the rows leave out would be skipped silently by the
    driver, so every column without a server default must be named.
    """
    if not rows:
        return
    missing = [
        c.name
        for c in table.columns
        if c.name not in columns and not c.primary_key and c.server_default is None and not c.nullable
    ]
    if missing:
        raise ValueError(f"{table.name}: rows without {', '.join(missing)}")
    converters = [(name, _converter(table.c[name].type)) for name in columns]
    placeholder = "%s" if session.get_bind().dialect.paramstyle in ("format", "pyformat") else "?"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(placeholder for _c in columns)})"
    # column by column: a catalog repeats its few enumeration values and allergen sets, so each
    # distinct one is converted once (the conversion per cell was a third of the import's Python)
    columns_values = [_converted([row[name] for row in rows], convert) for name, convert in converters]
    values = list(zip(*columns_values, strict=True))
    session.connection().exec_driver_sql(sql, values)


def _converted(cells: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    if convert is _same:
        return cells
    seen: dict[Any, Any] = {}
    out = []
    for cell in cells:
        try:
            out.append(seen[cell])
        except KeyError:
            out.append(seen.setdefault(cell, convert(cell)))
        except TypeError:  # an unhashable value (a plain set of allergens): converted as it is
            out.append(convert(cell))
    return out
