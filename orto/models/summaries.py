"""Per-day summaries of the sales of closed days, which the sales report reads instead of the lines.

Keyed by Milan day and counter; integers only (cents, base units). A (day, counter) is written
once, by ``pos.reports.summaries.ensure_summaries``, and marked in ``sales_day_marks``: past days
never change (a refund is a new sale on its own day; a parked sale counts on the day it completes),
so a summarised day stays true.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from orto.enums import PaymentMethod, SaleKind
from orto.models.base import Base, str_enum


class SalesDayMark(Base):
    """This (day, counter) is summarised: its rows below are the whole day."""

    __tablename__ = "sales_day_marks"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)


class SalesDayLine(Base):
    """Sale lines by product and VAT rate; quantity signed (refund lines negative), total signed."""

    __tablename__ = "sales_day_lines"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    vat_rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)  # pieces or grams
    total_cents: Mapped[int] = mapped_column(Integer)


class SalesDayHour(Base):
    """Completed sales by local hour, kind and social tariff: how many and their total."""

    __tablename__ = "sales_day_hours"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-23, Milan time
    kind: Mapped[SaleKind] = mapped_column(str_enum(SaleKind), primary_key=True)
    social: Mapped[bool] = mapped_column(Boolean, primary_key=True)  # the tessera's price list
    sales: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)


class SalesDayPayment(Base):
    """Payments of the day's completed sales by method."""

    __tablename__ = "sales_day_payments"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod), primary_key=True)
    payments: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)


__all__ = ["SalesDayHour", "SalesDayLine", "SalesDayMark", "SalesDayPayment"]
