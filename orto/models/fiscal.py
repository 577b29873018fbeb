"""Fiscal documents issued (or still to issue) on an RT, the RT's daily closures, lottery codes.

A ``FiscalDocument`` is written in the transaction of the sale (or refund) that causes it, so a
sale and its fiscal job commit together; its outcome (the RT's document and Z numbers, date and
time, serial) is written back once the RT answered. One per sale and kind: never two.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orto.enums import FiscalKind, FiscalStatus
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class FiscalDocument(Base):
    __tablename__ = "fiscal_documents"
    __table_args__ = (
        UniqueConstraint("sale_id", "kind"),
        Index("ix_fiscal_documents_printer_status", "printer", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"))
    kind: Mapped[FiscalKind] = mapped_column(str_enum(FiscalKind, 16))
    printer: Mapped[str] = mapped_column(String(60))  # the RT's name in orto.toml
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    status: Mapped[FiscalStatus] = mapped_column(str_enum(FiscalStatus, 16), default=FiscalStatus.PENDING)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # receipts.fiscal.document.FiscalReceipt
    # a reso or annullo: the document it refers to (its reference is read once that one is issued)
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("fiscal_documents.id"), default=None)
    # the request went out and no answer came back: ask the RT before sending it again
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)
    # the RT's last document (Z, number) before this one was sent: how "did it issue?" is answered
    sent_after_z: Mapped[int | None] = mapped_column(Integer, default=None)
    sent_after_number: Mapped[int | None] = mapped_column(Integer, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    amount_cents: Mapped[int] = mapped_column(Integer)
    rt_serial: Mapped[str | None] = mapped_column(String(20), default=None)
    z_number: Mapped[int | None] = mapped_column(Integer, default=None)
    doc_number: Mapped[int | None] = mapped_column(Integer, default=None)
    rt_date: Mapped[str | None] = mapped_column(String(8), default=None)  # ddmmyyyy as printed
    rt_time: Mapped[str | None] = mapped_column(String(8), default=None)


class FiscalClosure(Base):
    """The RT's Z (its number and totals) beside Orto's figures for the same period; never updated."""

    __tablename__ = "fiscal_closures"
    __table_args__ = (UniqueConstraint("printer", "z_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(60))
    rt_serial: Mapped[str] = mapped_column(String(20))
    z_number: Mapped[int] = mapped_column(Integer)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    rt_totals: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"vat": {bp: cents}, "payments": {...}}
    orto_totals: Mapped[dict[str, Any]] = mapped_column(JSON)
    differences: Mapped[dict[str, Any]] = mapped_column(JSON)  # only what differs; {} when equal


class LotteryCode(Base):
    """The customer's lotteria degli scontrini code, given before the sale completes."""

    __tablename__ = "sale_lottery_codes"

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8))
