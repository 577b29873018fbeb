"""The whole data model; importing this package registers every table on ``Base.metadata``."""

from orto.models.base import Base, utcnow
from orto.models.catalog import Barcode, Category, MarkdownRule, PriceList, PriceRule, Product
from orto.models.enums import (
    BarcodeKind,
    BatchStatus,
    CounterKind,
    CountStatus,
    DateType,
    LocationKind,
    LotOrigin,
    MovementKind,
    PaymentMethod,
    PrinterRole,
    PrintStatus,
    Role,
    SaleKind,
    SaleStatus,
    ShiftStatus,
    TabStatus,
    TransferStatus,
    Unit,
    WasteReason,
)
from orto.models.lab import Batch, BatchInput, CriticalReading, Recipe, RecipeInput, RecipeStep
from orto.models.org import AuditEntry, Counter, Customer, Location, Site, User
from orto.models.printing import PrintJob
from orto.models.selling import (
    CashMovement,
    FundMovement,
    GiftCard,
    GiftCardMovement,
    Payment,
    Sale,
    SaleLine,
    Shift,
    SolidarityFund,
    Tab,
    TabLine,
    ZReport,
)
from orto.models.stock import Lot, Recall, StockLevel, StockMovement
from orto.models.suppliers import Supplier, SupplierDistance
from orto.models.supply import (
    Delivery,
    DeliveryLine,
    SupplierReturn,
    SupplierReturnLine,
    Transfer,
    TransferLine,
)
from orto.models.waste import Donation, StockCount, StockCountLine, TemperatureLog, WasteRecord

__all__ = [
    "AuditEntry", "Barcode", "BarcodeKind", "Base", "Batch", "BatchInput", "BatchStatus",
    "CashMovement", "Category", "CountStatus", "Counter", "CounterKind", "CriticalReading",
    "Customer", "DateType", "Delivery", "DeliveryLine", "Donation", "FundMovement", "GiftCard",
    "GiftCardMovement", "Location", "LocationKind", "Lot", "LotOrigin", "MarkdownRule",
    "MovementKind", "Payment", "PaymentMethod", "PriceList", "PriceRule", "PrintJob",
    "PrintStatus", "PrinterRole", "Product", "Recall", "Recipe", "RecipeInput", "RecipeStep",
    "Role", "Sale", "SaleKind", "SaleLine", "SaleStatus", "Shift", "ShiftStatus", "Site",
    "SolidarityFund", "StockCount", "StockCountLine", "StockLevel", "StockMovement", "Supplier",
    "SupplierDistance", "SupplierReturn", "SupplierReturnLine", "Tab", "TabLine", "TabStatus",
    "TemperatureLog", "Transfer", "TransferLine", "TransferStatus", "Unit", "User", "WasteReason",
    "WasteRecord", "ZReport", "utcnow",
]
