"""Every document fits the head it is printed on: 384 dots (58 mm) and 576 dots (80 mm), font A and B.

The bytes are read back by an ESC/POS interpreter (tests.escpos_head) that knows nothing of our
renderer: it measures each printed line, barcode and QR code in dots.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from orto.config import PrinterConfig
from orto.db import Database
from orto.errors import ConfigError
from orto.i18n import set_language
from orto.models import PaymentMethod
from pos import selling
from pos.selling import PaymentInput
from receipts.documents import layout_for
from receipts.escpos_render import PrinterProfile, barcode_module_width, code128_data, render
from receipts.layout import render_text
from receipts.queue import PrintQueue
from tests.escpos_head import run
from tests.integration.test_labels import _peppers_preserve
from tests.integration.test_receipts_layouts import SLIP
from tests.printer_server import PrinterServer

TOTALS: dict[str, Any] = {
    "business_date": "2026-11-25",
    "sales_count": 312,
    "sales_cents": 1_234_567,
    "refunds_count": 3,
    "refunds_cents": 4_560,
    "net_cents": 1_230_007,
    "discounts_cents": 12_345,
    "markdowns_cents": 2_050,
    "cancelled_count": 2,
    "vat": [
        {"rate_bp": 400, "gross_cents": 630_007, "taxable_cents": 605_776, "tax_cents": 24_231},
        {"rate_bp": 2200, "gross_cents": 600_000, "taxable_cents": 491_803, "tax_cents": 108_197},
    ],
    "payments": {"cash": 630_007, "card": 600_000},
    "categories": {"Conserve del laboratorio": 630_007, "Verdura": 600_000},
    "social_tariff_cents": 80_000,
    "social_tariff_count": 41,
    "solidarity_redeemed_cents": 1_500,
    "solidarity_donated_cents": 10_000,
    "cash_in_cents": 1_000,
    "cash_out_cents": 0,
    "shifts": [{"id": 17, "counted_cash_cents": 640_007, "difference_cents": -150}],
}

LABEL: dict[str, Any] = {
    "kind": "label",
    "name": "Peperoni sott'aceto",
    "ingredient_parts": [["peperoni rossi (68\xa0%), aceto di vino (", False], ["solfiti", True], ["), sale", False]],
    "allergens": [12],
    "contains": [],
    "may_contain": [8],
    "lot_code": "PAL-261125-001",
    "produced_on": "2026-11-25",
    "expiry": "2027-11-25",
    "date_type": "best_before",
    "storage_note": "Conservare in luogo fresco e asciutto. Dopo l'apertura conservare in frigorifero.",
    "net_quantity": "280 g",
    "producer": "Fuori e Dentro - Vitality Social",
    "producer_address": "Orto-emporio, Via Palmanova 59, Milano",
}

DOCUMENTS: dict[str, dict[str, Any]] = {
    "slip": SLIP,
    "refund": dict(SLIP, kind="refund", original_number="PAL-1-000041", number="R-PAL-1-000043"),
    "x_report": {"kind": "x_report", "number": None, "counter": "Cassa emporio", "totals": TOTALS},
    "z_report": {"kind": "z_report", "number": 128, "counter": "Cassa emporio", "totals": TOTALS},
    "kitchen": {
        "kind": "kitchen",
        "counter": "Cassa bar",
        "label": "Tavolo 12 - Catering sala grande",
        "at": "2026-11-25T11:00:00+00:00",
        "lines": [
            {"description": "Torta salata di verdure (fetta)", "quantity": 12, "note": "due senza glutine, una tiepida"}
        ],
    },
    "label": LABEL,
    "test": {"kind": "test", "printer": "etichette-laboratorio"},
}

HEADS = [(58, "a", 384, 32), (58, "b", 384, 42), (80, "a", 576, 48), (80, "b", 576, 64)]


@pytest.fixture(params=["it", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.mark.parametrize(("paper", "font", "dots", "columns"), HEADS, ids=[f"{p}mm-{f}" for p, f, _d, _c in HEADS])
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_document_fits_the_head(language: str, kind: str, paper: int, font: str, dots: int, columns: int) -> None:
    profile = PrinterProfile.from_options({"paper_width_mm": paper, "font": font})
    assert (profile.dots, profile.width) == (dots, columns)
    layout = layout_for(DOCUMENTS[kind], profile.width)
    head = run(render(layout, profile), dots)
    assert not head.too_wide, [(p.kind, p.dots, p.content) for p in head.too_wide]
    assert head.fonts_selected == {0 if font == "a" else 1}  # the font is selected in the bytes
    # nothing was lost on the way: every line of the preview is printed, and barcodes are there
    printed = [line.strip().upper() for line in head.text_lines]
    for line in render_text(layout).splitlines():
        if line.strip() and not line.strip().startswith("||") and not line.strip().startswith("[QR"):
            assert line.strip().upper() in printed, line
    if kind in ("slip", "refund", "label", "test"):
        assert any(p.kind in ("barcode", "qr") for p in head.printed)


def test_the_interpreter_catches_a_line_wider_than_the_head() -> None:
    """Font A at 42 columns is what 58 mm printers were sent before: 504 dots on a 384-dot head."""
    wide = PrinterProfile(width=42, dots=384, font="a")
    head = run(render(layout_for(SLIP, 42), wide), 384)
    assert head.too_wide and max(p.dots for p in head.too_wide) == 504


def test_the_lot_codes_barcode_packs_its_digits_to_fit_58_mm() -> None:
    """In code set B alone "PAL-261125-001" is 11 × 16 + 13 = 189 modules, 378 dots at 2 dots a
    module: with the date in code set C it is 178 modules, 356 dots."""
    assert code128_data("PAL-261125-001") == "{BPAL-{C" + chr(26) + chr(11) + chr(25) + "{B-001"
    assert barcode_module_width("PAL-261125-001", 384) == 2
    head = run(render(layout_for(LABEL, 32), PrinterProfile.for_paper(58)), 384)
    (barcode,) = [p for p in head.printed if p.kind == "barcode"]
    assert barcode.content == "PAL-261125-001" and barcode.dots == 356


def test_a_code_too_long_for_any_module_becomes_a_qr_code() -> None:
    long_code = "B-CAP-261125-001-RIPASTORIZZATO"
    assert barcode_module_width(long_code, 384) is None
    head = run(render(layout_for(dict(LABEL, lot_code=long_code), 32), PrinterProfile.for_paper(58)), 384)
    assert not [p for p in head.printed if p.kind == "barcode"]
    (qr,) = [p for p in head.printed if p.kind == "qr"]
    assert qr.content == long_code and qr.dots <= 384


def test_printer_options() -> None:
    assert PrinterProfile.from_options({}).width == 48
    assert PrinterProfile.from_options({"width": 42, "paper_width_mm": 58}).font == "b"  # older configurations
    assert PrinterProfile.from_options({"paper_width_mm": 80, "dots": 512}).width == 42  # a 180 dpi TM-T88V
    with pytest.raises(ConfigError, match="paper_width_mm"):
        PrinterProfile.from_options({"paper_width_mm": 76})
    with pytest.raises(ConfigError, match="font"):
        PrinterProfile.from_options({"font": "c"})


@pytest.fixture
def printer() -> Iterator[PrinterServer]:
    server = PrinterServer().start()
    yield server
    server.stop()


def test_a_slip_and_a_label_sent_to_a_58_mm_printer_fit_its_384_dots(db: Database, printer: PrinterServer) -> None:
    """Through the real path: a sale and a lab batch queue their jobs, the queue sends them over
    TCP to a 58 mm printer configured only by its paper width, and the bytes it received fit."""
    _lot_id, shop = _peppers_preserve(db)  # its labels queued for the printer "etichette"
    options = {"host": "127.0.0.1", "port": printer.port, "timeout": 0.5, "paper_width_mm": 58}
    printers = {name: PrinterConfig(name, "network", dict(options)) for name in ("banco", "etichette")}
    shop.settings = replace(shop.settings, printers=printers, counter_printers={"PAL-1": {"receipt": "banco"}})
    selling.open_shift(db, shop.counter, shop.cashier, {})
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "2100101012501")
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 2000)])
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 2  # one job on each printer
    received = printer.received(2)
    heads = [run(data, 384) for data in received]
    kinds = {"label" if b"Lotto: " in data else "slip" for data in received}
    assert kinds == {"label", "slip"}
    for head in heads:
        assert not head.too_wide, [(p.kind, p.dots, p.content) for p in head.too_wide]
        assert head.fonts_selected == {0}
        assert max(p.dots for p in head.printed if p.kind == "text") <= 384
        assert [p for p in head.printed if p.kind == "barcode"]  # the barcode is printed, not skipped


def test_a_printer_with_an_impossible_width_keeps_its_jobs_and_says_why(db: Database, printer: PrinterServer) -> None:
    _lot_id, shop = _peppers_preserve(db)
    options = {"host": "127.0.0.1", "port": printer.port, "timeout": 0.5, "paper_width_mm": 76}
    shop.settings = replace(shop.settings, printers={"etichette": PrinterConfig("etichette", "network", options)})
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    state = queue.state("etichette")
    assert state.state == "error" and "[printers.etichette] paper_width_mm = 76" in (state.last_error or "")
    assert state.pending == 1 and printer.jobs == []  # nothing sent, nothing lost
