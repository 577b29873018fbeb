"""catering: customers for invoices, social cards, quotes and orders, payments, accounts, DDT, invoices

Revision ID: 0009
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CUSTOMER_COLUMNS = (
    ("kind", sa.String(length=16), "business"),
    ("code", sa.String(length=24), None),
    ("fiscal_code", sa.String(length=16), None),
    ("postcode", sa.String(length=10), ""),
    ("town", sa.String(length=80), ""),
    ("province", sa.String(length=2), ""),
    ("country", sa.String(length=2), "IT"),
    ("sdi_code", sa.String(length=7), None),
    ("pec", sa.String(length=120), None),
    ("email", sa.String(length=120), ""),
    ("phone", sa.String(length=40), ""),
)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def upgrade() -> None:
    for name, type_, default in _CUSTOMER_COLUMNS:
        op.add_column(
            "customers",
            sa.Column(name, type_, nullable=default is None, server_default=default if default is not None else None),
        )
    op.add_column("customers", sa.Column("payment_days", sa.Integer(), nullable=False, server_default="30"))
    op.add_column("customers", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index(op.f("ix_customers_code"), "customers", ["code"], unique=True)

    op.create_table(
        "customer_cards",
        _id(),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("customer_cards", "customer_id", "customers"),
        _pk("customer_cards"),
        sa.UniqueConstraint("number", name=op.f("uq_customer_cards_number")),
    )
    op.create_index(op.f("ix_customer_cards_customer_id"), "customer_cards", ["customer_id"])

    op.create_table(
        "catering_orders",
        _id(),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("dietary", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("on_account", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("prepared_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        _fk("catering_orders", "customer_id", "customers"),
        _fk("catering_orders", "site_id", "sites"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_catering_orders_created_by_users")),
        _pk("catering_orders"),
        sa.UniqueConstraint("number", name=op.f("uq_catering_orders_number")),
    )
    for column in ("customer_id", "status", "event_at"):
        op.create_index(op.f(f"ix_catering_orders_{column}"), "catering_orders", [column])

    op.create_table(
        "catering_lines",
        _id(),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("recipe_id", sa.Integer(), nullable=True),
        sa.Column("per_person", sa.Boolean(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("portion", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_catering_lines_order_id_catering_orders")
        ),
        _fk("catering_lines", "product_id", "products"),
        _fk("catering_lines", "recipe_id", "recipes"),
        _pk("catering_lines"),
    )
    op.create_index(op.f("ix_catering_lines_order_id"), "catering_lines", ["order_id"])

    op.create_table(
        "invoices",
        _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=4), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("related_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("taxable_cents", sa.Integer(), nullable=False),
        sa.Column("vat_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("deducted_cents", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=40), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=True),
        sa.Column("state_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _fk("invoices", "customer_id", "customers"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_invoices_order_id_catering_orders")
        ),
        sa.ForeignKeyConstraint(["related_id"], ["invoices.id"], name=op.f("fk_invoices_related_id_invoices")),
        _fk("invoices", "user_id", "users"),
        _pk("invoices"),
        sa.UniqueConstraint("year", "number", name=op.f("uq_invoices_year_number")),
        sa.UniqueConstraint("file_name", name=op.f("uq_invoices_file_name")),
    )
    op.create_index(op.f("ix_invoices_customer_id"), "invoices", ["customer_id"])
    op.create_index(op.f("ix_invoices_order_id"), "invoices", ["order_id"])

    op.create_table(
        "catering_payments",
        _id(),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=True),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_catering_payments_order_id_catering_orders")
        ),
        _fk("catering_payments", "customer_id", "customers"),
        _fk("catering_payments", "sale_id", "sales"),
        _fk("catering_payments", "invoice_id", "invoices"),
        _fk("catering_payments", "user_id", "users"),
        _pk("catering_payments"),
    )
    op.create_index(op.f("ix_catering_payments_order_id"), "catering_payments", ["order_id"])
    op.create_index(op.f("ix_catering_payments_customer_id"), "catering_payments", ["customer_id"])

    op.create_table(
        "account_entries",
        _id(),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("tab_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _fk("account_entries", "customer_id", "customers"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_account_entries_order_id_catering_orders")
        ),
        _fk("account_entries", "tab_id", "tabs"),
        _fk("account_entries", "user_id", "users"),
        _pk("account_entries"),
    )
    op.create_index(op.f("ix_account_entries_customer_id"), "account_entries", ["customer_id"])

    op.create_table(
        "lot_reservations",
        _id(),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_lot_reservations_order_id_catering_orders")
        ),
        _fk("lot_reservations", "lot_id", "lots"),
        _pk("lot_reservations"),
    )
    op.create_index(op.f("ix_lot_reservations_order_id"), "lot_reservations", ["order_id"])
    op.create_index(op.f("ix_lot_reservations_lot_id"), "lot_reservations", ["lot_id"])

    op.create_table(
        "delivery_notes",
        _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["catering_orders.id"], name=op.f("fk_delivery_notes_order_id_catering_orders")
        ),
        _fk("delivery_notes", "location_id", "locations"),
        _fk("delivery_notes", "user_id", "users"),
        _pk("delivery_notes"),
        sa.UniqueConstraint("year", "number", name=op.f("uq_delivery_notes_year_number")),
    )
    op.create_index(op.f("ix_delivery_notes_order_id"), "delivery_notes", ["order_id"])

    op.create_table(
        "delivery_note_items",
        _id(),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["delivery_notes.id"], name=op.f("fk_delivery_note_items_note_id_delivery_notes")
        ),
        _fk("delivery_note_items", "product_id", "products"),
        _fk("delivery_note_items", "lot_id", "lots"),
        _pk("delivery_note_items"),
    )
    op.create_index(op.f("ix_delivery_note_items_note_id"), "delivery_note_items", ["note_id"])
    op.create_index(op.f("ix_delivery_note_items_lot_id"), "delivery_note_items", ["lot_id"])


def downgrade() -> None:
    for table in (
        "delivery_note_items",
        "delivery_notes",
        "lot_reservations",
        "account_entries",
        "catering_payments",
        "invoices",
        "catering_lines",
        "catering_orders",
        "customer_cards",
    ):
        op.drop_table(table)
    op.drop_index(op.f("ix_customers_code"), table_name="customers")
    with op.batch_alter_table("customers") as batch:
        for name, _type, _default in _CUSTOMER_COLUMNS:
            batch.drop_column(name)
        batch.drop_column("payment_days")
        batch.drop_column("active")
