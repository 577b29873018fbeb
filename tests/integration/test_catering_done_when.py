"""Issue 16's "Done when", end to end on SQLite and PostgreSQL: a quote for 40 guests next month with
a lab preserve, confirmed; a 30 % deposit at CAP-1; the kitchen's plan; the delivery with a DDT
naming the lots; the business's FatturaPA (deposit deducted) valid and read back with the same
figures; the trace of the preserve's lot shows the customer; a private customer's order on account
settled a week later."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select

from catering import delivery, documents, invoices, money, orders, plan
from catering.fatturapa import SCHEMA
from catering.orders import MenuLine, QuoteInput
from inventory.trace import trace_lines, trace_lot
from orto.db import Database
from orto.enums import PaymentMethod
from orto.localtime import local_day
from orto.models import CashMovement, CateringOrder, DeliveryNote, Invoice, Sale, SaleStatus, StockLevel
from pos import selling
from pos.selling import PaymentInput
from tests.catering_world import EVENT_DAYS, SELLER_VAT, build_kitchen, event

MENU = [
    MenuLine("Lasagne vegetariane", 1200, quantity=1, per_person=True, portion=250),  # recipe id set below
    MenuLine("Giardiniera dell'orto, vasetto", 650, quantity=10, per_person=False),  # product id set below
    MenuLine("Noleggio stoviglie", 15000, quantity=1, per_person=False, vat_rate_bp=2200),
]


def cents(text: str | None) -> int:
    return int(Decimal(text or "0").scaleb(2))


def test_done_when(db: Database, tmp_path: Path) -> None:
    k = build_kitchen(db)
    lines = [
        MenuLine(**{**MENU[0].__dict__, "recipe_id": k.lasagne}),
        MenuLine(**{**MENU[1].__dict__, "product_id": k.preserve}),
        MENU[2],
    ]
    when = event(EVENT_DAYS, k.today)
    order_id = orders.create_quote(
        db,
        k.cashier,
        QuoteInput(k.business, when, 40, lines, place="Cascina Cuccagna, Via Cuccagna 2, Milano", dietary="3 vegani"),
    )
    quote = BytesIO()
    documents.quote_pdf(db, k.settings, order_id, quote)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(quote.getvalue())).pages)
    assert "Lasagne vegetariane" in text and "40" in text and "695.00" in text
    orders.confirm(db, k.cashier, order_id)

    # 30 % deposit at CAP-1: a business gets a TD02, the cash goes in the drawer of the open shift
    selling.open_shift(db, k.counter, k.shop.cashier, {})
    deposit = 69500 * 30 // 100
    taken = money.take_payment(
        db, k.cashier, order_id, deposit, method="cash", counter_id=k.counter, settings=k.settings
    )
    assert taken.invoice_id is not None and taken.sale_id is None
    with db.read() as session:
        drawer = session.scalars(select(CashMovement.amount_cents)).all()
        assert drawer == [deposit]

    # the kitchen's plan for the event's day
    day = local_day(when)
    p = plan.kitchen_plan(db, day)
    needs = {i.product: i for i in p.ingredients}
    assert needs["Farina 00"].needed == 2000 and needs["Farina 00"].short == 0  # 40 × 250 g = 2 batches
    assert needs["Latte intero"].needed == 4000 and needs["Latte intero"].short == 3000
    courgettes = needs["Zucchine"]
    assert courgettes.needed == 5000 and courgettes.short == 0
    assert [(lot.lot_code, lot.take, lot.rescue) for lot in courgettes.lots] == [
        ("CAP-ZUC-OLD", 3000, True),
        ("CAP-ZUC-NEW", 2000, False),
    ]  # rescued food first
    assert [(i.product, i.needed, i.short) for i in p.ready] == [("Giardiniera dell'orto", 10, 0)]
    assert [i.product for i in p.short] == ["Latte intero"]
    plan.reserve_lot(db, k.cashier, order_id, k.preserve_lot, 10)

    # delivered with a DDT naming the lots
    note_id = delivery.deliver(db, k.cashier, order_id)
    ddt = BytesIO()
    documents.ddt_pdf(db, k.settings, note_id, ddt)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(ddt.getvalue())).pages)
    assert k.preserve_lot in text and "Associazione Ortica APS" in text and "Cascina Cuccagna" in text
    assert "celery" in text and "sulphites" in text  # the lot's allergens
    with db.read() as session:
        left = session.scalar(
            select(StockLevel.quantity).where(
                StockLevel.location_id == k.kitchen_location, StockLevel.product_id == k.preserve
            )
        )
        assert left == 40

    # the business's invoice: TD01 with the deposit deducted, valid, read back independently
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order_id)
    with db.read() as session:
        td01 = session.get(Invoice, invoice_id)
        td02 = session.get(Invoice, taken.invoice_id)
        assert td01 is not None and td02 is not None
        xml, name, td02_xml = td01.xml.encode(), td01.file_name, td02.xml.encode()
        assert session.get(CateringOrder, order_id).status == "invoiced"  # type: ignore[union-attr]
    assert name == f"IT{SELLER_VAT}_00002.xml"
    parser = etree.XMLParser(no_network=True)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA), parser))
    for document in (xml, td02_xml):
        schema.assertValid(etree.fromstring(document, parser))
    root = etree.fromstring(xml, parser)
    assert root.xpath("string(//TipoDocumento)") == "TD01"
    assert root.xpath("string(//CessionarioCommittente//IdCodice)") == "01234560157"
    assert root.xpath("string(//CodiceDestinatario)") == "M5UXCR1"
    nets: dict[int, int] = {}
    for line in root.xpath("//DettaglioLinee"):
        rate = cents(line.findtext("AliquotaIVA"))
        total = cents(line.findtext("PrezzoTotale"))
        unit = Decimal(line.findtext("PrezzoUnitario")) * Decimal(line.findtext("Quantita"))
        assert abs(unit.scaleb(2) - total) <= 1  # PrezzoTotale = PrezzoUnitario × Quantita
        nets[rate] = nets.get(rate, 0) + total
    summaries = {
        cents(r.findtext("AliquotaIVA")): (cents(r.findtext("ImponibileImporto")), cents(r.findtext("Imposta")))
        for r in root.xpath("//DatiRiepilogo")
    }
    assert set(summaries) == {1000, 2200}
    gross = {1000: 48000 + 6500, 2200: 15000}
    deposit_gross = {1000: deposit * 54500 // 69500, 2200: deposit - deposit * 54500 // 69500}
    for rate, (taxable, vat) in summaries.items():
        assert taxable == nets[rate]  # the lines add up to the summary
        assert abs(vat - (taxable * rate + 5000) // 10000) <= 1  # VAT on the taxable, the SdI's tolerance
        remaining = gross[rate] - deposit_gross[rate]
        assert abs(taxable + vat - remaining) <= 1
    total = cents(root.xpath("string(//ImportoTotaleDocumento)"))
    assert total == sum(t + v for t, v in summaries.values()) == 69500 - deposit
    assert cents(root.xpath("string(//ImportoPagamento)")) == 69500 - deposit
    linked = root.xpath("string(//DatiFattureCollegate/IdDocumento)")
    assert linked == etree.fromstring(td02_xml).xpath("string(//Numero)")
    deducted = [ln for ln in root.xpath("//DettaglioLinee") if cents(ln.findtext("PrezzoTotale")) < 0]
    assert len(deducted) == 2  # one deduction line per rate
    deposit_root = etree.fromstring(td02_xml)
    assert cents(deposit_root.xpath("string(//ImportoTotaleDocumento)")) == deposit
    assert deposit_root.xpath("string(//TipoDocumento)") == "TD02"

    pdf = BytesIO()
    documents.invoice_pdf(db, k.settings, invoice_id, pdf)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.getvalue())).pages)
    assert name in text and f"{(69500 - deposit) / 100:.2f}" in text

    # the trace of the preserve's lot shows the customer
    with db.read() as session:
        trace = trace_lot(session, k.preserve_lot)
        ddt_number = session.scalar(select(DeliveryNote.number).where(DeliveryNote.id == note_id))
    [row] = trace.forward.catering
    assert (row.customer, row.vat_number, row.quantity) == ("Associazione Ortica APS", "01234560157", 10)
    assert any("Associazione Ortica APS" in line and f"/{ddt_number:04d}" in line for line in trace_lines(trace))

    # a private customer's order put on account, settled a week later at the counter
    small = orders.create_quote(
        db, k.cashier, QuoteInput(k.person, event(3, k.today), 8, [MenuLine("Aperitivo", 900)], place="Via Porpora 4")
    )
    orders.confirm(db, k.cashier, small)
    delivery.deliver(db, k.cashier, small)
    money.put_on_account(db, k.cashier, small, today=k.today)
    statement = money.statement(db, k.cashier, k.person, today=k.today)
    assert statement.balance_cents == 7200 and statement.overdue_cents == 0
    from datetime import timedelta

    later = money.statement(db, k.cashier, k.person, today=k.today + timedelta(days=8))
    assert later.overdue_cents == 7200  # 7 days' terms passed
    assert [r.customer for r in money.receivables(db, k.manager, today=k.today + timedelta(days=8))] == ["Mario Rossi"]
    settled = money.settle_account(db, k.cashier, k.person, 7200, counter_id=k.counter)
    assert settled.sale_id is not None
    assert money.statement(db, k.cashier, k.person).balance_cents == 7200  # counts once the till completes the sale
    result = selling.complete_sale(
        db, k.settings, settled.sale_id, k.shop.cashier, [PaymentInput(PaymentMethod.CARD, 7200)]
    )
    assert result.sale.total_cents == 7200
    with db.read() as session:
        sale = session.get(Sale, settled.sale_id)
        assert sale is not None and sale.status is SaleStatus.COMPLETED
        assert [(ln.vat_rate_bp, ln.total_cents) for ln in sale.lines] == [(1000, 7200)]
    final = money.statement(db, k.cashier, k.person, today=k.today + timedelta(days=8))
    assert (final.balance_cents, final.overdue_cents) == (0, 0)
