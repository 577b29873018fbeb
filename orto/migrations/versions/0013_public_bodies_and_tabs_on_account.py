"""catering: invoices to public bodies (FPA12: order reference, CIG, CUP) and bar tabs on account

Customers get ``account_allowed`` (who may run a bar tab on account) and the default order
reference, CIG and CUP of a public body; an order may carry its own; an account charge names the
invoice that documents it (a tab's TD01).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFERENCES = (
    ("order_ref", sa.String(length=20)),
    ("cig", sa.String(length=10)),
    ("cup", sa.String(length=15)),
)


def upgrade() -> None:
    op.add_column("customers", sa.Column("account_allowed", sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in ("customers", "catering_orders"):
        for name, type_ in _REFERENCES:
            op.add_column(table, sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("account_entries") as batch:
        batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_account_entries_invoice_id_invoices"), "invoices", ["invoice_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("account_entries") as batch:
        batch.drop_constraint(op.f("fk_account_entries_invoice_id_invoices"), type_="foreignkey")
        batch.drop_column("invoice_id")
    for table in ("catering_orders", "customers"):
        with op.batch_alter_table(table) as batch:
            for name, _type in _REFERENCES:
                batch.drop_column(name)
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("account_allowed")
