"""Documents laid out from snapshots: golden plain text, and the ESC/POS bytes of the same layout."""

from __future__ import annotations

from typing import Any

import pytest

from orto.i18n import set_language
from receipts.documents import customer_slip, kitchen_ticket, lot_label, shift_report
from receipts.escpos_render import PrinterProfile, decode_text, render
from receipts.layout import render_text

SLIP: dict[str, Any] = {
    "kind": "sale",
    "company": {
        "name": "Fuori e Dentro",
        "address": "Via Palmanova 59, Milano",
        "vat_number": "IT01234567890",
        "site_name": "Orto-emporio",
        "site_address": "Via Palmanova 59, Milano",
        "footer": "Grazie!",
    },
    "counter": "Cassa emporio",
    "operator": "Marco",
    "number": "PAL-1-000042",
    "original_number": None,
    "at": "2026-11-25T09:30:00+00:00",
    "customer_card": "T-0042",
    "lines": [
        {
            "description": "Pomodori cuore di bue",
            "quantity": 1250,
            "weighed": True,
            "unit_price_cents": 350,
            "markdown_cents": 0,
            "discount_cents": 0,
            "total_cents": 438,
            "vat_rate_bp": 400,
            "km0": True,
        },
        {
            "description": "Confettura di albicocche",
            "quantity": 2,
            "weighed": False,
            "unit_price_cents": 490,
            "markdown_cents": 0,
            "discount_cents": 98,
            "total_cents": 882,
            "vat_rate_bp": 1000,
            "km0": False,
        },
    ],
    "total_cents": 1320,
    "discount_cents": 98,
    "vat": [
        {"rate_bp": 400, "taxable_cents": 421, "tax_cents": 17, "gross_cents": 438},
        {"rate_bp": 1000, "taxable_cents": 802, "tax_cents": 80, "gross_cents": 882},
    ],
    "payments": [
        {"method": "card", "amount_cents": 320, "tendered_cents": None, "change_cents": 0},
        {"method": "cash", "amount_cents": 1000, "tendered_cents": 2000, "change_cents": 1000},
    ],
    "change_cents": 1000,
}

GOLDEN_SLIP_IT_42 = """\
              Fuori e Dentro
         Via Palmanova 59, Milano
           P.IVA IT01234567890
 Orto-emporio - Via Palmanova 59, Milano
------------------------------------------
          DOCUMENTO NON FISCALE
------------------------------------------
Pomodori cuore di bue *km0            4,38
  1,250 kg x 3,50 €/kg
Confettura di albicocche              9,80
  2 x 4,90
  sconto                             -0,98
------------------------------------------
TOTALE EUR      13,20
------------------------------------------
IVA       imponibile   imposta    totale
4%              4,21      0,17      4,38
10%             8,02      0,80      8,82
------------------------------------------
carta                                 3,20
contanti                             20,00
Resto                                10,00
------------------------------------------
Tessera di quartiere: T-0042
*km0: da un'azienda agricola vicina
Cassa emporio - operatore Marco
25/11/2026 10:30           N. PAL-1-000042
            || PAL-1-000042 ||
                 Grazie!
"""


@pytest.fixture
def italian() -> Any:
    set_language("it")
    yield
    set_language("en")


def test_customer_slip_golden_text(italian: Any) -> None:
    assert render_text(customer_slip(SLIP, 42)) == GOLDEN_SLIP_IT_42


def test_every_line_fits_the_paper() -> None:
    for width in (42, 48):
        for line in render_text(customer_slip(SLIP, width)).splitlines():
            assert len(line) <= width


def test_slip_bytes_use_cp858_bold_double_cut_and_drawer(italian: Any) -> None:
    data = render(customer_slip(SLIP, 48), PrinterProfile(drawer_pin=5), open_drawer=True)
    assert data.startswith(b"\x1bt\x13\x1b@\x1bt\x13")
    assert "€/kg".encode("cp858") in data and b"\xd5" in data  # the euro sign in CP858
    assert b"\x1bE\x01" in data  # bold
    assert b"\x1b!0" in data or b"\x1d!\x11" in data  # double width and height
    assert b"\x1dV" in data  # cut
    assert data.endswith(b"\x1bp\x01\x32\x32")  # drawer kick on pin 5
    assert b"\x1dk" in data and b"PAL-1-000042" in data  # CODE128 of the sale number
    text = decode_text(data)
    assert "DOCUMENTO NON FISCALE" in text and "TOTALE EUR" in text


