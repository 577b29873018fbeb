"""The cold chain (HACCP, Reg. 852/2004): each site's fridges, cold rooms and freezers with their
limits, and their temperature readings with the corrective action of any reading out of limit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orto.enums import ApplianceKind
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Appliance(Base):
    """Limits in tenths of °C (a cold room 0–4 °C is 0 and 40; a freezer ≤ -18 °C has max -180)."""

    __tablename__ = "appliances"
    __table_args__ = (CheckConstraint("min_dc IS NULL OR max_dc IS NULL OR min_dc <= max_dc", name="limits_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[ApplianceKind] = mapped_column(str_enum(ApplianceKind))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), default=None)
    min_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    max_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApplianceReading(Base):
    """One reading; the limits are copied so the register keeps what applied when it was taken."""

    __tablename__ = "appliance_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    appliance_id: Mapped[int] = mapped_column(ForeignKey("appliances.id"), index=True)
    value_dc: Mapped[int] = mapped_column(Integer)
    min_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    max_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    within_limit: Mapped[bool] = mapped_column(Boolean)
    corrective_action: Mapped[str | None] = mapped_column(Text, default=None)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
