"""Lots, stock on hand and the append-only stock ledger; recalls that block a lot from sale."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.allergens import Allergen
from orto.enums import DateType, LotOrigin, MovementKind
from orto.models.base import AllergenSet, Base, UtcDateTime, str_enum, utcnow
from orto.models.catalog import Product


class Lot(Base):
    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    expiry: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    date_type: Mapped[DateType | None] = mapped_column(str_enum(DateType), default=None)
    origin: Mapped[LotOrigin] = mapped_column(str_enum(LotOrigin))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), default=None)
    supplier_lot_code: Mapped[str | None] = mapped_column(String(60), default=None)
    delivery_line_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_lines.id"), default=None)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), default=None)
    received_on: Mapped[date] = mapped_column(Date)  # received, or produced by the lab
    unit_cost_cents: Mapped[int] = mapped_column(Integer, default=0)  # per sale unit, like prices
    # Set while a lab batch waits for a manager's release: the lot cannot be sold.
    hold_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # A lab lot carries what went into it: the union of its inputs' allergens (added to the
    # product's on the label, never instead of them) and its ingredients by descending weight.
    allergens: Mapped[frozenset[Allergen]] = mapped_column(AllergenSet, default=frozenset, server_default="0")
    ingredients: Mapped[str | None] = mapped_column(Text, default=None)

    product: Mapped[Product] = relationship()


class StockLevel(Base):
    """On hand per (location, lot), changed only together with a StockMovement."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("location_id", "lot_id"),
        Index("ix_stock_levels_product_location", "product_id", "location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=0)


class StockMovement(Base):
    """Append-only. ``quantity`` is signed: positive into the location, negative out of it."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_lot", "lot_id", "at"),
        Index("ix_stock_movements_product_at", "product_id", "at"),
        Index("ix_stock_movements_doc", "doc_type", "doc_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    kind: Mapped[MovementKind] = mapped_column(str_enum(MovementKind))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # The document that caused it: ("sale_line", id), ("delivery_line", id), ("waste", id), ...
    doc_type: Mapped[str | None] = mapped_column(String(32), default=None)
    doc_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Recall(Base):
    """While open (``lifted_at`` is None) the lot is refused at every site."""

    __tablename__ = "recalls"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    lifted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # why a lot made from a lifted lot stays recalled (the manager's reason, for the register)
    kept_reason: Mapped[str | None] = mapped_column(Text, default=None)
