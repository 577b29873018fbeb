"""per-day summaries of closed days' sales, read by the sales report instead of the lines

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f(f"fk_{table}_counter_id_counters")),
    ]


def upgrade() -> None:
    op.create_table(
        "sales_day_marks",
        *_keys("sales_day_marks"),
        sa.PrimaryKeyConstraint("day", "counter_id", name=op.f("pk_sales_day_marks")),
    )
    op.create_table(
        "sales_day_lines",
        *_keys("sales_day_lines"),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_sales_day_lines_product_id_products")),
        sa.PrimaryKeyConstraint("day", "counter_id", "product_id", "vat_rate_bp", name=op.f("pk_sales_day_lines")),
    )
    op.create_table(
        "sales_day_hours",
        *_keys("sales_day_hours"),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("sale", "refund", name="salekind", native_enum=False, length=24), nullable=False),
        sa.Column("social", sa.Boolean(), nullable=False),
        sa.Column("sales", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "counter_id", "hour", "kind", "social", name=op.f("pk_sales_day_hours")),
    )
    op.create_table(
        "sales_day_payments",
        *_keys("sales_day_payments"),
        sa.Column(
            "method",
            sa.Enum(
                "cash", "card", "voucher", "gift_card", "solidarity", name="paymentmethod", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "counter_id", "method", name=op.f("pk_sales_day_payments")),
    )


def downgrade() -> None:
    for table in ("sales_day_payments", "sales_day_hours", "sales_day_lines", "sales_day_marks"):
        op.drop_table(table)
