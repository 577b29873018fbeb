"""Who was at the till when a sale or refund was completed.

``sales.user_id`` is who started the sale; at a till where people take turns (Ctrl+L, then the
next PIN) the next person finds the open sale and finishes it. The one who completed it (took
the payment, handed back the money) is the sale's operator: printed on the slip, and the X and
Z totals per operator count it. Cash movements already record their own user.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from orto.models.base import Base


class SaleOperator(Base):
    __tablename__ = "sale_operators"

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
