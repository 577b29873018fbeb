"""The fiscal document as Orto hands it to the RT: integers only, stored as JSON on the job."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# paymentType of printRecTotal (Epson Fiscal ePOS-Print)
CASH, CHEQUE, ELECTRONIC, TICKET, NOT_COLLECTED = 0, 1, 2, 3, 5

SALE, REFUND, VOID = "sale", "refund", "void"


@dataclass(frozen=True)
class Adjustment:
    """A markdown or discount on the item before it (printRecItemAdjustment), in cents > 0."""

    description: str
    amount_cents: int


@dataclass(frozen=True)
class Item:
    description: str
    quantity_milli: int  # thousandths: 1000 = one piece, 250 = 250 g of a per-kg price
    unit_price_cents: int
    department: int
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def gross_cents(self) -> int:
        # the RT's own rounding of quantity x price: half up to the cent
        return (2 * self.quantity_milli * self.unit_price_cents + 1000) // 2000

    @property
    def total_cents(self) -> int:
        return self.gross_cents - sum(a.amount_cents for a in self.adjustments)


@dataclass(frozen=True)
class Tender:
    description: str
    amount_cents: int  # what is handed over (cash: with the change the RT computes)
    payment_type: int
    index: int = 0


@dataclass(frozen=True)
class Reference:
    """The document a refund or void refers to, as the RT printed it."""

    kind: str  # "REFUND" | "VOID"
    z_number: int
    doc_number: int
    date: str  # ddmmyyyy
    serial: str

    @property
    def message(self) -> str:
        return f"{self.kind} {self.z_number:04d} {self.doc_number:04d} {self.date} {self.serial}"


@dataclass(frozen=True)
class FiscalReceipt:
    kind: str  # sale | refund | void
    items: tuple[Item, ...] = ()
    tenders: tuple[Tender, ...] = ()
    reference: Reference | None = None
    lottery_code: str | None = None
    messages: tuple[str, ...] = field(default=())
    open_drawer: bool = False  # the drawer hangs on the RT: opened after a cash sale

    @property
    def total_cents(self) -> int:
        return sum(item.total_cents for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FiscalReceipt:
        ref = raw.get("reference")
        return cls(
            kind=raw["kind"],
            items=tuple(
                Item(
                    i["description"],
                    i["quantity_milli"],
                    i["unit_price_cents"],
                    i["department"],
                    tuple(Adjustment(**a) for a in i.get("adjustments", ())),
                )
                for i in raw.get("items", ())
            ),
            tenders=tuple(Tender(**t) for t in raw.get("tenders", ())),
            reference=Reference(**ref) if ref else None,
            lottery_code=raw.get("lottery_code"),
            messages=tuple(raw.get("messages", ())),
            open_drawer=bool(raw.get("open_drawer", False)),
        )
