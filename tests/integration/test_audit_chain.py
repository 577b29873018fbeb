"""The database itself keeps the audit, the ledger, payments, completed sales and Z reports as
written, on both engines; and a row edited behind the triggers' back is found by the chain."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from orto.db import Database
from orto.models import AuditEntry, Payment, PaymentMethod, Sale, StockMovement
from pos import selling
from pos.cli.app import main_group
from pos.selling.checkout import PaymentInput
from tests.shop import Shop, build_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


def _a_paid_sale(db: Database, shop: Shop) -> int:
    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "JAM")
    selling.set_quantity(db, sale.id, shop.cashier, sale.lines[0].id, 2)
    sale = selling.set_quantity(db, sale.id, shop.cashier, sale.lines[0].id, 1)
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 490)])
    return sale.id


def _refused(db: Database, sql: str, **params: object) -> None:
    with pytest.raises(DBAPIError, match="refused"), db.write() as session:
        session.execute(text(sql), params)


def test_the_database_refuses_rewriting_what_an_audit_needs(db: Database, shop: Shop) -> None:
    sale_id = _a_paid_sale(db, shop)
    z = selling.z_report(db, None, shop.counter, shop.manager, print_it=False) if False else None
    del z
    _refused(db, "UPDATE audit_log SET action = 'nothing' WHERE id = (SELECT MAX(id) FROM audit_log)")
    _refused(db, "DELETE FROM audit_log")
    _refused(db, "UPDATE stock_movements SET quantity = 0")
    _refused(db, "DELETE FROM stock_movements")
    _refused(db, "DELETE FROM payments")
    _refused(db, "UPDATE payments SET amount_cents = 1")
    _refused(db, "UPDATE sales SET total_cents = 1 WHERE id = :id", id=sale_id)
    _refused(db, "UPDATE sales SET status = 'cancelled' WHERE id = :id", id=sale_id)
    _refused(db, "DELETE FROM sales WHERE id = :id", id=sale_id)
    with db.write() as session:  # what a documented state change needs stays possible
        session.execute(text("UPDATE sales SET note = 'cliente abituale' WHERE id = :id"), {"id": sale_id})
    with db.read() as session:
        sale = session.get(Sale, sale_id)
        assert sale is not None and sale.total_cents == 490 and sale.note == "cliente abituale"
        assert session.scalar(select(func.sum(Payment.amount_cents))) == 490
        assert session.scalar(select(func.count()).select_from(StockMovement)) > 0


def test_z_reports_are_kept_as_written(db: Database, shop: Shop) -> None:
    _a_paid_sale(db, shop)
    selling.close_shift(db, shop.counter, shop.cashier, {})
    report = selling.z_report(db, shop.settings, shop.counter, shop.manager, print_it=False)
    _refused(db, "UPDATE z_reports SET number = 99 WHERE id = :id", id=report.id)
    _refused(db, "DELETE FROM z_reports")


def _drop_guard(db: Database, name: str, table: str) -> None:
    with db.write() as session:
        session.execute(
            text(f"DROP TRIGGER {name} ON {table}" if db.dialect == "postgresql" else f"DROP TRIGGER {name}")
        )


def test_an_edited_or_deleted_entry_breaks_the_chain(
    db: Database, shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    _a_paid_sale(db, shop)
    assert main_group(["--db", db.url, "--lang", "en", "audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert len(entries) >= 4 and all(e.hash for e in entries)
    assert all(b.prev_hash == a.hash for a, b in pairwise(entries))
    victim = entries[2]
    _drop_guard(db, "audit_log_no_update", "audit_log")
    with db.write() as session:
        session.execute(
            text("UPDATE audit_log SET user_id = :u WHERE id = :id"), {"u": shop.manager.id, "id": victim.id}
        )
    assert main_group(["--db", db.url, "--lang", "en", "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"audit entry {victim.id} (" in err and f", {victim.action}) does not match: content changed" in err
    _drop_guard(db, "audit_log_no_delete", "audit_log")
    with db.write() as session:
        session.execute(
            text("UPDATE audit_log SET user_id = :u WHERE id = :id"), {"u": victim.user_id, "id": victim.id}
        )
        session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entries[1].id})
    assert main_group(["--db", db.url, "--lang", "en", "audit", "verify"]) == 1
    assert f"audit entry {victim.id} (" in capsys.readouterr().err  # the one after the gap
