"""who completed each sale and refund (the operator logged in at payment)

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_operators",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_operators_sale_id_sales")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sale_operators_user_id_users")),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_operators")),
    )
    op.create_index(op.f("ix_sale_operators_user_id"), "sale_operators", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sale_operators_user_id"), table_name="sale_operators")
    op.drop_table("sale_operators")
