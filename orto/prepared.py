"""Statements of the selling hot path, compiled once per dialect and run on the driver's cursor.

A scan and a sale's commit are a few dozen small statements. Run through ``Session.execute``
each pays SQLAlchemy's per-statement machinery (the cache key, the execution context, the result
metadata, the ORM's compile hooks): measured at 60-70 % of a whole sale's CPU, against a few per
cent for SQLite itself (docs/architecture.md, "A lean hot path"). A :class:`Prepared` statement is
a Core construct compiled the first time a dialect runs it; after that an execution is the
parameters put in the compiled order through the same type processors SQLAlchemy would use
(an enumeration to its value, a datetime to SQLite's text), ``cursor.execute`` on the session's
own connection (so in its transaction), and the rows through the same result processors, as
named tuples.

What SQLAlchemy would have done around the statement is kept: pending ORM changes are flushed
first (autoflush), ``before_cursor_execute`` and ``after_cursor_execute`` listeners still see
every statement (the benches record them), and a driver error becomes SQLAlchemy's exception
through the connection's own handler (a disconnect invalidates the connection, as usual), so
``Database``'s translation into a sentence still applies. Not supported, refused when compiled:
``IN`` lists that expand at execution (callers prepare one statement per list length, see
:class:`PreparedIn`) and defaults that are SQL expressions or sequences.

It reaches a few of SQLAlchemy's internals (``_bind_processors``, ``_result_columns``,
``_handle_dbapi_exception``, the session's pending sets); tests/integration/test_prepared.py
pins what is relied on, on both engines.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

_CONNECTION = "orto_prepared_connection"
_MISSING = object()


class _Compiled:
    __slots__ = ("fills", "names", "positional", "processors", "row", "sql")

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Sequence[str] | None) -> None:
        compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        sql = compiled.string
        if "POSTCOMPILE" in sql:
            raise ValueError("a Prepared statement cannot hold an expanding IN list: use PreparedIn")
        self.sql = sql
        self.positional = bool(compiled.positional)
        processors = compiled._bind_processors
        # the columns whose Python-side default (or onupdate) SQLAlchemy would compute
        defaults = {column.key: column.default for column in compiled.insert_prefetch}
        defaults.update({column.key: column.onupdate for column in compiled.update_prefetch})
        # each bound value as filled at every execution: (the caller's key, the statement's own
        # value (a literal in a WHERE) or _MISSING if required, the column's Python default when
        # the caller leaves it out, the type's bind processor)
        fills = {}
        for bind, name in compiled.bind_names.items():
            default = None
            if bind.key in defaults:
                default = _python_default(defaults[bind.key])
                fixed = _MISSING
            elif bind.required:
                fixed = _MISSING
            else:
                fixed = bind.effective_value if bind.callable else bind.value
            fills[name] = (bind.key, fixed, default, processors.get(name))
        self.names = tuple(compiled.positiontup if self.positional else fills)
        self.fills = tuple(fills[name] for name in self.names)
        columns = compiled._result_columns
        self.row = _row_class([c.keyname for c in columns]) if columns else None
        self.processors = tuple(
            (i, p) for i, c in enumerate(columns) if (p := c.type._cached_result_processor(dialect, None)) is not None
        )

    def values(self, params: Mapping[str, Any]) -> Any:
        get = params.get
        out = []
        for key, fixed, default, process in self.fills:
            value = get(key, _MISSING)
            if value is _MISSING:
                if default is not None:
                    value = default()
                elif fixed is _MISSING:
                    raise KeyError(f"a value is required for {key!r} in {self.sql[:60]!r}")
                else:
                    value = fixed
            out.append(value if process is None else process(value))
        if self.positional:
            return tuple(out)
        return dict(zip(self.names, out, strict=True))

    def rows(self, raw: list[Any]) -> list[Any]:
        make = self.row._make  # type: ignore[union-attr]
        if not self.processors:
            return [make(r) for r in raw]
        out = []
        for r in raw:
            values = list(r)
            for i, process in self.processors:
                values[i] = process(values[i])
            out.append(make(values))
        return out


def _row_class(names: list[str]) -> Any:
    """A named tuple with ``_mapping``, as code written for SQLAlchemy's rows reads them."""
    base: Any = namedtuple("Row", names, rename=True)  # type: ignore[misc]  # the names are the statement's

    class Row(base):
        __slots__ = ()

        @property
        def _mapping(self) -> dict[str, Any]:
            return self._asdict()

    return Row


def _python_default(default: Any) -> Callable[[], Any]:
    if default is None:
        return lambda: None
    if getattr(default, "is_scalar", False):
        value = default.arg
        return lambda: value
    if getattr(default, "is_callable", False):
        # SQLAlchemy wraps a default taking no argument into one taking the execution context;
        # the models' defaults (utcnow, a new UUID) never read it
        fn = default.arg
        return lambda: fn(None)
    raise ValueError(f"a Prepared statement cannot run the default {default!r}: an SQL expression or a sequence")


class Prepared:
    """A Core statement run on the driver, compiled once per dialect.

    ``keys``: for an INSERT or an UPDATE without explicit ``bindparam`` values, the columns the
    callers give (compiled as SQLAlchemy would for those parameters); defaults fill the rest.
    """

    __slots__ = ("_by_dialect", "keys", "statement")

    def __init__(self, statement: ClauseElement, keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.keys = tuple(keys) if keys is not None else None
        self._by_dialect: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect, self.keys)
        return found


