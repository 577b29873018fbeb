"""Waste records and donations (Law 166/2016), stock counts, cold-room temperature log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import CountStatus, WasteReason
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Donation(Base):
    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    organisation: Mapped[str] = mapped_column(String(160))
    organisation_address: Mapped[str] = mapped_column(String(200), default="")
    organisation_tax_code: Mapped[str] = mapped_column(String(20), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class WasteRecord(Base):
    __tablename__ = "waste_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)  # base units, positive
    reason: Mapped[WasteReason] = mapped_column(str_enum(WasteReason))
    value_cents: Mapped[int] = mapped_column(Integer)  # at lot cost
    note: Mapped[str] = mapped_column(Text, default="")
    donation_id: Mapped[int | None] = mapped_column(ForeignKey("donations.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class StockCount(Base):
    __tablename__ = "stock_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[CountStatus] = mapped_column(str_enum(CountStatus), default=CountStatus.OPEN)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    lines: Mapped[list[StockCountLine]] = relationship(order_by="StockCountLine.id")


class StockCountLine(Base):
    __tablename__ = "stock_count_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int | None] = mapped_column(Integer, default=None)
    value_cents: Mapped[int] = mapped_column(Integer, default=0)  # of the difference, at lot cost


class TemperatureLog(Base):
    """Cold-room and fridge readings (HACCP), with the corrective action when out of range."""

    __tablename__ = "temperature_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    temperature_dc: Mapped[int] = mapped_column(Integer)
    max_dc: Mapped[int] = mapped_column(Integer)
    corrective_action: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
