"""Per-day summaries of the sales of closed days, which the sales report reads instead of the lines.

Keyed by Milan day and counter; integers only (cents, base units). A (day, counter) is written
once, by ``pos.reports.summaries.ensure_summaries``, and marked in ``sales_day_marks``: past days
never change (a refund is a new sale on its own day; a parked sale counts on the day it completes),
so a summarised day stays true.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orto.enums import PaymentMethod, SaleKind, WasteReason
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


class SalesDayLot(Base):
    """Sale lines by the lot they sold (the line's lot, else the lot its stock movement took; none
    for untracked goods) and product, for the impact report's km0 share of sales. Written with
    the day's other sales summaries, under the same ``sales_day_marks``."""

    __tablename__ = "sales_day_lots"

    id: Mapped[int] = mapped_column(primary_key=True)  # the lot may be none: not in the key
    day: Mapped[date] = mapped_column(Date, index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), default=None)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # signed: refund lines negative
    total_cents: Mapped[int] = mapped_column(Integer)


class SummaryWatermark(Base):
    """The records of a table summarised so far: every id up to ``through_id``, and none after.

    Waste can land on a day that is already summarised (a till whose clock is late, a transaction
    that committed after midnight), so these summaries are cut by id, not by day: what is after
    the watermark is read raw, whatever its day, and summarised the next time onto its own day.
    """

    __tablename__ = "summary_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    through_id: Mapped[int] = mapped_column(Integer)


class WasteDay(Base):
    """Waste records by Milan day, site, product and reason: how many, base units, value at cost.

    One summarising run writes one row per key; a later run that finds late records of the same
    day adds its own row (``through_id``), so readers always sum."""

    __tablename__ = "waste_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    reason: Mapped[WasteReason] = mapped_column(str_enum(WasteReason), primary_key=True)
    through_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the run's watermark
    records: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(Integer)


__all__ = [
    "SalesDayHour",
    "SalesDayLine",
    "SalesDayLot",
    "SalesDayMark",
    "SalesDayPayment",
    "SummaryWatermark",
    "WasteDay",
]
