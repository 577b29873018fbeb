"""Deliveries from farms with their reception checks, returns to suppliers, transfers between sites."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import DateType, TransferStatus
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    note_number: Mapped[str] = mapped_column(String(60), default="")  # the DDT number
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[DeliveryLine]] = relationship(back_populates="delivery", order_by="DeliveryLine.id")


class DeliveryLine(Base):
    __tablename__ = "delivery_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # base units
    unit_cost_cents: Mapped[int] = mapped_column(Integer)  # per sale unit
    supplier_lot_code: Mapped[str | None] = mapped_column(String(60), default=None)
    expiry: Mapped[date | None] = mapped_column(Date, default=None)
    date_type: Mapped[DateType | None] = mapped_column(str_enum(DateType), default=None)
    # Reception checks (HACCP): temperature in tenths of a degree Celsius.
    temperature_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    packaging_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    reject_reason: Mapped[str | None] = mapped_column(Text, default=None)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id", use_alter=True), default=None)
    # who produced the food, when the supplier is a distributor (a supplier that is a producer)
    origin_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), default=None)

    delivery: Mapped[Delivery] = relationship(back_populates="lines")


class SupplierReturn(Base):
    __tablename__ = "supplier_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), default=None)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class SupplierReturnLine(Base):
    __tablename__ = "supplier_return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("supplier_returns.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column(Integer)


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[TransferStatus] = mapped_column(str_enum(TransferStatus), default=TransferStatus.IN_TRANSIT)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[TransferLine]] = relationship(back_populates="transfer", order_by="TransferLine.id")


class TransferLine(Base):
    __tablename__ = "transfer_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity_sent: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int | None] = mapped_column(Integer, default=None)
    difference_note: Mapped[str | None] = mapped_column(Text, default=None)

    transfer: Mapped[Transfer] = relationship(back_populates="lines")
