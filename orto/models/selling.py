"""Shifts, sales (and refunds), payments, gift cards, the spesa-sospesa fund, bar tabs, Z reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import FundMovementKind, GiftCardLoadKind, PaymentMethod, SaleKind, SaleStatus, ShiftStatus, TabStatus
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Shift(Base):
    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), index=True)
    status: Mapped[ShiftStatus] = mapped_column(str_enum(ShiftStatus), default=ShiftStatus.OPEN)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opening_float_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Denominations counted at opening/closing: {"5000": 2, "200": 5} (cents -> pieces).
    opening_count: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    closing_count: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
    counted_cash_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    expected_cash_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    difference_cents: Mapped[int | None] = mapped_column(Integer, default=None)


class CashMovement(Base):
    """Cash put into or taken out of the drawer outside a sale (change fund, paying a farmer)."""

    __tablename__ = "cash_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)  # signed: + in, - out
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ZReport(Base):
    """A closed day's totals for a counter. Written once, never updated."""

    __tablename__ = "z_reports"
    __table_args__ = (UniqueConstraint("counter_id", "number"), UniqueConstraint("counter_id", "business_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    number: Mapped[int] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        Index("ix_sales_counter_status", "counter_id", "status"),
        Index("ix_sales_completed_at", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # made when the sale starts
    kind: Mapped[SaleKind] = mapped_column(str_enum(SaleKind), default=SaleKind.SALE)
    status: Mapped[SaleStatus] = mapped_column(str_enum(SaleStatus), default=SaleStatus.OPEN)
    number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)  # on completion
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"), default=None)
    customer_card: Mapped[str | None] = mapped_column(String(40), default=None)  # tessera di quartiere
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), default=None)
    original_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), default=None)
    tab_id: Mapped[int | None] = mapped_column(ForeignKey("tabs.id"), default=None)
    onsite: Mapped[bool] = mapped_column(Boolean, default=False)  # served at the bar: on-site VAT
    take_away: Mapped[bool] = mapped_column(Boolean, default=False)  # the whole sale taken away: new lines too
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # Whole-sale discount as typed (percent in bp or an amount); its cents are spread on lines.
    sale_discount_bp: Mapped[int | None] = mapped_column(Integer, default=None)
    sale_discount_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    # gift cards sold or topped up on this sale (gift_card_loads): part of total_cents, outside VAT
    gift_cards_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    note: Mapped[str | None] = mapped_column(Text, default=None)

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.position", foreign_keys="SaleLine.sale_id"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="sale", order_by="Payment.id")


class SaleLine(Base):
    __tablename__ = "sale_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    description: Mapped[str] = mapped_column(String(120))  # the name as sold
    quantity: Mapped[int] = mapped_column(Integer)  # pieces, or grams for weighed items
    weighed: Mapped[bool] = mapped_column(Boolean, default=False)
    list_price_cents: Mapped[int] = mapped_column(Integer)  # base list, per piece or kg
    unit_price_cents: Mapped[int] = mapped_column(Integer)  # after price list or override
    price_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), default=None)  # lot scanned/chosen
    markdown_cents: Mapped[int] = mapped_column(Integer, default=0)  # near-expiry
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)  # line + share of sale discount
    line_discount_bp: Mapped[int | None] = mapped_column(Integer, default=None)
    line_discount_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    take_away: Mapped[bool] = mapped_column(Boolean, default=False)  # at the bar: shelf rate (orto.vat_choice)
    total_cents: Mapped[int] = mapped_column(Integer)  # what the customer pays for the line
    scanned_code: Mapped[str | None] = mapped_column(String(32), default=None)
    original_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_lines.id"), default=None)
    kitchen_item: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    restock: Mapped[bool | None] = mapped_column(Boolean, default=None)  # refunds: back to lot or waste

    sale: Mapped[Sale] = relationship(back_populates="lines", foreign_keys=[sale_id])


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    amount_cents: Mapped[int] = mapped_column(Integer)  # applied to the sale (negative on refunds)
    tendered_cents: Mapped[int | None] = mapped_column(Integer, default=None)  # cash handed over
    change_cents: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str | None] = mapped_column(String(80), default=None)  # voucher, card, referral
    gift_card_id: Mapped[int | None] = mapped_column(ForeignKey("gift_cards.id"), default=None)
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("solidarity_funds.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    sale: Mapped[Sale] = relationship(back_populates="payments")


class GiftCard(Base):
    __tablename__ = "gift_cards"
    __table_args__ = (CheckConstraint("balance_cents >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    balance_cents: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)  # last day it may be used


class GiftCardLoad(Base):
    """A gift card sold (``new``) or topped up (``top_up``) on a sale: a line of the sale outside VAT.

    Written while the sale is open; the card's balance is credited (and a new card created) only
    by the sale's completion, in its transaction. A cancelled sale keeps its loads, never loaded.
    """

    __tablename__ = "gift_card_loads"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    kind: Mapped[GiftCardLoadKind] = mapped_column(str_enum(GiftCardLoadKind, 8))
    code: Mapped[str] = mapped_column(String(40), index=True)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)  # the code made by Orto (its own slip)
    amount_cents: Mapped[int] = mapped_column(Integer)
    gift_card_id: Mapped[int | None] = mapped_column(ForeignKey("gift_cards.id"), default=None)  # once loaded
    balance_cents: Mapped[int | None] = mapped_column(Integer, default=None)  # the card's balance after it
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class GiftCardMovement(Base):
    __tablename__ = "gift_card_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    gift_card_id: Mapped[int] = mapped_column(ForeignKey("gift_cards.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)  # signed
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SolidarityFund(Base):
    """Spesa sospesa: credit donated by customers, spent by referred households."""

    __tablename__ = "solidarity_funds"
    __table_args__ = (CheckConstraint("balance_cents >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), default=None)
    name: Mapped[str] = mapped_column(String(80))
    balance_cents: Mapped[int] = mapped_column(Integer, default=0)


class FundMovement(Base):
    __tablename__ = "fund_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("solidarity_funds.id"), index=True)
    kind: Mapped[FundMovementKind] = mapped_column(str_enum(FundMovementKind, 16))
    amount_cents: Mapped[int] = mapped_column(Integer)  # signed
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), default=None)
    referral: Mapped[str | None] = mapped_column(String(60), default=None)  # social services' number
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)  # where donated
    method: Mapped[str | None] = mapped_column(String(16), default=None)  # how a donation was paid
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Tab(Base):
    __tablename__ = "tabs"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), index=True)
    label: Mapped[str] = mapped_column(String(40))  # table number or a name
    status: Mapped[TabStatus] = mapped_column(str_enum(TabStatus), default=TabStatus.OPEN)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tabs.id"), default=None)

    lines: Mapped[list[TabLine]] = relationship(back_populates="tab", order_by="TabLine.id")


class TabLine(Base):
    __tablename__ = "tab_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    tab_id: Mapped[int] = mapped_column(ForeignKey("tabs.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    round_number: Mapped[int] = mapped_column(Integer, default=1)
    kitchen_item: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    sent_to_kitchen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), default=None)  # once paid
    void: Mapped[bool] = mapped_column(Boolean, default=False)

    tab: Mapped[Tab] = relationship(back_populates="lines")
