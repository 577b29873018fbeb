"""The WHERE clauses that put sales, waste and movements inside a report's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from orto.models import Sale, SaleStatus
from pos.reports.filters import Scope


def completed_sales(scope: Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Sale.status == SaleStatus.COMPLETED,
        Sale.completed_at >= scope.start,
        Sale.completed_at < scope.end,
    ]
    if scope.counter_ids is not None:
        # "+ 0" keeps SQLite on the completed_at range: without ANALYZE statistics it would take
        # the (counter, status) index, which holds the counter's whole history
        conditions.append((Sale.counter_id + 0).in_(scope.counter_ids))
    return conditions


def in_period(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    return [column >= scope.start, column < scope.end]


def at_site(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope.site_id is None else [column == scope.site_id]
