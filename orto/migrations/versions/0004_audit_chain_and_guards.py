"""the audit chain (prev_hash, hash) and triggers that keep the audit and the ledger as written

Revision ID: 0004
Revises: 0003

See docs/security.md, "What the database enforces".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, what is refused, the condition on OLD/NEW under which it is refused)
_SALE_FIGURES = (
    "uuid",
    "kind",
    "status",
    "number",
    "counter_id",
    "shift_id",
    "user_id",
    "original_sale_id",
    "completed_at",
    "sale_discount_bp",
    "sale_discount_cents",
    "total_cents",
    "discount_cents",
)
_PAYMENT_FIGURES = ("sale_id", "method", "amount_cents", "tendered_cents", "change_cents", "reference", "at")
_Z_FIGURES = ("counter_id", "number", "business_date", "created_at", "created_by", "totals")


def _changed(columns: Sequence[str], dialect: str) -> str:
    def one(c: str) -> str:
        if dialect == "postgresql" and c == "totals":  # json has no equality operator
            return "NEW.totals::text IS DISTINCT FROM OLD.totals::text"
        return f"NEW.{c} IS DISTINCT FROM OLD.{c}" if dialect == "postgresql" else f"NEW.{c} IS NOT OLD.{c}"

    return " OR ".join(one(c) for c in columns)


def _guards(dialect: str) -> list[tuple[str, str, str, str]]:
    """(name, event, table, condition or '' for always)."""
    return [
        ("audit_log_no_update", "UPDATE", "audit_log", ""),
        ("audit_log_no_delete", "DELETE", "audit_log", ""),
        ("stock_movements_no_update", "UPDATE", "stock_movements", ""),
        ("stock_movements_no_delete", "DELETE", "stock_movements", ""),
        ("payments_no_delete", "DELETE", "payments", ""),
        ("payments_no_update", "UPDATE", "payments", _changed(_PAYMENT_FIGURES, dialect)),
        ("z_reports_no_delete", "DELETE", "z_reports", ""),
        ("z_reports_no_update", "UPDATE", "z_reports", _changed(_Z_FIGURES, dialect)),
        ("sales_completed_no_delete", "DELETE", "sales", "OLD.status = 'completed'"),
        (
            "sales_completed_no_update",
            "UPDATE",
            "sales",
            f"OLD.status = 'completed' AND ({_changed(_SALE_FIGURES, dialect)})",
        ),
    ]


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing()
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION orto_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'orto: % of % refused: % rows are kept as written (docs/security.md)',
                    TG_OP, TG_TABLE_NAME, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
            END $$
            """
        )
    for name, event, table, condition in _guards(dialect):
        if dialect == "postgresql":
            when = f"WHEN ({condition})" if condition else ""
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW {when} EXECUTE FUNCTION orto_refuse()"
            )
        else:
            when = f"WHEN {condition}" if condition else ""
            message = f"orto: {event} of {table} refused: {table} rows are kept as written (docs/security.md)"
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} {when} BEGIN SELECT RAISE(ABORT, '{message}'); END")


def _chain_existing() -> None:
    """Entries written before this revision get their place in the chain, oldest first."""
    from orto.audit import entry_hash

    entries = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("action", sa.String),
        sa.column("user_id", sa.Integer),
        sa.column("approver_id", sa.Integer),
        sa.column("site_id", sa.Integer),
        sa.column("counter_id", sa.Integer),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("details", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    bind = op.get_bind()
    previous = None
    for row in bind.execute(sa.select(entries).order_by(entries.c.id)).mappings().all():
        values = dict(row)
        values["prev_hash"] = previous
        previous = entry_hash(values)
        bind.execute(entries.update().where(entries.c.id == row["id"]).values(prev_hash=values["prev_hash"], hash=previous))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, _event, table, _condition in _guards(dialect):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if dialect == "postgresql" else f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS orto_refuse()")
    op.drop_column("audit_log", "hash")
    op.drop_column("audit_log", "prev_hash")
