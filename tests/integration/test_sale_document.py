"""One sale, one document: what the cashier sees on the till, what the customer's slip says, what
the RT certifies and what a reprint shows are the same figures (pos.selling.document)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import FiscalDocument, PaymentMethod, PrintJob, Product, Sale, Site, Supplier, SupplierDistance
from pos import selling
from pos.selling import PaymentInput, SaleView
from receipts.fiscal.copies import queue_copy
from receipts.fiscal.document import FiscalReceipt
from receipts.fiscal.rules import description
from receipts.fiscal.simulator import SimulatedRT
from receipts.snapshots import sale_snapshot
from tests.fiscal_shop import DEPARTMENTS, done_when_sale, fiscal_shop
from tests.shop import Shop, build_shop


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT().start()
    yield server
    server.stop()


def _what_the_till_shows(sale: SaleView) -> list[tuple[str, int, int, int, int, int]]:
    return [
        (ln.description, ln.vat_rate_bp, ln.markdown_cents, ln.discount_cents, ln.total_cents, ln.quantity)
        for ln in sale.lines
    ]


def _what_the_slip_says(slip: dict) -> list[tuple[str, int, int, int, int, int]]:
    return [
        (
            ln["description"],
            ln["vat_rate_bp"],
            ln["markdown_cents"],
            ln["discount_cents"],
            ln["total_cents"],
            ln["quantity"],
        )
        for ln in slip["lines"]
    ]


def _vat_of_view(sale: SaleView) -> list[dict[str, int]]:
    return [
        {"rate_bp": s.rate_bp, "taxable_cents": s.taxable_cents, "tax_cents": s.tax_cents, "gross_cents": s.gross_cents}
        for s in sale.vat
    ]


def test_the_till_the_slip_and_a_reprint_show_the_same_sale(db: Database) -> None:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    with db.write() as session:  # the jam comes from a farm 20 km away: km0 on the slip
        farm = Supplier(code="F1", name="Cascina")
        session.add(farm)
        session.flush()
        pal = session.scalar(select(Site).where(Site.code == "PAL"))
        assert pal is not None
        session.add(SupplierDistance(supplier_id=farm.id, site_id=pal.id, distance_km=20))
        jam = session.get(Product, shop.jam)
        assert jam is not None
        jam.supplier_id = farm.id
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.set_price_list(db, sale.id, shop.cashier, "tessera", card="T-77")
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    selling.add_item(db, sale.id, shop.cashier, "2100101002502")
    scanned = selling.add_item(db, sale.id, shop.cashier, "H2O")
    before_paying = selling.discount_sale(db, shop.settings, sale.id, shop.cashier, amount_cents=37)
    assert before_paying.discount_cents == 37 and before_paying.total_cents == scanned.total_cents - 37
    result = selling.complete_sale(
        db,
        shop.settings,
        sale.id,
        shop.cashier,
        [PaymentInput(PaymentMethod.CARD, 500), PaymentInput(PaymentMethod.CASH, 2000)],
        today=shop.today,
    )
    shown = result.sale
    # what the till showed before paying is what was paid
    assert _what_the_till_shows(shown) == _what_the_till_shows(before_paying)
    assert shown.total_cents == before_paying.total_cents
    # the answer of the commit is the sale as asked for again
    assert shown == dataclasses.replace(selling.get_sale(db, sale.id), warnings=shown.warnings)
    with db.read() as session:
        job = session.get(PrintJob, result.print_job_ids[0])
        stored = session.get(Sale, sale.id)
        assert job is not None and stored is not None
        slip = job.document
        assert slip == sale_snapshot(session, shop.settings, stored)  # a reprint says the same
    assert _what_the_slip_says(slip) == _what_the_till_shows(shown)
    assert slip["total_cents"] == shown.total_cents and slip["discount_cents"] == shown.discount_cents == 37
    assert slip["vat"] == _vat_of_view(shown)
    assert sum(line["gross_cents"] for line in slip["lines"]) == shown.total_cents + 37 + shown.markdown_cents
    assert [p["amount_cents"] for p in slip["payments"]] == [p.amount_cents for p in shown.payments]
    assert slip["change_cents"] == shown.change_cents == result.change_cents
    assert [line["km0"] for line in slip["lines"]] == [True, False, False]


def test_the_rt_certifies_what_the_till_showed(db: Database, rt: SimulatedRT) -> None:
    shop: Shop = fiscal_shop(db, rt)
    result = done_when_sale(db, shop)
    shown = result.sale
    with db.read() as session:
        [doc] = session.scalars(select(FiscalDocument).where(FiscalDocument.sale_id == shown.id))
        receipt = FiscalReceipt.from_json(doc.document)
    rate_of = {dept: int(rate) * 100 for rate, dept in DEPARTMENTS.items()}
    assert [(item.description, rate_of[item.department], item.total_cents) for item in receipt.items] == [
        (description(ln.description), ln.vat_rate_bp, ln.total_cents) for ln in shown.lines
    ]
    for line, item in zip(shown.lines, receipt.items, strict=True):  # markdowns and discounts, each named
        assert sum(a.amount_cents for a in item.adjustments) == line.markdown_cents + line.discount_cents
    assert receipt.total_cents == doc.amount_cents == shown.total_cents
    # a copy on the slip printer (a reprint) carries the same figures, with the RT's reference
    copy_id = queue_copy(db, shop.settings, shop.cashier, shown.id, "PAL-1")
    with db.read() as session:
        copy = session.get(PrintJob, copy_id)
        assert copy is not None
        assert [ln["total_cents"] for ln in copy.document["lines"]] == [ln.total_cents for ln in shown.lines]
        assert copy.document["vat"] == _vat_of_view(shown)
