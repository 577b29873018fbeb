"""The test shop with PAL-1's documents on a simulated RT at 127.0.0.1 (real HTTP)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from orto.config import PrinterConfig
from orto.db import Database
from orto.models import FiscalDocument, PaymentMethod
from pos import selling
from pos.selling import PaymentInput, SaleResult
from receipts.fiscal.queue import FiscalQueue
from receipts.fiscal.simulator import SimulatedRT
from tests.shop import Shop, build_shop

DEPARTMENTS = {"4": 1, "10": 2, "22": 3, "5": 4}


def with_rt(shop: Shop, port: int, *, timeout: float = 1.0) -> Shop:
    printers = dict(shop.settings.printers)
    printers["cassa"] = PrinterConfig(
        "cassa", "epson-rt", {"host": "127.0.0.1", "port": port, "timeout": timeout, "departments": DEPARTMENTS}
    )
    counters = dict(shop.settings.counter_printers)
    counters["PAL-1"] = {"receipt": "banco", "fiscal": "cassa"}
    shop.settings = replace(shop.settings, printers=printers, counter_printers=counters)
    return shop


def fiscal_shop(db: Database, rt: SimulatedRT) -> Shop:
    shop = with_rt(build_shop(db), rt.port)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    return shop


def queue(db: Database, shop: Shop) -> FiscalQueue:
    return FiscalQueue(db, shop.settings, retry_base_s=0.0)


def done_when_sale(db: Database, shop: Shop) -> SaleResult:
    """4 % tomatoes by weight (marked down: two days to their date), 10 % jam with a line discount,
    22 % water; paid 5,00 by card and the rest in cash."""
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "2100101012501")  # 1,250 kg of tomatoes
    view = selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    jam_line = view.lines[-1].id
    selling.discount_line(db, shop.settings, sale.id, shop.cashier, jam_line, percent_bp=1000)
    selling.add_item(db, sale.id, shop.cashier, "8000000000017")
    return selling.complete_sale(
        db,
        shop.settings,
        sale.id,
        shop.cashier,
        [PaymentInput(PaymentMethod.CARD, 500), PaymentInput(PaymentMethod.CASH, 2000)],
        today=shop.today + timedelta(days=4),
    )


def documents(db: Database) -> list[FiscalDocument]:
    from sqlalchemy import select

    with db.read() as session:
        return list(session.scalars(select(FiscalDocument).order_by(FiscalDocument.id)))
