"""What the selling services hand back to a till: immutable snapshots, never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from orto.models import PaymentMethod, SaleKind, SaleStatus
from orto.money import VatShare
from receipts.sale_doc import GiftCardLine, LineView, PaymentView

__all__ = ["GiftCardLine", "LineView", "PaymentInput", "PaymentView", "SaleResult", "SaleView"]


@dataclass(frozen=True)
class SaleView:
    id: int
    uuid: str
    kind: SaleKind
    status: SaleStatus
    number: str | None
    counter_id: int
    shift_id: int
    user_id: int
    price_list: str | None
    customer_card: str | None
    onsite: bool
    take_away: bool
    started_at: datetime
    completed_at: datetime | None
    lines: tuple[LineView, ...]
    total_cents: int
    discount_cents: int
    markdown_cents: int
    vat: tuple[VatShare, ...]
    payments: tuple[PaymentView, ...]
    original_sale_id: int | None = None
    note: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    gift_cards: tuple[GiftCardLine, ...] = ()  # part of total_cents, outside the VAT table

    @property
    def goods_cents(self) -> int:
        """What the goods come to: the total less the gift cards sold on the sale."""
        return self.total_cents - sum(card.amount_cents for card in self.gift_cards)

    @property
    def empty(self) -> bool:
        return not self.lines and not self.gift_cards

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)

    @property
    def change_cents(self) -> int:
        return sum(p.change_cents for p in self.payments)

    @property
    def item_count(self) -> int:
        return sum(1 if line.weighed else line.quantity for line in self.lines)


@dataclass(frozen=True)
class PaymentInput:
    """One payment as typed at the till. For cash, ``amount_cents`` is what the customer hands over."""

    method: PaymentMethod
    amount_cents: int
    reference: str | None = None  # voucher number, gift card code, social-services referral


@dataclass(frozen=True)
class SaleResult:
    sale: SaleView
    change_cents: int
    open_drawer: bool
    print_job_ids: tuple[int, ...]
    warnings: tuple[str, ...] = ()