class PreparedIn:
    """A statement with one ``IN`` list, prepared once per list length (a till sells few lines)."""

    __slots__ = ("_by_length", "build")

    def __init__(self, build: Callable[[int], ClauseElement]) -> None:
        self.build = build  # the statement for n values, bound as in_0 .. in_{n-1}
        self._by_length: dict[int, Prepared] = {}

    def params(self, values: Sequence[Any], **params: Any) -> tuple[Prepared, dict[str, Any]]:
        prepared = self._by_length.get(len(values))
        if prepared is None:
            prepared = self._by_length[len(values)] = Prepared(self.build(len(values)))
        params.update({f"in_{i}": v for i, v in enumerate(values)})
        return prepared, params


def in_params(n: int) -> list[Any]:
    """The bind parameters ``in_0`` .. ``in_{n-1}`` for :class:`PreparedIn`'s builder."""
    from sqlalchemy import bindparam

    return [bindparam(f"in_{i}") for i in range(n)]


def _connection(session: Session) -> Connection:
    found: Connection | None = session.info.get(_CONNECTION)
    if found is None or found.closed or found.invalidated:
        found = session.connection()
        session.info[_CONNECTION] = found
    return found


def _told(conn: Connection) -> Any:
    """The engine's own listeners, to ask cheaply whether any wants to see statements: the
    connection's joined view of them is rebuilt at every look (measured 1.9 µs against 0.5 µs).
    Listeners are put on the ``Database``'s engine; one on an option engine alone is not seen."""
    engine: Any = conn.engine
    return getattr(engine, "_proxied", engine).dispatch


def _flush_pending(session: Session) -> None:
    # what Session.execute's autoflush would do, checked cheaply: the ORM objects added,
    # deleted or changed in this transaction reach the database before the statement reads it
    if (
        session.autoflush
        and not session._flushing  # a statement run from a flush's own hook (the audit chain's)
        and (session._new or session._deleted or session.identity_map._modified)
    ):
        session.flush()


def _execute(session: Session, prepared: Prepared, params: Any, many: bool) -> tuple[_Compiled, Any]:
    _flush_pending(session)
    conn = _connection(session)
    compiled = prepared.compiled(conn.dialect)
    parameters = [compiled.values(p) for p in params] if many else compiled.values(params)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    sql = compiled.sql
    told = _told(conn)
    if told.before_cursor_execute:  # a listener (the benches' recorder, a test's counter)
        for fn in conn.dispatch.before_cursor_execute:
            fn(conn, cursor, sql, parameters, None, many)
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
    except conn.dialect.loaded_dbapi.Error as exc:
        cursor.close()
        conn._handle_dbapi_exception(exc, sql, parameters, cursor, None)
        raise  # not reached: the handler raises SQLAlchemy's exception
    if told.after_cursor_execute:
        for fn in conn.dispatch.after_cursor_execute:
            fn(conn, cursor, sql, parameters, None, many)
    return compiled, cursor


def driver_sql(conn: Connection, sql: str) -> None:
    """A statement without parameters or rows (BEGIN, a PRAGMA) on the driver, listeners told."""
    dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None
    cursor = dbapi_connection.cursor()
    told = _told(conn)
    if told.before_cursor_execute:
        for fn in conn.dispatch.before_cursor_execute:
            fn(conn, cursor, sql, (), None, False)
    try:
        cursor.execute(sql)
    except conn.dialect.loaded_dbapi.Error as exc:
        cursor.close()
        conn._handle_dbapi_exception(exc, sql, (), cursor, None)
        raise  # not reached: the handler raises SQLAlchemy's exception
    if told.after_cursor_execute:
        for fn in conn.dispatch.after_cursor_execute:
            fn(conn, cursor, sql, (), None, False)
    cursor.close()


def rows(session: Session, prepared: Prepared, params: Mapping[str, Any] | None = None) -> list[Any]:
    """Every row the statement returns, as named tuples (attribute access, tuple equality)."""
    compiled, cursor = _execute(session, prepared, params or {}, False)
    try:
        return compiled.rows(cursor.fetchall())
    finally:
        cursor.close()


def first(session: Session, prepared: Prepared, params: Mapping[str, Any] | None = None) -> Any:
    """The first row, or None."""
    found = rows(session, prepared, params)
    return found[0] if found else None


def scalar(session: Session, prepared: Prepared, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row, or None."""
    found = rows(session, prepared, params)
    return found[0][0] if found else None


def run(session: Session, prepared: Prepared, params: Mapping[str, Any] | None = None) -> int:
    """Execute a statement that returns no rows; the number of rows it touched."""
    _compiled, cursor = _execute(session, prepared, params or {}, False)
    count: int = cursor.rowcount
    cursor.close()
    return count


def run_many(session: Session, prepared: Prepared, many: Sequence[Mapping[str, Any]]) -> None:
    """One driver ``executemany`` for every parameter set (a statement that returns no rows)."""
    if len(many) == 1:
        run(session, prepared, many[0])
    elif many:
        _execute(session, prepared, many, True)[1].close()
