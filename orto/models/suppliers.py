"""Farms and other suppliers, with their distance to each site (km0 is derived, not stored)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import SupplierKind
from orto.models.base import Base, str_enum


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # a producer's food can be km0; a distributor's only through a lot's producer of origin
    kind: Mapped[SupplierKind] = mapped_column(str_enum(SupplierKind, 16), default=SupplierKind.FARM)
    vat_number: Mapped[str | None] = mapped_column(String(20), default=None)
    address: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    organic_certified: Mapped[bool] = mapped_column(Boolean, default=False)
    organic_cert_code: Mapped[str | None] = mapped_column(String(60), default=None)
    organic_cert_expiry: Mapped[date | None] = mapped_column(Date, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    distances: Mapped[list[SupplierDistance]] = relationship(back_populates="supplier", cascade="all, delete-orphan")


class SupplierDistance(Base):
    __tablename__ = "supplier_distances"
    __table_args__ = (UniqueConstraint("supplier_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    distance_km: Mapped[int] = mapped_column(Integer)

    supplier: Mapped[Supplier] = relationship(back_populates="distances")
