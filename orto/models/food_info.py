"""What a pre-packed food's label needs beyond the catalog row (Reg. EU 1169/2011).

One optional row per product: the net quantity of one piece (art. 23; products sold by weight
are weighed instead) and the allergens it may contain through cross-contact ("può contenere").
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orto.allergens import Allergen
from orto.models.base import AllergenSet, Base

NET_UNITS = ("g", "ml")


class ProductFoodInfo(Base):
    __tablename__ = "product_food_info"
    __table_args__ = (
        CheckConstraint("net_quantity IS NULL OR net_quantity > 0", name="net_quantity_positive"),
        CheckConstraint("net_unit IS NULL OR net_unit IN ('g', 'ml')", name="net_unit_known"),
    )

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    net_quantity: Mapped[int | None] = mapped_column(Integer, default=None)  # of one piece, in net_unit
    net_unit: Mapped[str | None] = mapped_column(String(2), default=None)
    may_contain: Mapped[frozenset[Allergen]] = mapped_column(AllergenSet, default=frozenset, server_default="0")
