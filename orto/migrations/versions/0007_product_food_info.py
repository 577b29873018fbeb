"""labels: a product's net quantity per piece and the allergens it may contain

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_food_info",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("net_quantity", sa.Integer(), nullable=True),
        sa.Column("net_unit", sa.String(length=2), nullable=True),
        sa.Column("may_contain", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "net_quantity IS NULL OR net_quantity > 0", name=op.f("ck_product_food_info_net_quantity_positive")
        ),
        sa.CheckConstraint(
            "net_unit IS NULL OR net_unit IN ('g', 'ml')", name=op.f("ck_product_food_info_net_unit_known")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_product_food_info_product_id_products")),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_food_info")),
    )


def downgrade() -> None:
    op.drop_table("product_food_info")
