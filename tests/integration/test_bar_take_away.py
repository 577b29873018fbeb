"""The bar: a tab shows what its payment will ask; take-away charges the shelf VAT rate (issue 14, 7)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from orto.config import PrinterConfig
from orto.db import Database
from orto.errors import NotAllowed
from orto.models import DateType, PaymentMethod, PrintJob, SaleLine
from pos import selling
from pos.selling import PaymentInput
from receipts.documents import customer_slip
from receipts.escpos_render import PrinterProfile, decode_text, render
from receipts.fiscal.simulator import SimulatedRT
from tests import factories
from tests.fiscal_shop import DEPARTMENTS, queue
from tests.shop import Shop, build_shop

WATER = "8000000000017"  # 1,00: 22 % on the shelf, 10 % served


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.bar, shop.cashier, {})
    selling.open_shift(db, shop.counter, shop.cashier, {})
    return shop


# ---------------------------------------------------------------- the pure rule


# ---------------------------------------------------------------- the tab shows what will be charged


def test_a_tab_shows_the_markdown_the_payment_takes(db: Database, shop: Shop) -> None:
    with db.write() as session:
        cornetto = factories.product(session, "Cornetto", code="CRN", price_cents=130, vat_rate_bp=1000)
        factories.lot(
            session,
            cornetto,
            location_id=shop.bar_location,
            quantity=10,
            code="CRN-1",
            expiry=shop.today + timedelta(days=1),  # within the 2-day rule: 30 % off
            date_type=DateType.BEST_BEFORE,
        )
        cornetto_id = cornetto.id
    tab = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 2")
    selling.add_round(db, tab.id, shop.cashier, [(cornetto_id, 2, None), (shop.water, 1, None)])
    [listed] = selling.open_tabs(db, shop.bar)
    croissants = next(ln for ln in listed.lines if ln.product_id == cornetto_id)
    assert (croissants.markdown_cents, croissants.total_cents) == (78, 182)  # 2,60 less 30 %
    assert listed.total_cents == 182 + 100
    assert selling.get_tab(db, tab.id).total_cents == listed.total_cents
    sale = selling.tab_to_sale(db, tab.id, shop.bar, shop.cashier)
    assert sale.total_cents == listed.total_cents  # what the payment asks
    assert [ln.total_cents for ln in sale.lines] == [ln.total_cents for ln in listed.lines]
    done = selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 282)])
    assert done.sale.total_cents == listed.total_cents
    with db.read() as session:
        stored = session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id)).all()
        assert sum(ln.total_cents for ln in stored) == 282
        assert {ln.vat_rate_bp for ln in stored if ln.product_id == shop.water} == {1000}  # a tab is on site


# ---------------------------------------------------------------- take-away


def _rates(db: Database, sale_id: int) -> list[tuple[int, bool, int]]:
    with db.read() as session:
        return [
            (ln.vat_rate_bp, ln.take_away, ln.total_cents)
            for ln in session.scalars(select(SaleLine).where(SaleLine.sale_id == sale_id).order_by(SaleLine.position))
        ]


def test_take_away_a_line_then_the_whole_sale(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.bar, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, WATER)
    view = selling.add_product(db, sale.id, shop.cashier, shop.toast)
    water_line = view.lines[0].id
    view = selling.set_take_away(db, sale.id, shop.cashier, True, line_id=water_line)
    assert _rates(db, sale.id) == [(2200, True, 100), (1000, False, 400)]
    assert view.total_cents == 500  # the price holds VAT: the total does not move
    assert {v.rate_bp: v.gross_cents for v in view.vat} == {2200: 100, 1000: 400}
    # the same water scanned again, on site: its own line at 10 %
    view = selling.add_item(db, sale.id, shop.cashier, WATER)
    assert _rates(db, sale.id)[2] == (1000, False, 100)
    view = selling.set_take_away(db, sale.id, shop.cashier, False, line_id=water_line)
    assert _rates(db, sale.id)[0] == (1000, False, 100)
    view = selling.set_take_away(db, sale.id, shop.cashier, True)
    assert view.take_away and all(ln.take_away for ln in view.lines)
    assert [r for r, _t, _c in _rates(db, sale.id)] == [2200, 1000, 2200]  # the toast has no on-site rate
    view = selling.add_item(db, sale.id, shop.cashier, WATER)  # added after: taken away too
    assert _rates(db, sale.id)[0] == (2200, True, 200)


def test_take_away_is_for_the_bar_and_not_for_a_tab(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    view = selling.add_item(db, sale.id, shop.cashier, WATER)
    assert view.lines[0].vat_rate_bp == 2200
    with pytest.raises(NotAllowed, match="bar counters"):
        selling.set_take_away(db, sale.id, shop.cashier, True)
    tab = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 1")
    selling.add_round(db, tab.id, shop.cashier, [(shop.water, 1, None)])
    on_tab = selling.tab_to_sale(db, tab.id, shop.bar, shop.cashier)
    with pytest.raises(NotAllowed, match="tab is served on site"):
        selling.set_take_away(db, on_tab.id, shop.cashier, True, line_id=on_tab.lines[0].id)


def test_the_z_and_the_slip_show_take_away(db: Database, shop: Shop) -> None:
    sale = selling.start_sale(db, shop.bar, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, WATER)
    selling.add_product(db, sale.id, shop.cashier, shop.toast)
    view = selling.add_item(db, sale.id, shop.cashier, WATER)  # 2 waters on one line
    view = selling.set_take_away(db, sale.id, shop.cashier, True, line_id=view.lines[0].id)
    other = selling.start_sale(db, shop.bar, shop.cashier)
    assert other.id == sale.id  # still the open one
    done = selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 600)])
    second = selling.start_sale(db, shop.bar, shop.cashier)
    selling.add_item(db, second.id, shop.cashier, WATER)  # served: 10 %
    selling.complete_sale(db, shop.settings, second.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 100)])
    with db.read() as session:
        job = session.get(PrintJob, done.print_job_ids[0])
        assert job is not None
        document = job.document
    [water] = [ln for ln in document["lines"] if ln["take_away"]]
    assert water["vat_rate_bp"] == 2200 and water["total_cents"] == 200
    text = decode_text(render(customer_slip(document, 48), PrinterProfile()))
    assert text.count("take-away") == 1  # under the water's line only
    from orto.i18n import set_language

    set_language("it")
    try:
        assert "asporto" in decode_text(render(customer_slip(document, 48), PrinterProfile()))
    finally:
        set_language("en")
    selling.close_shift(db, shop.bar, shop.cashier, {100: 7})
    z = selling.z_report(db, shop.settings, shop.bar, shop.manager, print_it=False)
    vat = {v["rate_bp"]: v["gross_cents"] for v in z.totals["vat"]}
    assert vat == {2200: 200, 1000: 400 + 100}
    assert sum(v["taxable_cents"] + v["tax_cents"] for v in z.totals["vat"]) == 700


# ---------------------------------------------------------------- the RT


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT(hang_s=2.0).start()
    yield server
    server.stop()


def test_a_take_away_line_reaches_the_rt_at_22(db: Database, rt: SimulatedRT) -> None:
    shop = build_shop(db)
    printers = dict(shop.settings.printers)
    printers["cassa"] = PrinterConfig(
        "cassa", "epson-rt", {"host": "127.0.0.1", "port": rt.port, "timeout": 1.0, "departments": DEPARTMENTS}
    )
    counters = dict(shop.settings.counter_printers)
    counters["MON-1"] = {"receipt": "banco", "fiscal": "cassa"}
    shop.settings = replace(shop.settings, printers=printers, counter_printers=counters)
    selling.open_shift(db, shop.bar, shop.cashier, {})
    sale = selling.start_sale(db, shop.bar, shop.cashier)
    view = selling.add_item(db, sale.id, shop.cashier, WATER)
    selling.set_take_away(db, sale.id, shop.cashier, True, line_id=view.lines[0].id)
    selling.add_product(db, sale.id, shop.cashier, shop.toast)
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 500)])
    assert queue(db, shop).run_once() == 1
    [issued] = rt.issued()
    assert {rt.departments[d]: g for d, g in issued.departments.items()} == {2200: 100, 1000: 400}
