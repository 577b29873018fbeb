"""Catering's rules one by one: bad input named and nothing written; the consumer's deposit through
the till (in the shift, at 10 %); credit notes; SdI notifications; the plan's reservations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from catering import delivery, invoices, money, orders, plan
from catering.customers import CustomerData, save_customer
from catering.fatturapa import SCHEMA
from catering.orders import MenuLine, QuoteInput
from orto.db import Database
from orto.enums import PaymentMethod
from orto.errors import InvalidInput, NotAllowed
from orto.localtime import local_day
from orto.models import AuditEntry, CateringOrder, CateringPayment, Invoice, Sale, SaleLine
from pos import selling
from pos.selling import PaymentInput
from tests.catering_world import Kitchen, build_kitchen, event


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def quote(k: Kitchen, customer: int | None = None, guests: int = 20, price: int = 1500, days: int = 10) -> int:
    data = QuoteInput(
        customer or k.business, event(days, k.today), guests, [MenuLine("Buffet", price)], place="Via Padova 21"
    )
    return orders.create_quote(k.db, k.cashier, data)


@pytest.fixture
def k(db: Database) -> Kitchen:
    return build_kitchen(db)


@pytest.mark.parametrize(
    ("when", "guests", "message"),
    [(-1, 10, "event date"), (10, 0, "guests: 0 given")],
)
def test_a_quote_that_cannot_be_served_is_refused(
    k: Kitchen, db: Database, when: int, guests: int, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        orders.create_quote(db, k.cashier, QuoteInput(k.business, event(when, k.today), guests, [MenuLine("x", 100)]))
    assert count(db, CateringOrder) == 0


def test_a_deposit_above_the_total_is_refused(k: Kitchen, db: Database) -> None:
    order = quote(k)
    with pytest.raises(NotAllowed, match="confirm"):
        money.take_payment(db, k.cashier, order, 100, method="bank_transfer", settings=k.settings)
    orders.confirm(db, k.cashier, order)
    with pytest.raises(InvalidInput, match="above what is still due"):
        money.take_payment(db, k.cashier, order, 30001, method="bank_transfer", settings=k.settings)
    assert count(db, CateringPayment) == 0 and count(db, Invoice) == 0


def test_invoicing_twice_and_missing_invoice_data(k: Kitchen, db: Database) -> None:
    bare = save_customer(db, k.cashier, CustomerData(name="Ditta Senza Dati", kind="business"))
    order = quote(k, bare)
    orders.confirm(db, k.cashier, order)
    with pytest.raises(InvalidInput, match="partita IVA or codice fiscale"):
        money.take_payment(db, k.cashier, order, 1000, method="bank_transfer", settings=k.settings)
    assert count(db, CateringPayment) == 0  # the payment went with the refused TD02
    delivery.deliver(db, k.cashier, order)
    with pytest.raises(InvalidInput, match="Ditta Senza Dati cannot be invoiced"):
        invoices.invoice_order(db, k.settings, k.manager, order)
    good = quote(k)
    orders.confirm(db, k.cashier, good)
    delivery.deliver(db, k.cashier, good)
    with pytest.raises(NotAllowed, match="invoices"):
        invoices.invoice_order(db, k.settings, k.cashier, good)  # a cashier does not invoice
    invoices.invoice_order(db, k.settings, k.manager, good)
    with pytest.raises(NotAllowed, match="already invoiced"):
        invoices.invoice_order(db, k.settings, k.manager, good)
    assert count(db, Invoice) == 1


def test_a_cancelled_order_keeps_its_reason(k: Kitchen, db: Database) -> None:
    order = quote(k)
    with pytest.raises(InvalidInput, match="reason"):
        orders.cancel(db, k.cashier, order, " ")
    orders.cancel(db, k.cashier, order, "the event moved to spring")
    with db.read() as session:
        row = session.get(CateringOrder, order)
        assert row is not None and (row.status, row.cancel_reason) == ("cancelled", "the event moved to spring")
        assert len(row.lines) == 1
    with pytest.raises(NotAllowed):
        orders.confirm(db, k.cashier, order)


def test_a_private_deposit_is_a_till_sale_at_ten_percent(k: Kitchen, db: Database) -> None:
    order = quote(k, k.person, guests=10, price=2000)
    orders.confirm(db, k.cashier, order)
    selling.open_shift(db, k.counter, k.shop.cashier, {})
    taken = money.take_payment(db, k.cashier, order, 6000, counter_id=k.counter)
    assert taken.invoice_id is None and taken.sale_id is not None
    with db.read() as session:
        assert money.paid(session, order) == 0  # not until the sale is completed
    with pytest.raises(InvalidInput, match="above what is still due"):  # the open sale holds 60 €
        money.take_payment(db, k.cashier, order, 14001, counter_id=k.counter)
    selling.complete_sale(db, k.settings, taken.sale_id, k.shop.cashier, [PaymentInput(PaymentMethod.CASH, 6000)])
    with db.read() as session:
        assert money.paid(session, order) == 6000
        sale = session.get(Sale, taken.sale_id)
        assert sale is not None and sale.number is not None
        [line] = session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id)).all()
        assert (line.vat_rate_bp, line.total_cents, line.description) == (1000, 6000, "Deposit CAT-2026-0001")
    delivery.deliver(db, k.cashier, order)
    balance = money.take_payment(db, k.cashier, order, 14000, kind="balance", counter_id=k.counter)
    assert balance.sale_id is not None
    first, last = datetime.now(UTC), datetime.now(UTC) + timedelta(days=30)
    assert [r.status for r in orders.orders_between(db, k.cashier, first, last)] == ["delivered"]
    selling.complete_sale(db, k.settings, balance.sale_id, k.shop.cashier, [PaymentInput(PaymentMethod.CARD, 14000)])
    [row] = orders.orders_between(db, k.cashier, first, last)
    assert (row.status, row.paid_cents) == ("paid", 20000)


def test_credit_note_and_sdi_receipts(k: Kitchen, db: Database, tmp_path: Path) -> None:
    order = quote(k)
    orders.confirm(db, k.cashier, order)
    delivery.deliver(db, k.cashier, order)
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order)
    note_id = invoices.credit_note(db, k.settings, k.manager, invoice_id, "two guests fewer", amount_cents=3000)
    with pytest.raises(InvalidInput, match="between"):
        invoices.credit_note(db, k.settings, k.manager, invoice_id, "too much", amount_cents=30000)
    with db.read() as session:
        note = session.get(Invoice, note_id)
        original = session.get(Invoice, invoice_id)
        assert note is not None and original is not None
        xml, name = note.xml.encode(), original.file_name
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root = etree.fromstring(xml)
    schema.assertValid(root)
    assert root.xpath("string(//TipoDocumento)") == "TD04"
    assert root.xpath("string(//ImportoTotaleDocumento)") == "30.00"
    assert root.xpath("string(//DatiFattureCollegate/IdDocumento)").endswith("/0001")

    scarto = tmp_path / "ns.xml"
    scarto.write_text(
        '<?xml version="1.0"?><types:RicevutaScarto xmlns:types="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/'
        f'fatture/v1.0" versione="1.0"><IdentificativoSdI>1</IdentificativoSdI><NomeFile>{name}</NomeFile>'
        "<ListaErrori><Errore><Codice>00305</Codice><Descrizione>IdCodice del cessionario non valido</Descrizione>"
        "</Errore></ListaErrori></types:RicevutaScarto>"
    )
    result = invoices.import_receipt(db, scarto)
    assert (result.kind, result.state) == ("NS", "rejected")
    with db.read() as session:
        original = session.get(Invoice, invoice_id)
        assert original is not None and original.state == "rejected" and "00305" in (original.state_reason or "")
        assert session.get(CateringOrder, order).status == "delivered"  # type: ignore[union-attr]
    bad = tmp_path / "bad.xml"
    bad.write_text("<nope/>")
    with pytest.raises(InvalidInput, match="not an SdI notification"):
        invoices.import_receipt(db, bad)
    invoices.invoice_order(db, k.settings, k.manager, order)  # corrected and issued again
    delivered = tmp_path / "rc.xml"
    with db.read() as session:
        again = session.scalar(select(Invoice).where(Invoice.doc_type == "TD01", Invoice.state == "to_send"))
        assert again is not None
    delivered.write_text(f"<RicevutaConsegna><NomeFile>{again.file_name}</NomeFile></RicevutaConsegna>")
    assert invoices.import_receipt(db, delivered).state == "delivered"


def test_reserved_lots_are_not_promised_to_another_order(k: Kitchen, db: Database) -> None:
    first = orders.create_quote(
        db,
        k.cashier,
        QuoteInput(k.business, event(5, k.today), 30, [MenuLine("Giardiniera", 650, product_id=k.preserve)], place="x"),
    )
    second = orders.create_quote(
        db,
        k.cashier,
        QuoteInput(k.person, event(5, k.today), 30, [MenuLine("Giardiniera", 650, product_id=k.preserve)], place="y"),
    )
    orders.confirm(db, k.cashier, first)
    with pytest.raises(NotAllowed, match="confirmed orders"):
        plan.reserve_lot(db, k.cashier, second, k.preserve_lot, 10)
    orders.confirm(db, k.cashier, second)
    plan.reserve_lot(db, k.cashier, first, k.preserve_lot, 30)
    with pytest.raises(NotAllowed, match="20 free"):
        plan.reserve_lot(db, k.cashier, second, k.preserve_lot, 30)
    day = local_day(event(5, k.today))
    whole = plan.kitchen_plan(db, day)
    [jar] = whole.ready
    assert (jar.needed, jar.short) == (60, 10)  # 50 jars on hand for 60
    with db.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "lot_reserved")) == 1
        )


def test_an_associations_bar_tab_on_account_oldest_settled_first(k: Kitchen, db: Database) -> None:
    first = money.charge_account(db, k.cashier, k.business, 4500, "Bar tab, assemblea soci", today=k.today)
    money.charge_account(db, k.cashier, k.business, 3000, "Bar tab, festa", today=k.today + timedelta(days=20))
    assert first > 0
    money.settle_account(db, k.cashier, k.business, 5000, method="bank_transfer", reference="TRN 123")
    late = money.statement(db, k.cashier, k.business, today=k.today + timedelta(days=40))
    # 30 days' terms: the first tab (45,00) is paid, 5,00 of the second was; it is due on day 50
    assert (late.balance_cents, late.overdue_cents) == (2500, 0)
    later = money.statement(db, k.cashier, k.business, today=k.today + timedelta(days=51))
    assert later.overdue_cents == 2500
    with pytest.raises(InvalidInput, match="above the account's balance"):
        money.settle_account(db, k.cashier, k.business, 2501, method="bank_transfer")


def test_a_charge_whose_description_does_not_fit_is_refused_and_writes_nothing(k: Kitchen, db: Database) -> None:
    with pytest.raises(InvalidInput, match="description"):
        money.charge_account(db, k.cashier, k.business, 4500, "Bar tab " + "x" * 200, today=k.today)
    with pytest.raises(InvalidInput, match="description"):
        money.charge_account(db, k.cashier, k.business, 4500, "Bar tab\x00", today=k.today)
    assert money.statement(db, k.cashier, k.business, today=k.today).balance_cents == 0
