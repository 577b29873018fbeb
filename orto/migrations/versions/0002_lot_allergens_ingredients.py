"""lab lots carry their inputs' allergens and ingredient list; batch inputs name their location

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lots") as batch:
        batch.add_column(sa.Column("allergens", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("ingredients", sa.Text(), nullable=True))
    with op.batch_alter_table("batch_inputs") as batch:
        batch.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_batch_inputs_location_id_locations"), "locations", ["location_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("batch_inputs") as batch:
        batch.drop_constraint(batch.f("fk_batch_inputs_location_id_locations"), type_="foreignkey")
        batch.drop_column("location_id")
    with op.batch_alter_table("lots") as batch:
        batch.drop_column("ingredients")
        batch.drop_column("allergens")
