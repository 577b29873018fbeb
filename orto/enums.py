"""The closed vocabularies of the data model (stored as their string values).

Outside ``orto.models`` so that the till's login can use them without loading SQLAlchemy and the
mapped classes (``orto.driver``).
"""

from __future__ import annotations

from enum import StrEnum


class CounterKind(StrEnum):
    EMPORIO = "emporio"
    BAR = "bar"
    CUCINA = "cucina"


class LocationKind(StrEnum):
    SHOP_FLOOR = "shop_floor"
    LAB = "lab"
    COLD_ROOM = "cold_room"
    BAR = "bar"
    KITCHEN = "kitchen"
    STORE_ROOM = "store_room"


class Role(StrEnum):
    CASHIER = "cashier"
    KITCHEN = "kitchen"
    MANAGER = "manager"


class Unit(StrEnum):
    """The unit a product is priced in; its stock is kept in the matching base unit."""

    PIECE = "pz"  # base unit: piece
    KG = "kg"  # base unit: gram
    LITRE = "l"  # base unit: millilitre

    @property
    def base_per_unit(self) -> int:
        return 1 if self is Unit.PIECE else 1000


class DateType(StrEnum):
    USE_BY = "use_by"  # "da consumarsi entro": safety, never sold after
    BEST_BEFORE = "best_before"  # "da consumarsi preferibilmente entro": quality


class BarcodeKind(StrEnum):
    EAN13 = "ean13"
    EAN8 = "ean8"
    UPCA = "upca"
    INTERNAL = "internal"


class LotOrigin(StrEnum):
    DELIVERY = "delivery"
    BATCH = "batch"
    OPENING = "opening"  # stock found when Orto started, or by a count
    UNTRACKED = "untracked"  # sold before any lot was received: keeps the ledger whole


class MovementKind(StrEnum):
    DELIVERY = "delivery"
    SALE = "sale"
    REFUND = "refund"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    LAB_INPUT = "lab_input"
    LAB_OUTPUT = "lab_output"
    WASTE = "waste"
    COUNT_ADJUSTMENT = "count_adjustment"
    SUPPLIER_RETURN = "supplier_return"
    CATERING = "catering"  # delivered to a catering order (a DDT)


class SaleKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"


class SaleStatus(StrEnum):
    OPEN = "open"
    PARKED = "parked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    VOUCHER = "voucher"
    GIFT_CARD = "gift_card"
    SOLIDARITY = "solidarity"  # spesa sospesa


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class TabStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    MERGED = "merged"


class PrintStatus(StrEnum):
    PENDING = "pending"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"  # gave up after too many attempts; a reprint queues a new job
    UNCONFIRMED = "unconfirmed"  # all bytes taken, no answer: the till asks whether it printed


class PrinterRole(StrEnum):
    RECEIPT = "receipt"
    KITCHEN = "kitchen"
    LABEL = "label"
    FISCAL = "fiscal"  # an RT: the documento commerciale instead of the slip


class TransferStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


class BatchStatus(StrEnum):
    OPEN = "open"
    HELD = "held"  # a critical reading missed its limit: waits for a manager
    RELEASED = "released"
    COMPLETED = "completed"
    REWORKED = "reworked"
    DISCARDED = "discarded"


class BatchDecision(StrEnum):
    """A manager's decision about a held lab batch (inventory.lab.decide_batch); its value names
    the audit action (``batch_release`` …), so the stored strings are those of before."""

    RELEASE = "release"  # it can be sold: the hold on its lot is lifted
    REWORK = "rework"  # measure again: stays held
    DISCARD = "discard"  # its stock becomes waste


class WasteReason(StrEnum):
    EXPIRED = "expired"
    SPOILED = "spoiled"
    DAMAGED = "damaged"
    UNSOLD_PREPARED = "unsold_prepared"
    PRODUCTION_LOSS = "production_loss"
    QUALITY = "quality"
    DONATED = "donated"


class CountStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SupplierKind(StrEnum):
    """Who a supplier is for km0: only a producer's food can be km0 (``orto.km0``)."""

    FARM = "farm"  # grows or raises the food
    LAB = "lab"  # transforms it (a dairy, a bakery, a preserves maker)
    DISTRIBUTOR = "distributor"  # resells what others produced: never km0 by itself

    @property
    def is_producer(self) -> bool:
        return self is not SupplierKind.DISTRIBUTOR


class StorageClass(StrEnum):
    """How a product is kept; reception measures the temperature of chilled and frozen goods only."""

    AMBIENT = "ambient"
    CHILLED = "chilled"
    FROZEN = "frozen"

    @property
    def cold(self) -> bool:
        return self is not StorageClass.AMBIENT


class ApplianceKind(StrEnum):
    FRIDGE = "fridge"
    COLD_ROOM = "cold_room"
    FREEZER = "freezer"


class FiscalKind(StrEnum):
    """What an RT document certifies (receipts.fiscal): one of each per sale at most."""

    SALE = "sale"  # the documento commerciale of a sale
    REFUND = "refund"  # a reso, referring to the sale's document
    VOID = "void"  # an annullo of the sale's document


class FiscalStatus(StrEnum):
    PENDING = "pending"  # queued, not sent
    ISSUING = "issuing"  # sent (or about to be): the RT is asked before anything is sent again
    ISSUED = "issued"  # the RT answered with its number
    FAILED = "failed"  # the RT refused it: a manager's decision


class GiftCardLoadKind(StrEnum):
    NEW = "new"  # a card sold on the sale
    TOP_UP = "top_up"  # an existing card credited


class FundMovementKind(StrEnum):
    DONATION = "donation"  # a customer's money into the spesa sospesa fund
    REDEMPTION = "redemption"  # a referred household's shopping paid from it
    REVERSAL = "reversal"  # a refund of such shopping: the money goes back to the fund


class CustomerKind(StrEnum):
    """Who a catering customer is, for the invoice (catering.customers)."""

    PERSON = "person"
    BUSINESS = "business"
    ASSOCIATION = "association"
    PUBLIC = "public"  # a public body: split payment, a 6-character office code


class OrderStatus(StrEnum):
    """A catering order's life (catering.orders): in this order, or cancelled before delivery."""

    QUOTE = "quote"
    CONFIRMED = "confirmed"
    PREPARED = "prepared"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


class CateringPaymentKind(StrEnum):
    DEPOSIT = "deposit"
    BALANCE = "balance"
    ACCOUNT = "account"  # a tab on account settled at the counter or by transfer


class CateringPaymentMethod(StrEnum):
    COUNTER = "counter"  # through a sale at a till
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
