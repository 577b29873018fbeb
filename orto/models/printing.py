"""The print queue: a row per slip, ticket or label, written with the document that causes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orto.enums import PrinterRole, PrintStatus
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_printer_status", "printer", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(60))  # a name from [printers] in orto.toml
    role: Mapped[PrinterRole] = mapped_column(str_enum(PrinterRole))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    doc_type: Mapped[str] = mapped_column(String(32))  # receipt, refund, kitchen, x_report, label...
    doc_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # The document as laid out (a snapshot), rendered to bytes for the printer's profile when sent.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    open_drawer: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PrintStatus] = mapped_column(str_enum(PrintStatus), default=PrintStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), default=None)