def test_refund_slip_says_refund_and_references_the_sale(italian: Any) -> None:
    refund = dict(SLIP, kind="refund", original_number="PAL-1-000041", number="R-PAL-1-000043")
    text = render_text(customer_slip(refund, 42))
    assert "RESO - DOCUMENTO NON FISCALE" in text and "PAL-1-000041" in text


def test_english_slip_keeps_the_legal_title() -> None:
    set_language("en")
    text = render_text(customer_slip(SLIP, 42))
    assert "DOCUMENTO NON FISCALE" in text and "(non-fiscal document)" in text and "TOTAL EUR" in text


def test_kitchen_ticket_is_large_and_carries_notes(italian: Any) -> None:
    doc = {
        "kind": "kitchen",
        "counter": "Cassa bar",
        "label": "Tavolo 4",
        "at": "2026-11-25T11:00:00+00:00",
        "lines": [{"description": "Toast", "quantity": 2, "note": "senza formaggio"}],
    }
    text = render_text(kitchen_ticket(doc, 48))
    assert "COMANDA" in text and "Tavolo 4" in text and "2 x Toast" in text and ">> senza formaggio" in text
    assert b"\x1b!0" in render(kitchen_ticket(doc, 48), PrinterProfile())


def test_lot_label_bolds_allergens_and_states_the_date_kind(italian: Any) -> None:
    doc = {
        "kind": "label",
        "name": "Pesto di basilico 180 g",
        "lot_code": "CAP-261125-01",
        "ingredients": "basilico (50%), olio extravergine di oliva, Grana Padano (latte), pinoli",
        "allergens": [7, 8],
        "produced_on": "2026-11-25",
        "expiry": "2026-12-05",
        "date_type": "use_by",
        "storage_note": "Conservare in frigorifero a 0-4 °C.",
        "producer": "Fuori e Dentro",
        "producer_address": "Via L. Capuana 7, Milano",
    }
    text = render_text(lot_label(doc, 42))
    flat = " ".join(text.split())
    # milk is named inside the list; nuts (on the product, named by no ingredient) follow it
    assert "(LATTE)," in flat and "Contiene: FRUTTA A GUSCIO" in flat
    assert "Da consumarsi entro il 05/12/2026" in flat
    assert "CAP-261125-01" in text
    data = render(lot_label(doc, 42), PrinterProfile(width=42))
    bold_latte = b"\x1bE\x01latte"
    assert bold_latte in data  # the allergen itself is printed bold
    best_before = dict(doc, date_type="best_before")
    assert "Da consumarsi preferibilmente entro il 05/12/2026" in " ".join(
        render_text(lot_label(best_before, 42)).split()
    )


def test_z_report_slip(italian: Any) -> None:
    totals = {
        "business_date": "2026-11-25",
        "sales_count": 3,
        "sales_cents": 3000,
        "refunds_count": 1,
        "refunds_cents": 500,
        "net_cents": 2500,
        "discounts_cents": 100,
        "markdowns_cents": 50,
        "cancelled_count": 1,
        "vat": [{"rate_bp": 400, "gross_cents": 2500, "taxable_cents": 2404, "tax_cents": 96}],
        "payments": {"cash": 2500},
        "categories": {"Verdura": 2500},
        "social_tariff_cents": 800,
        "social_tariff_count": 1,
        "solidarity_redeemed_cents": 0,
        "solidarity_donated_cents": 1000,
        "cash_in_cents": 1000,
        "cash_out_cents": 0,
        "shifts": [],
    }
    text = render_text(shift_report({"kind": "z_report", "counter": "Cassa emporio", "number": 7, "totals": totals}))
    assert "CHIUSURA Z N. 7" in text and "25,00" in text and "24,04" in text and "0,96" in text
