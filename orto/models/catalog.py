"""Products, their barcodes, categories, price lists and near-expiry markdown rules.

Prices and costs are VAT-inclusive integer cents per *sale unit* (per piece, per kg, per litre);
stock quantities are integer *base units* (pieces, grams, millilitres).
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.allergens import Allergen
from orto.enums import BarcodeKind, DateType, StorageClass, Unit
from orto.models.base import AllergenSet, Base, str_enum


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # Bar quick-key grid group (coffee, drinks, food); None = not on the grid.
    quick_key_group: Mapped[str | None] = mapped_column(String(40), default=None)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("cost_cents >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), default=None)
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, 4))
    sold_by_weight: Mapped[bool] = mapped_column(Boolean, default=False)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    onsite_vat_rate_bp: Mapped[int | None] = mapped_column(Integer, default=None)
    price_cents: Mapped[int] = mapped_column(Integer)
    cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    plu: Mapped[int | None] = mapped_column(Integer, unique=True, default=None)
    allergens: Mapped[frozenset[Allergen]] = mapped_column(AllergenSet, default=frozenset)
    ingredients: Mapped[str] = mapped_column(Text, default="")
    storage_note: Mapped[str] = mapped_column(Text, default="")
    storage_class: Mapped[StorageClass] = mapped_column(str_enum(StorageClass, 16), default=StorageClass.AMBIENT)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer, default=None)
    date_type: Mapped[DateType | None] = mapped_column(str_enum(DateType), default=None)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), default=None)
    reorder_level: Mapped[int | None] = mapped_column(Integer, default=None)
    # Items that go to the kitchen or bar as an order ticket when sold or added to a tab.
    kitchen_item: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    category: Mapped[Category | None] = relationship()
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Barcode.id"
    )

    @property
    def base_per_unit(self) -> int:
        return self.unit.base_per_unit


class Barcode(Base):
    __tablename__ = "barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[BarcodeKind] = mapped_column(str_enum(BarcodeKind))

    product: Mapped[Product] = relationship(back_populates="barcodes")


class PriceList(Base):
    """The base list, the "Tessera di quartiere" social tariff, staff prices."""

    __tablename__ = "price_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    requires_card: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PriceRule(Base):
    """A percent off or a fixed price, for one product or a whole category (product wins)."""

    __tablename__ = "price_rules"
    __table_args__ = (
        UniqueConstraint("price_list_id", "product_id", "category_id"),
        CheckConstraint("(percent_off_bp IS NULL) <> (fixed_price_cents IS NULL)", name="percent_xor_fixed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(ForeignKey("price_lists.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), default=None)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), default=None)
    percent_off_bp: Mapped[int | None] = mapped_column(Integer, default=None)
    fixed_price_cents: Mapped[int | None] = mapped_column(Integer, default=None)


class MarkdownRule(Base):
    """Lots within ``days_before`` days of a best-before date get ``percent_bp`` off."""

    __tablename__ = "markdown_rules"
    __table_args__ = (UniqueConstraint("category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), default=None)  # None: all
    days_before: Mapped[int] = mapped_column(Integer)
    percent_bp: Mapped[int] = mapped_column(Integer)
