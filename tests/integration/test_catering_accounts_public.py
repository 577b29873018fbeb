"""A bar tab put on an association's account (its TD01, the stock, the statement, the settlement)
and invoices to public bodies (FPA12: the office's 6-character code, split payment, the order
reference with CIG and CUP), each invoice read back with lxml xpath and its amounts recomputed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import func, select

from catering import delivery, invoices, money, orders
from catering.customers import CustomerData, CustomerInvalid, check_customer, check_sdi_code, save_customer
from catering.orders import MenuLine, QuoteInput
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import (
    AccountEntry,
    Customer,
    Invoice,
    Sale,
    SaleStatus,
    StockLevel,
    StockMovement,
    Tab,
    TabStatus,
)
from pos import selling
from tests.catering_world import BUSINESS_VAT, Kitchen, build_kitchen, event

PUBLIC_CF = "01199250158"  # the Comune di Milano's numeric codice fiscale, checked like a partita IVA


@pytest.fixture
def k(db: Database) -> Kitchen:
    return build_kitchen(db)


def association(k: Kitchen, *, allowed: bool = True) -> int:
    return save_customer(
        k.db,
        k.cashier,
        CustomerData(
            name="Circolo Arci Monti" if allowed else "Circolo Senza Conto",
            kind="association",
            code="ARCI" if allowed else "NOCONTO",
            vat_number=BUSINESS_VAT,
            address="Via P.L. Monti 18",
            postcode="20162",
            town="Milano",
            province="MI",
            sdi_code="M5UXCR1",
            payment_days=30,
            account_allowed=allowed,
        ),
    )


def public_body(k: Kitchen, **extra: object) -> int:
    data = CustomerData(
        name="Comune di Milano - Municipio 9",
        kind="public",
        fiscal_code=PUBLIC_CF,
        address="Via Guerzoni 38",
        postcode="20158",
        town="Milano",
        province="MI",
        sdi_code="UFE3IJ",
        payment_days=30,
        account_allowed=True,
        order_ref="DET-2026-114",
        cig="Z1A2B3C4D5",
        cup="J41B20000010004",
    )
    for key, value in extra.items():
        data = _replace(data, key, value)
    return save_customer(k.db, k.manager, data)


def _replace(data: CustomerData, key: str, value: object) -> CustomerData:
    from dataclasses import replace

    return replace(data, **{key: value})


def bar_tab(k: Kitchen, label: str = "Circolo") -> int:
    shop = k.shop
    tab = selling.open_tab(k.db, shop.bar, shop.cashier, label)
    selling.add_round(k.db, tab.id, shop.cashier, [(shop.water, 2, None), (shop.toast, 1, None)])
    return tab.id


def cents(text: str | None) -> int:
    return int(Decimal(text or "0").scaleb(2))


def read_back(xml: str) -> dict[str, object]:
    """The invoice as an independent reader sees it (lxml xpath on local names), amounts in cents."""
    root = etree.fromstring(xml.encode("utf-8"))

    def texts(path: str) -> list[str]:
        return [str(x) for x in root.xpath(path)]

    def one(path: str) -> str:
        found = texts(path)
        return found[0] if found else ""

    return {
        "versione": root.get("versione"),
        "formato": one("//*[local-name()='FormatoTrasmissione']/text()"),
        "destinatario": one("//*[local-name()='CodiceDestinatario']/text()"),
        "pec": texts("//*[local-name()='PECDestinatario']/text()"),
        "type": one("//*[local-name()='TipoDocumento']/text()"),
        "total": cents(one("//*[local-name()='ImportoTotaleDocumento']/text()")),
        "lines": [cents(x) for x in texts("//*[local-name()='DettaglioLinee']/*[local-name()='PrezzoTotale']/text()")],
        "rates": [
            (
                cents(s.xpath("string(*[local-name()='AliquotaIVA'])")),
                cents(s.xpath("string(*[local-name()='ImponibileImporto'])")),
                cents(s.xpath("string(*[local-name()='Imposta'])")),
                s.xpath("string(*[local-name()='EsigibilitaIVA'])"),
            )
            for s in root.xpath("//*[local-name()='DatiRiepilogo']")
        ],
        "due": [cents(x) for x in texts("//*[local-name()='ImportoPagamento']/text()")],
        "order": (
            one("//*[local-name()='DatiOrdineAcquisto']/*[local-name()='IdDocumento']/text()"),
            one("//*[local-name()='DatiOrdineAcquisto']/*[local-name()='CodiceCIG']/text()"),
            one("//*[local-name()='DatiOrdineAcquisto']/*[local-name()='CodiceCUP']/text()"),
        ),
    }


def schema_valid(xml: str) -> bool:
    from catering.fatturapa import SCHEMA

    parser = etree.XMLParser(no_network=True, load_dtd=False)
    checker = etree.XMLSchema(etree.parse(str(SCHEMA), parser))
    return bool(checker.validate(etree.fromstring(xml.encode("utf-8"))))


# ---------------------------------------------------------------- a bar tab on account


def test_a_tab_on_an_associations_account_its_invoice_statement_and_settlement(k: Kitchen, db: Database) -> None:
    customer = association(k)
    tab_id = bar_tab(k)
    with db.read() as session:
        water_before = session.scalar(
            select(func.sum(StockLevel.quantity)).where(
                StockLevel.product_id == k.shop.water, StockLevel.location_id == k.shop.bar_location
            )
        )
    shown = selling.get_tab(db, tab_id).total_cents  # what the bar's tab list shows
    charged = money.tab_on_account(db, k.settings, k.shop.cashier, tab_id, customer, today=k.today)
    assert charged.amount_cents == shown  # the account is charged what the tab showed
    assert charged.amount_cents == 2 * 100 + 400
    with db.read() as session:
        tab = session.get(Tab, tab_id)
        assert tab is not None and tab.status is TabStatus.CLOSED
        # invoiced: not a till sale, so outside the corrispettivi and the Z
        assert session.scalar(select(func.count()).select_from(Sale).where(Sale.tab_id == tab_id)) == 0
        invoice = session.get(Invoice, charged.invoice_id)
        assert invoice is not None and invoice.doc_type == "TD01" and invoice.customer_id == customer
        entry = session.scalar(select(AccountEntry).where(AccountEntry.tab_id == tab_id))
        assert entry is not None and entry.invoice_id == invoice.id and entry.amount_cents == 600
        assert entry.due_on == k.today + timedelta(days=30)
        moves = session.scalars(select(StockMovement).where(StockMovement.doc_type == "tab_line")).all()
        assert sorted(m.quantity for m in moves) == [-2, -1]
        water_after = session.scalar(
            select(func.sum(StockLevel.quantity)).where(
                StockLevel.product_id == k.shop.water, StockLevel.location_id == k.shop.bar_location
            )
        )
        assert water_after == water_before - 2
        xml = invoice.xml
    doc = read_back(xml)
    assert schema_valid(xml)
    assert (doc["versione"], doc["formato"], doc["destinatario"], doc["type"]) == ("FPR12", "FPR12", "M5UXCR1", "TD01")
    rates = doc["rates"]
    assert [(r[0], r[3]) for r in rates] == [(1000, "I")]  # served at the bar: 10 %
    taxable, vat = rates[0][1], rates[0][2]
    assert sum(doc["lines"]) == taxable and taxable + vat == 600 == doc["total"]
    assert abs(vat - taxable * 10 / 100) <= 1 and doc["due"] == [600]

    s = money.statement(db, k.cashier, customer, today=k.today)
    assert [(ln.description, ln.charge_cents, ln.balance_cents) for ln in s.lines] == [
        (f"bar tab Circolo, invoice {k.today.year}/0001", 600, 600)
    ]
    assert s.balance_cents == 600 and s.overdue_cents == 0
    late = money.statement(db, k.cashier, customer, today=k.today + timedelta(days=31))
    assert late.overdue_cents == 600
    assert [r.customer for r in money.receivables(db, k.manager, today=k.today)] == ["Circolo Arci Monti"]

    money.settle_account(db, k.shop.cashier, customer, 600, method="bank_transfer", reference="CRO 123")
    s = money.statement(db, k.cashier, customer, today=k.today + timedelta(days=31))
    assert s.balance_cents == 0 and s.overdue_cents == 0 and s.lines[-1].payment_cents == 600
    assert money.receivables(db, k.manager, today=k.today) == []


def test_a_tab_goes_only_on_an_account_allowed_and_never_half(k: Kitchen, db: Database) -> None:
    refused = association(k, allowed=False)
    tab_id = bar_tab(k)
    with pytest.raises(NotAllowed, match="not allowed an account"):
        money.tab_on_account(db, k.settings, k.shop.cashier, tab_id, refused)
    save_customer(
        db, k.cashier, CustomerData(name="Mario Rossi", kind="person", account_allowed=True), customer_id=k.person
    )
    with pytest.raises(NotAllowed, match="private person"):
        money.tab_on_account(db, k.settings, k.shop.cashier, tab_id, k.person)
    allowed = association(k)
    selling.open_shift(db, k.shop.bar, k.shop.cashier, {})
    selling.tab_to_sale(db, tab_id, k.shop.bar, k.shop.cashier)  # the tab is on the till's sale
    with pytest.raises(NotAllowed, match="on a sale at the till"):
        money.tab_on_account(db, k.settings, k.shop.cashier, tab_id, allowed)
    with db.read() as session:
        tab = session.get(Tab, tab_id)
        assert tab is not None and tab.status is TabStatus.OPEN
        assert session.scalar(select(func.count()).select_from(AccountEntry)) == 0
        assert session.scalar(select(func.count()).select_from(Invoice)) == 0
        moved = select(func.count()).select_from(StockMovement).where(StockMovement.doc_type == "tab_line")
        assert session.scalar(moved) == 0
        assert session.scalar(select(func.count()).select_from(Sale).where(Sale.status == SaleStatus.COMPLETED)) == 0


def test_account_customers_lists_only_those_allowed(k: Kitchen, db: Database) -> None:
    association(k, allowed=False)
    allowed = association(k)
    assert [(i, n) for i, n, _b in money.account_customers(db, "circolo")] == [(allowed, "Circolo Arci Monti")]
    assert money.account_customers(db, "rossi") == []  # a private person is never offered


# ---------------------------------------------------------------- public bodies, FPA12


def test_the_sdi_code_has_6_characters_for_public_bodies_and_7_for_the_others() -> None:
    assert check_sdi_code("ufe3ij", "public") == "UFE3IJ"
    for kind in ("business", "association", "person"):
        assert check_sdi_code("m5uxcr1", kind) == "M5UXCR1"
        with pytest.raises(CustomerInvalid, match="UFE3IJ: 7 letters or digits expected"):
            check_sdi_code("UFE3IJ", kind)
    with pytest.raises(CustomerInvalid, match="M5UXCR1: 6 letters or digits expected"):
        check_sdi_code("M5UXCR1", "public")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"cig": "Z1A2B3"}, "CIG", "10 letters or digits"),
        ({"cup": "J41B2"}, "CUP", "15 letters or digits"),
        ({"order_ref": None}, "ordine", "CIG and CUP go with the order reference"),
        ({"order_ref": "X" * 21}, "ordine", "at most 20 characters"),
    ],
)
def test_a_public_bodys_references_are_checked(extra: dict[str, object], field: str, message: str) -> None:
    data = CustomerData(name="Comune", kind="public", order_ref="DET-1", cig="Z1A2B3C4D5", cup="J41B20000010004")
    for key, value in extra.items():
        data = _replace(data, key, value)
    with pytest.raises(CustomerInvalid, match=message) as caught:
        check_customer(data)
    assert caught.value.field == field


def test_a_public_body_without_its_office_code_is_not_invoiced(k: Kitchen, db: Database) -> None:
    body = public_body(k, sdi_code=None, pec="protocollo@pec.comune.milano.it")
    from catering.customers import invoice_problems

    with db.read() as session:
        customer = session.get(Customer, body)
        assert customer is not None
        assert invoice_problems(customer) == ["codice univoco ufficio (6 characters, from the IPA index)"]


def _public_order(k: Kitchen, body: int) -> int:
    data = QuoteInput(
        body,
        event(10, k.today),
        30,
        [
            MenuLine("Buffet del quartiere", 1500),
            MenuLine("Noleggio tavoli", 12200, per_person=False, vat_rate_bp=2200),
        ],
        place="Via Guerzoni 38",
    )
    order = orders.create_quote(k.db, k.cashier, data)
    orders.confirm(k.db, k.cashier, order)
    return order


def test_an_fpa12_invoice_validates_and_reads_back_with_split_payment(k: Kitchen, db: Database) -> None:
    body = public_body(k)
    order = _public_order(k, body)
    with pytest.raises(NotAllowed, match="public body"):
        money.take_payment(db, k.cashier, order, 10000, method="bank_transfer", settings=k.settings)
    orders.set_purchase_order(db, k.cashier, order, "BO-2026-77", cig="Z9Y8X7W6V5")  # the order's own
    delivery.deliver(db, k.cashier, order)
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order, today=k.today)
    with db.read() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        xml = invoice.xml
    assert schema_valid(xml)
    doc = read_back(xml)
    assert (doc["versione"], doc["formato"], doc["destinatario"], doc["pec"]) == ("FPA12", "FPA12", "UFE3IJ", [])
    assert doc["order"] == ("BO-2026-77", "Z9Y8X7W6V5", "")
    rates = {r[0]: r for r in doc["rates"]}
    assert set(rates) == {1000, 2200} and {r[3] for r in rates.values()} == {"S"}
    gross = {1000: 30 * 1500, 2200: 12200}
    for rate, (_r, taxable, vat, _e) in rates.items():
        assert taxable + vat == gross[rate]
        assert abs(vat * 100 - taxable * rate // 100) <= 100  # within a cent of taxable × rate
    taxable_total = sum(r[1] for r in rates.values())
    assert sum(doc["lines"]) == taxable_total
    assert doc["total"] == sum(gross.values())  # the document's total shows the VAT …
    assert doc["due"] == [taxable_total]  # … but the body owes the taxable (art. 17-ter)
    read_with_a38(xml, taxable_total, sum(gross.values()))


def read_with_a38(xml: str, due_cents: int, total_cents: int) -> None:
    """The same file read by a38 (a second, independent FatturaPA model) and its own checks."""
    a38 = pytest.importorskip("a38.fattura")
    from a38.validation import Validation

    invoice = a38.auto_from_etree(etree.fromstring(xml.encode("utf-8")))
    assert type(invoice).__name__ == "FatturaPA12"
    check = Validation()
    invoice.validate(check)
    # a38 also wants UnitaMisura beside every Quantita, which the schema and the SdI leave optional
    assert [str(e) for e in check.errors if "unita_misura" not in str(e)] == []
    header = invoice.fattura_elettronica_header.dati_trasmissione
    assert (header.formato_trasmissione, header.codice_destinatario) == ("FPA12", "UFE3IJ")
    body = invoice.fattura_elettronica_body[0]
    summaries = body.dati_beni_servizi.dati_riepilogo
    assert {r.esigibilita_iva for r in summaries} == {"S"}
    assert sum(int(r.imponibile_importo * 100) + int(r.imposta * 100) for r in summaries) == total_cents
    assert sum(int(r.imponibile_importo * 100) for r in summaries) == due_cents
    paid = body.dati_pagamento[0].dettaglio_pagamento[0].importo_pagamento
    assert int(paid * 100) == due_cents
    assert body.dati_generali.dati_ordine_acquisto[0].codice_cig == "Z9Y8X7W6V5"


def test_a_public_bodys_order_on_account_owes_the_taxable_and_takes_the_customers_references(
    k: Kitchen, db: Database
) -> None:
    body = public_body(k)
    order = _public_order(k, body)
    money.put_on_account(db, k.cashier, order, today=k.today)
    delivery.deliver(db, k.cashier, order)
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order, today=k.today)
    with db.read() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        doc = read_back(invoice.xml)
        entry = session.scalar(select(AccountEntry).where(AccountEntry.order_id == order))
        assert entry is not None
    assert doc["order"] == ("DET-2026-114", "Z1A2B3C4D5", "J41B20000010004")
    assert entry.amount_cents == invoice.taxable_cents == doc["due"][0]
    with pytest.raises(InvalidInput, match="above the account's balance"):
        money.settle_account(db, k.cashier, body, invoice.total_cents, method="bank_transfer")
    money.settle_account(db, k.cashier, body, invoice.taxable_cents, method="bank_transfer")
    assert money.statement(db, k.cashier, body).balance_cents == 0


def test_a_tab_on_account_from_the_command_line(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from orto.schema import upgrade
    from pos.cli.app import main_group
    from tests.shop import MANAGER_PIN

    url = f"sqlite:///{tmp_path / 'bar.sqlite3'}"
    sqlite = Database(url)
    upgrade(sqlite)
    k = build_kitchen(sqlite)
    association(k)
    bar_tab(k, "Tavolo 2")
    config = tmp_path / "orto.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[company]\nname = "Fuori e Dentro"\nvat_number = "07654320154"\n'
        'address = "Via L. Capuana 7"\npostcode = "20155"\ntown = "Milano"\nprovince = "MI"\n'
    )
    monkeypatch.setenv("ORTO_CONFIG", str(config))
    monkeypatch.setenv("ORTO_USER", "Giulia")
    monkeypatch.setenv("ORTO_PIN", MANAGER_PIN)
    base = ["--db", url, "--lang", "en", "catering"]
    assert main_group([*base, "tab-on-account", "Tavolo 9", "ARCI", "--counter", "MON-1"]) == 1
    assert "no open tab Tavolo 9 at MON-1" in capsys.readouterr().err
    assert main_group([*base, "tab-on-account", "Tavolo 2", "ARCI", "--counter", "MON-1"]) == 0
    assert "tab Tavolo 2 on account: €6.00, invoice" in capsys.readouterr().out
    assert main_group([*base, "account", "ARCI"]) == 0
    out = capsys.readouterr().out
    assert "bar tab Tavolo 2, invoice" in out and "Balance €6.00" in out


def test_a_public_bodys_order_shows_paid_once_its_taxable_is_paid(k: Kitchen, db: Database) -> None:
    from datetime import UTC, datetime

    body = public_body(k)
    order = _public_order(k, body)
    delivery.deliver(db, k.cashier, order)
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order, today=k.today)
    with db.read() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        taxable = invoice.taxable_cents
    money.take_payment(db, k.cashier, order, taxable, kind="balance", method="bank_transfer", settings=k.settings)
    with pytest.raises(InvalidInput, match="above what is still due"):
        money.take_payment(db, k.cashier, order, 1, kind="balance", method="bank_transfer", settings=k.settings)
    first = datetime.now(UTC) - timedelta(days=1)
    rows = [r for r in orders.orders_between(db, k.cashier, first, first + timedelta(days=60)) if r.id == order]
    assert [r.status for r in rows] == ["paid"]


def test_the_customers_file_carries_the_account_and_the_references(k: Kitchen, db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catering.customers_io import export_customers, import_customers
    from inventory.catalog_io import ImportRejected

    bad = tmp_path / "bad.csv"
    bad.write_text("codice,nome,tipo,codice_sdi,conto,ordine,cig\nC1,Comune,ente pubblico,UFE3IJ,forse,,\n")
    with pytest.raises(ImportRejected) as caught:
        import_customers(db, k.cashier, bad)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "conto")]
    rows = tmp_path / "enti.csv"
    rows.write_text(
        "codice,nome,tipo,codice_sdi,conto,ordine,cig,cup\n"
        "C1,Comune,ente pubblico,UFE3IJ,sì,DET-9,z1a2b3c4d5,\n"
        "C2,Scuola,ente pubblico,UFE3IJ,no,,Z1A2B3C4D5,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_customers(db, k.cashier, rows)
    assert [(e.line, e.column) for e in caught.value.errors] == [(3, "ordine")]
    rows.write_text(
        "codice,nome,tipo,codice_sdi,conto,ordine,cig\nC1,Comune,ente pubblico,UFE3IJ,sì,DET-9,z1a2b3c4d5\n"
    )
    import_customers(db, k.cashier, rows)
    with db.read() as session:
        body = session.scalar(select(Customer).where(Customer.code == "C1"))
        assert body is not None
        got = (body.account_allowed, body.order_ref, body.cig, body.sdi_code)
        assert got == (True, "DET-9", "Z1A2B3C4D5", "UFE3IJ")
    out = tmp_path / "out.csv"
    export_customers(db, k.manager, out, plain=True, language="en")
    header, *lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith("account,order_ref,cig,cup")
    assert any(line.startswith("C1,") and ",yes,DET-9,Z1A2B3C4D5," in line for line in lines)
