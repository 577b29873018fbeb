"""Declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import DateTime, Enum, Integer, MetaData, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from orto.allergens import Allergen, from_mask, to_mask

# Named constraints let Alembic's SQLite batch mode find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every engine, returned as an aware UTC datetime.

    SQLite has no time zones, so storing aware values would come back naive there and aware
    on PostgreSQL; this keeps both engines identical.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class AllergenSet(TypeDecorator[frozenset[Allergen]]):
    """The 14 allergens as a bit mask: one integer, exact on every engine."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int:
        return to_mask(frozenset(value or ()))

    def process_result_value(self, value: int | None, dialect: Dialect) -> frozenset[Allergen]:
        return from_mask(value or 0)


def str_enum(enum_cls: type[PyEnum], length: int = 24) -> Enum:
    """Enum columns as plain VARCHAR holding the member's value (no native ENUM to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for bulk ``executemany`` inserts that skip the ORM."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
