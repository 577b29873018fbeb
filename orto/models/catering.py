"""Catering: customers' cards, quotes and orders, payments and accounts, deliveries (DDT), invoices.

The ``customers`` table itself lives in ``orto.models.org`` (traceability uses it); this module
adds what catering hangs on it. Amounts are integer cents, VAT-inclusive like every price in
Orto; quantities are integer base units or portions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import CateringPaymentKind, CateringPaymentMethod, OrderStatus
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class CustomerCard(Base):
    """The *Tessera di quartiere*: a card a customer holds, for the social tariff."""

    __tablename__ = "customer_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    valid_until: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CateringOrder(Base):
    """A quote (preventivo) and, once confirmed, the order it becomes: one row, its state moves on."""

    __tablename__ = "catering_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # PRV-2026-0001
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, 16), default=OrderStatus.QUOTE, index=True)
    event_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    place: Mapped[str] = mapped_column(Text, default="")
    guests: Mapped[int] = mapped_column(Integer)
    dietary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    on_account: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    prepared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # migration 0013: a public body's order reference, CIG and CUP (else the customer's)
    order_ref: Mapped[str | None] = mapped_column(String(20), default=None)
    cig: Mapped[str | None] = mapped_column(String(10), default=None)
    cup: Mapped[str | None] = mapped_column(String(15), default=None)

    lines: Mapped[list[CateringLine]] = relationship(order_by="CateringLine.position")


class CateringLine(Base):
    """A dish or item of the menu: a product or a lab recipe, per person or in total."""

    __tablename__ = "catering_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("catering_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(120))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), default=None)
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"), default=None)
    per_person: Mapped[bool] = mapped_column(Boolean, default=True)
    quantity: Mapped[int] = mapped_column(Integer)  # portions per guest, or portions in total
    portion: Mapped[int] = mapped_column(Integer, default=1)  # base units of product/recipe output per portion
    unit_price_cents: Mapped[int] = mapped_column(Integer)  # per portion, VAT included
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)


class CateringPayment(Base):
    """Money for an order: a deposit or the balance, at a counter (a sale) or by bank transfer."""

    __tablename__ = "catering_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("catering_orders.id"), default=None, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[CateringPaymentKind] = mapped_column(str_enum(CateringPaymentKind, 16))
    method: Mapped[CateringPaymentMethod] = mapped_column(str_enum(CateringPaymentMethod, 16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), default=None)  # counts once completed
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), default=None)
    reference: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class AccountEntry(Base):
    """A customer's account: a charge (an order, an association's bar tab) or a settlement."""

    __tablename__ = "account_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    amount_cents: Mapped[int] = mapped_column(Integer)  # + charged, - settled
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    description: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("catering_orders.id"), default=None)
    tab_id: Mapped[int | None] = mapped_column(ForeignKey("tabs.id"), default=None)
    method: Mapped[str | None] = mapped_column(String(16), default=None)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), default=None)  # 0013: a tab's TD01
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class LotReservation(Base):
    """Stock of a lot kept for an order: the plan counts it as taken; released, it is free again."""

    __tablename__ = "lot_reservations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("catering_orders.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class DeliveryNote(Base):
    """Documento di trasporto: what left the kitchen for an order, lot by lot."""

    __tablename__ = "delivery_notes"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int] = mapped_column(ForeignKey("catering_orders.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    destination: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    items: Mapped[list[DeliveryNoteItem]] = relationship(order_by="DeliveryNoteItem.id")


class DeliveryNoteItem(Base):
    __tablename__ = "delivery_note_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("delivery_notes.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(120))


class Invoice(Base):
    """An electronic invoice (FatturaPA FPR12): TD01, TD02 (deposit) or TD04 (credit note)."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("year", "number"), UniqueConstraint("file_name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(4))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("catering_orders.id"), default=None, index=True)
    related_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), default=None)  # TD04: what it credits
    issued_on: Mapped[date] = mapped_column(Date)
    taxable_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    deducted_cents: Mapped[int] = mapped_column(Integer, default=0)  # deposits invoiced before (TD01)
    file_name: Mapped[str] = mapped_column(String(40))
    xml: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="to_send")
    state_reason: Mapped[str | None] = mapped_column(Text, default=None)
    state_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
