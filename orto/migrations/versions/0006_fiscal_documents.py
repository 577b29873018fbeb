"""fiscal documents on an RT, the RT's daily closures and the lotteria codes of sales

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fiscal_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("printer", sa.String(length=60), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("refers_to_id", sa.Integer(), nullable=True),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("sent_after_z", sa.Integer(), nullable=True),
        sa.Column("sent_after_number", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("rt_serial", sa.String(length=20), nullable=True),
        sa.Column("z_number", sa.Integer(), nullable=True),
        sa.Column("doc_number", sa.Integer(), nullable=True),
        sa.Column("rt_date", sa.String(length=8), nullable=True),
        sa.Column("rt_time", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_fiscal_documents_sale_id_sales")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_fiscal_documents_counter_id_counters")),
        sa.ForeignKeyConstraint(
            ["refers_to_id"], ["fiscal_documents.id"], name=op.f("fk_fiscal_documents_refers_to_id_fiscal_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_documents")),
        sa.UniqueConstraint("sale_id", "kind", name=op.f("uq_fiscal_documents_sale_id_kind")),
    )
    op.create_index("ix_fiscal_documents_printer_status", "fiscal_documents", ["printer", "status", "id"])
    op.create_table(
        "fiscal_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("printer", sa.String(length=60), nullable=False),
        sa.Column("rt_serial", sa.String(length=20), nullable=False),
        sa.Column("z_number", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("rt_totals", sa.JSON(), nullable=False),
        sa.Column("orto_totals", sa.JSON(), nullable=False),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_fiscal_closures_counter_id_counters")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_fiscal_closures_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_closures")),
        sa.UniqueConstraint("printer", "z_number", name=op.f("uq_fiscal_closures_printer_z_number")),
    )
    op.create_table(
        "sale_lottery_codes",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_lottery_codes_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_lottery_codes")),
    )


def downgrade() -> None:
    op.drop_table("sale_lottery_codes")
    op.drop_table("fiscal_closures")
    op.drop_index("ix_fiscal_documents_printer_status", table_name="fiscal_documents")
    op.drop_table("fiscal_documents")
