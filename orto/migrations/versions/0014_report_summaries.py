"""per-day summaries for the impact and waste reports: sale lines by lot, waste by day

Revision ID: 0014
Revises: 0011

The sales summaries written before this migration have no lots: they are derived data (never
audit), so they are emptied here and the next report rebuilds them with their lots, a few seconds
for a year.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REASONS = ("expired", "spoiled", "damaged", "unsold_prepared", "production_loss", "quality", "donated")


def upgrade() -> None:
    op.create_table(
        "sales_day_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_sales_day_lots_counter_id_counters")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_sales_day_lots_lot_id_lots")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_sales_day_lots_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_day_lots")),
    )
    op.create_index(op.f("ix_sales_day_lots_day"), "sales_day_lots", ["day"])
    op.create_table(
        "summary_watermarks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("through_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_summary_watermarks")),
    )
    op.create_table(
        "waste_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Enum(*_REASONS, name="wastereason", native_enum=False, length=24), nullable=False),
        sa.Column("through_id", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("value_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_waste_days_site_id_sites")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_waste_days_product_id_products")),
        sa.PrimaryKeyConstraint("day", "site_id", "product_id", "reason", "through_id", name=op.f("pk_waste_days")),
    )
    for table in ("sales_day_payments", "sales_day_hours", "sales_day_lines", "sales_day_marks"):
        op.execute(sa.text(f"DELETE FROM {table}"))


def downgrade() -> None:
    op.drop_table("waste_days")
    op.drop_table("summary_watermarks")
    op.drop_index(op.f("ix_sales_day_lots_day"), table_name="sales_day_lots")
    op.drop_table("sales_day_lots")
