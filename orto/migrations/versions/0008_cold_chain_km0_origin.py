"""the cold chain (appliances and their readings), supplier kinds and a lot's producer of origin
for km0, products' storage class for the reception check, the reason a derived recall is kept

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appliances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("fridge", "cold_room", "freezer", name="appliancekind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("min_dc", sa.Integer(), nullable=True),
        sa.Column("max_dc", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "min_dc IS NULL OR max_dc IS NULL OR min_dc <= max_dc", name=op.f("ck_appliances_limits_ordered")
        ),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_appliances_location_id_locations")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_appliances_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appliances")),
        sa.UniqueConstraint("code", name=op.f("uq_appliances_code")),
    )
    op.create_index(op.f("ix_appliances_site_id"), "appliances", ["site_id"], unique=False)
    op.create_table(
        "appliance_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appliance_id", sa.Integer(), nullable=False),
        sa.Column("value_dc", sa.Integer(), nullable=False),
        sa.Column("min_dc", sa.Integer(), nullable=True),
        sa.Column("max_dc", sa.Integer(), nullable=True),
        sa.Column("within_limit", sa.Boolean(), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appliance_id"], ["appliances.id"], name=op.f("fk_appliance_readings_appliance_id_appliances")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_appliance_readings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appliance_readings")),
    )
    op.create_index(op.f("ix_appliance_readings_appliance_id"), "appliance_readings", ["appliance_id"], unique=False)
    op.create_index(op.f("ix_appliance_readings_taken_at"), "appliance_readings", ["taken_at"], unique=False)
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(
            sa.Column(
                "kind",
                sa.Enum("farm", "lab", "distributor", name="supplierkind", native_enum=False, length=16),
                nullable=False,
                server_default="farm",
            )
        )
    with op.batch_alter_table("delivery_lines") as batch:
        batch.add_column(sa.Column("origin_supplier_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_delivery_lines_origin_supplier_id_suppliers"), "suppliers", ["origin_supplier_id"], ["id"]
        )
    with op.batch_alter_table("products") as batch:
        batch.add_column(
            sa.Column(
                "storage_class",
                sa.Enum("ambient", "chilled", "frozen", name="storageclass", native_enum=False, length=16),
                nullable=False,
                server_default="ambient",
            )
        )
    with op.batch_alter_table("recalls") as batch:
        batch.add_column(sa.Column("kept_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recalls") as batch:
        batch.drop_column("kept_reason")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("storage_class")
    with op.batch_alter_table("delivery_lines") as batch:
        batch.drop_constraint(batch.f("fk_delivery_lines_origin_supplier_id_suppliers"), type_="foreignkey")
        batch.drop_column("origin_supplier_id")
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("kind")
    op.drop_index(op.f("ix_appliance_readings_taken_at"), table_name="appliance_readings")
    op.drop_index(op.f("ix_appliance_readings_appliance_id"), table_name="appliance_readings")
    op.drop_table("appliance_readings")
    op.drop_index(op.f("ix_appliances_site_id"), table_name="appliances")
    op.drop_table("appliances")
