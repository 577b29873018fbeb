"""orto.prepared: the hot path's statements on the driver give what SQLAlchemy's execution gives.

Each test runs the same statement both ways on a real database (SQLite file and PostgreSQL) and
compares what a caller sees: the rows and their Python types, the row written with the columns'
defaults, the pending ORM objects flushed first, the errors and the listeners.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from orto import prepared
from orto.models import AuditEntry, Category, PrinterRole, PrintJob, PrintStatus, Product, Unit
from orto.models.base import table_of
from orto.prepared import Prepared, PreparedIn, in_params
from tests.factories import product

_JOBS = table_of(PrintJob)
_PRODUCTS = table_of(Product)
_AUDIT = table_of(AuditEntry)
_JOB_KEYS = ("printer", "role", "doc_type", "doc_id", "document", "counter_id", "open_drawer")
_JOB_COLUMNS = (
    _JOBS.c.printer,
    _JOBS.c.role,
    _JOBS.c.doc_type,
    _JOBS.c.document,
    _JOBS.c.open_drawer,
    _JOBS.c.status,
    _JOBS.c.attempts,
    _JOBS.c.created_at.label("queued_at"),
)


def _job(n: int) -> dict[str, object]:
    return {
        "printer": "banco",
        "role": PrinterRole.RECEIPT,
        "doc_type": "receipt",
        "doc_id": n,
        "document": {"lines": ["Pane", n], "città": "Milano"},
        "counter_id": None,
        "open_drawer": n % 2 == 0,
    }


def test_an_insert_fills_the_defaults_and_the_rows_read_back_typed_as_sqlalchemy_reads_them(db) -> None:
    insert_job = Prepared(insert(_JOBS).returning(_JOBS.c.id), _JOB_KEYS)
    read = Prepared(select(*_JOB_COLUMNS).where(_JOBS.c.id == bindparam("job")))
    before = datetime.now(UTC)
    with db.write() as session:
        mine = prepared.scalar(session, insert_job, _job(1))
        theirs = session.execute(insert(_JOBS).returning(_JOBS.c.id), _job(2)).scalar_one()
    with db.read() as session:
        ours = prepared.first(session, read, {"job": mine})
        reference = session.execute(select(*_JOB_COLUMNS).where(_JOBS.c.id == theirs)).one()
        assert prepared.first(session, read, {"job": theirs}) == tuple(reference)
    assert ours._fields == reference._fields
    assert ours.role is PrinterRole.RECEIPT and ours.status is PrintStatus.PENDING  # enumerations back
    assert ours.document == {"lines": ["Pane", 1], "città": "Milano"}  # JSON both ways
    assert ours.open_drawer is False and reference.open_drawer is True
    assert ours.attempts == 0  # the column's scalar default
    assert ours.queued_at.tzinfo is not None and ours.queued_at >= before.replace(microsecond=0)  # utcnow default
    assert ours._mapping["printer"] == "banco"


def test_many_rows_in_one_executemany_and_an_in_list_of_any_length(db) -> None:
    insert_job = Prepared(insert(_JOBS), _JOB_KEYS)
    by_doc = PreparedIn(lambda n: select(_JOBS.c.doc_id).where(_JOBS.c.doc_id.in_(in_params(n))).order_by("doc_id"))
    with db.write() as session:
        prepared.run_many(session, insert_job, [_job(n) for n in range(1, 6)])
        prepared.run_many(session, insert_job, [])
    with db.read() as session:
        for wanted in ([3], [5, 1], [2, 4, 99]):
            found = prepared.rows(session, *by_doc.params(wanted))
            assert [row.doc_id for row in found] == sorted(w for w in wanted if w <= 5)


def test_an_update_counts_its_rows_and_a_required_value_left_out_is_refused(db) -> None:
    with db.write() as session:
        product(session, "Pane", code="P1", price_cents=300)
        product(session, "Latte", code="P2", price_cents=150)
    reprice = Prepared(
        update(_PRODUCTS).where(_PRODUCTS.c.code == bindparam("b_code")).values(price_cents=bindparam("b_price"))
    )
    with db.write() as session:
        assert prepared.run(session, reprice, {"b_code": "P1", "b_price": 320}) == 1
        assert prepared.run(session, reprice, {"b_code": "nope", "b_price": 1}) == 0
        with pytest.raises(KeyError, match="b_price"):
            prepared.run(session, reprice, {"b_code": "P2"})
    with db.read() as session:
        assert session.scalar(select(Product.price_cents).where(Product.code == "P1")) == 320


def test_pending_orm_objects_are_flushed_before_a_statement_reads(db) -> None:
    count = Prepared(select(_PRODUCTS.c.code).where(_PRODUCTS.c.name == bindparam("name")))
    with db.write() as session:
        session.add(Product(code="P9", name="Farina", unit=Unit.KG, vat_rate_bp=400, price_cents=200))  # not flushed
        session.add(Category(name="Forno"))
        assert [row.code for row in prepared.rows(session, count, {"name": "Farina"})] == ["P9"]


def test_the_audit_chain_still_links_entries_added_through_the_orm_and_through_the_driver(db) -> None:
    from orto.audit import INSERT_ENTRIES, audit, chain_rows, verify

    with db.write() as session:
        audit(session, "first", None)  # pending: the driver's read of the last hash must see it
        prepared.run_many(session, INSERT_ENTRIES, chain_rows(session, [{"action": "second"}, {"action": "third"}]))
    with db.read() as session:
        checked, broken = verify(session)
    assert (checked, broken) == (3, None)


def test_a_driver_error_is_sqlalchemys_and_rolls_the_transaction_back(db) -> None:
    insert_product = Prepared(insert(_PRODUCTS), ("code", "name", "price_cents", "vat_rate_bp", "unit"))
    with db.write() as session:
        product(session, "Pane", code="P1", price_cents=300)
    row = {"code": "P1", "name": "Altro pane", "price_cents": 1, "vat_rate_bp": 400, "unit": Unit.PIECE}
    with pytest.raises(IntegrityError):
        with db.write() as session:
            prepared.run(session, insert_product, {**row, "code": "P7"})
            prepared.run(session, insert_product, row)  # the code is taken
    with db.read() as session:
        assert session.scalars(select(Product.code).order_by(Product.code)).all() == ["P1"]  # P7 rolled back


def test_listeners_see_every_statement_sent_to_the_driver(db) -> None:
    seen: list[tuple[str, object]] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _log(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    read = Prepared(select(_PRODUCTS.c.id).where(_PRODUCTS.c.code == bindparam("code")))
    with db.read() as session:
        prepared.rows(session, read, {"code": "X1"})
    sql = read.compiled(db.engine.dialect).sql
    assert [p for s, p in seen if s == sql] in ([("X1",)], [{"code": "X1"}])


def test_an_expanding_in_list_is_refused_when_compiled(db) -> None:
    stmt = Prepared(select(_PRODUCTS.c.id).where(_PRODUCTS.c.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="PreparedIn"), db.read() as session:
        prepared.rows(session, stmt, {"ids": [1, 2]})
