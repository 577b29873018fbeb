"""Sites, their stock locations and counters; users and the audit log; customers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import CounterKind, CustomerKind, LocationKind, Role
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(80), default="Milano")
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    # Scale-label nomenclature ({"prefixes": {"21": "weight", ...}}); None = the defaults.
    scale_barcode_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    locations: Mapped[list[Location]] = relationship(back_populates="site", order_by="Location.id")
    counters: Mapped[list[Counter]] = relationship(back_populates="site", order_by="Counter.id")


class Location(Base):
    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[LocationKind] = mapped_column(str_enum(LocationKind))

    site: Mapped[Site] = relationship(back_populates="locations")


class Counter(Base):
    """A till terminal: where sales are rung and which location they take stock from."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[CounterKind] = mapped_column(str_enum(CounterKind))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    # Sequences for document numbers, bumped under the row lock of the sale's transaction.
    last_sale_number: Mapped[int] = mapped_column(Integer, default=0)
    last_z_number: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    site: Mapped[Site] = relationship(back_populates="counters")
    location: Mapped[Location] = relationship()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEntry(Base):
    """Append-only: who did what, and who approved it."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), default=None)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    entity: Mapped[str | None] = mapped_column(String(40), default=None)
    entity_id: Mapped[int | None] = mapped_column(Integer, default=None)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # the chain (orto.audit): the previous entry's hash, and this one's over content + prev_hash
    prev_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    hash: Mapped[str | None] = mapped_column(String(64), default=None)


class Customer(Base):
    """A customer: a business, association or public body we supply or invoice (the "one step forward"
    of traceability), or a private person of catering or the social card. Rules in catering.customers."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    vat_number: Mapped[str | None] = mapped_column(String(20), default=None)  # partita IVA, 11 digits
    address: Mapped[str] = mapped_column(String(200), default="")  # street and number
    contact: Mapped[str] = mapped_column(Text, default="")
    # catering (migration 0009): who they are for an invoice and how to reach them
    kind: Mapped[CustomerKind] = mapped_column(str_enum(CustomerKind, 16), default=CustomerKind.BUSINESS)
    code: Mapped[str | None] = mapped_column(String(24), unique=True, index=True, default=None)
    fiscal_code: Mapped[str | None] = mapped_column(String(16), default=None)
    postcode: Mapped[str] = mapped_column(String(10), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    province: Mapped[str] = mapped_column(String(2), default="")
    country: Mapped[str] = mapped_column(String(2), default="IT")
    sdi_code: Mapped[str | None] = mapped_column(String(7), default=None)
    pec: Mapped[str | None] = mapped_column(String(120), default=None)
    email: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    payment_days: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # migration 0013: who may run a bar tab on account; a public body's defaults for FPA12
    account_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    order_ref: Mapped[str | None] = mapped_column(String(20), default=None)  # DatiOrdineAcquisto/IdDocumento
    cig: Mapped[str | None] = mapped_column(String(10), default=None)  # Codice Identificativo di Gara
    cup: Mapped[str | None] = mapped_column(String(15), default=None)  # Codice Unico di Progetto
