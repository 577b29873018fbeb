"""take-away at the bar: the choice on the sale and on each line (shelf VAT rate instead of on-site)

Revision ID: 0012
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy): existing sales and lines were all on site as rung
    op.add_column("sales", sa.Column("take_away", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("sale_lines", sa.Column("take_away", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("sale_lines") as batch:
        batch.drop_column("take_away")
    with op.batch_alter_table("sales") as batch:
        batch.drop_column("take_away")
