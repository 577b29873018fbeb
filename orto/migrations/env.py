"""Alembic environment: runs on the connection handed over by orto.schema (or a URL)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from orto.db import make_engine
from orto.models import Base
from orto.models.base import AllergenSet, UtcDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    """Migrations name plain SQL types, so they never depend on model code that may change."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    if type_ == "type" and isinstance(obj, AllergenSet):
        return "sa.Integer()"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
