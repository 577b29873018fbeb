"""gift cards sold and topped up at the till: their loads on a sale, a card's expiry

Revision ID: 0011
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales") as batch:
        batch.add_column(sa.Column("gift_cards_cents", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("gift_cards") as batch:
        batch.add_column(sa.Column("expires_on", sa.Date(), nullable=True))
    op.create_table(
        "gift_card_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("gift_card_id", sa.Integer(), nullable=True),
        sa.Column("balance_cents", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_gift_card_loads_amount_positive")),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_gift_card_loads_sale_id_sales")),
        sa.ForeignKeyConstraint(
            ["gift_card_id"], ["gift_cards.id"], name=op.f("fk_gift_card_loads_gift_card_id_gift_cards")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_gift_card_loads_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_card_loads")),
    )
    op.create_index(op.f("ix_gift_card_loads_sale_id"), "gift_card_loads", ["sale_id"], unique=False)
    op.create_index(op.f("ix_gift_card_loads_code"), "gift_card_loads", ["code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_gift_card_loads_code"), table_name="gift_card_loads")
    op.drop_index(op.f("ix_gift_card_loads_sale_id"), table_name="gift_card_loads")
    op.drop_table("gift_card_loads")
    with op.batch_alter_table("gift_cards") as batch:
        batch.drop_column("expires_on")
    with op.batch_alter_table("sales") as batch:
        batch.drop_column("gift_cards_cents")
