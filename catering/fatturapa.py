"""FatturaPA 1.2 built with lxml and validated against the official schema (catering/schema/,
copied from the tax agency's publication, see its README) before anything is written: FPR12
between private parties, FPA12 to a public body (its office's 6-character code, split payment,
the order reference with CIG and CUP).

a38 was considered: it models the same structure, but its build depends on the schema version it
ships and it would be a second way to spell every element we already check with the XSD; lxml
and the official XSD keep one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from catering.vat import Figures
from orto.errors import InvalidInput
from orto.i18n import gettext as _

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
SCHEMA = Path(__file__).parent / "schema" / "Schema_del_file_xml_FatturaPA_v1.2.2.xsd"
NO_CODE = "0000000"  # the recipient is found by PEC, or is a private person (cassetto fiscale)


class InvoiceInvalid(InvalidInput):
    """The XML does not validate against the FatturaPA schema; nothing was written."""


@dataclass(frozen=True)
class Party:
    name: str
    vat_number: str | None  # 11 digits, without IT
    fiscal_code: str | None
    address: str
    postcode: str
    town: str
    province: str
    country: str = "IT"
    sdi_code: str | None = None
    pec: str | None = None
    public: bool = False  # a public body: FPA12 to its codice univoco ufficio


@dataclass(frozen=True)
class PurchaseOrder:
    """DatiOrdineAcquisto: the public body's order (IdDocumento) with its CIG and CUP."""

    reference: str
    cig: str | None = None
    cup: str | None = None


@dataclass(frozen=True)
class InvoiceDoc:
    doc_type: str  # TD01, TD02, TD04
    number: str
    issued_on: date
    progressive: str  # the 5 characters of the file name, also ProgressivoInvio
    seller: Party
    buyer: Party
    figures: Figures
    related: tuple[tuple[str, date], ...] = ()  # (number, date) of linked invoices
    causale: str = ""
    regime: str = "RF01"
    payment_method: str = "MP05"  # bank transfer
    due_cents: int | None = None  # what is still to be paid (None: the total, or the taxable on split payment)
    split_payment: bool = False  # scissione dei pagamenti (art. 17-ter DPR 633/72): EsigibilitaIVA S
    purchase_order: PurchaseOrder | None = None

    @property
    def format(self) -> str:
        return "FPA12" if self.buyer.public else "FPR12"


def amount(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2).quantize(Decimal("0.01")))


def unit_price(net_cents: int, quantity: int) -> str:
    """Net price per unit, up to eight decimals as the schema allows, at least two."""
    value = (Decimal(net_cents) / quantity / 100).quantize(Decimal("0.00000001"))
    whole, _dot, frac = format(value, "f").partition(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac.ljust(2, '0')}"


def file_name(seller_vat: str, progressive: str) -> str:
    """As the SdI expects: IT, the seller's partita IVA, _, five characters, .xml."""
    return f"IT{seller_vat}_{progressive}.xml"


def progressive_code(sequence: int) -> str:
    """The sequence in base 36 on five characters (00001 … ZZZZZ: sixty million files)."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    n = sequence
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(5, "0")[-5:]


def build(doc: InvoiceDoc) -> bytes:
    """The invoice XML, validated; raises ``InvoiceInvalid`` naming the first element at fault."""
    from lxml import etree

    def sub(parent: Any, tag: str, text: str | None = None) -> Any:
        element = etree.SubElement(parent, tag)
        if text is not None:
            element.text = text
        return element

    if doc.buyer.public and not (doc.buyer.sdi_code and len(doc.buyer.sdi_code) == 6):
        raise InvoiceInvalid(_("FPA12: the public body's codice univoco ufficio (6 characters) is needed"))
    if not doc.buyer.public and doc.buyer.sdi_code and len(doc.buyer.sdi_code) != 7:
        raise InvoiceInvalid(_("FPR12: the recipient's SdI code has 7 characters"))
    root = etree.Element(f"{{{NAMESPACE}}}FatturaElettronica", nsmap={"p": NAMESPACE}, versione=doc.format)
    header = sub(root, "FatturaElettronicaHeader")
    transmission = sub(header, "DatiTrasmissione")
    sender = sub(transmission, "IdTrasmittente")
    sub(sender, "IdPaese", "IT")
    sub(sender, "IdCodice", doc.seller.vat_number or "")
    sub(transmission, "ProgressivoInvio", doc.progressive)
    sub(transmission, "FormatoTrasmissione", doc.format)
    sub(transmission, "CodiceDestinatario", doc.buyer.sdi_code or NO_CODE)
    if not doc.buyer.sdi_code and doc.buyer.pec:
        sub(transmission, "PECDestinatario", doc.buyer.pec)

    seller = sub(header, "CedentePrestatore")
    data = sub(seller, "DatiAnagrafici")
    vat = sub(data, "IdFiscaleIVA")
    sub(vat, "IdPaese", "IT")
    sub(vat, "IdCodice", doc.seller.vat_number or "")
    if doc.seller.fiscal_code:
        sub(data, "CodiceFiscale", doc.seller.fiscal_code)
    sub(sub(data, "Anagrafica"), "Denominazione", doc.seller.name)
    sub(data, "RegimeFiscale", doc.regime)
    _place(sub, sub(seller, "Sede"), doc.seller)

    buyer = sub(header, "CessionarioCommittente")
    data = sub(buyer, "DatiAnagrafici")
    if doc.buyer.vat_number:
        vat = sub(data, "IdFiscaleIVA")
        sub(vat, "IdPaese", doc.buyer.country)
        sub(vat, "IdCodice", doc.buyer.vat_number)
    if doc.buyer.fiscal_code:
        sub(data, "CodiceFiscale", doc.buyer.fiscal_code)
    sub(sub(data, "Anagrafica"), "Denominazione", doc.buyer.name)
    _place(sub, sub(buyer, "Sede"), doc.buyer)

    body = sub(root, "FatturaElettronicaBody")
    general = sub(body, "DatiGenerali")
    document = sub(general, "DatiGeneraliDocumento")
    sub(document, "TipoDocumento", doc.doc_type)
    sub(document, "Divisa", "EUR")
    sub(document, "Data", doc.issued_on.isoformat())
    sub(document, "Numero", doc.number)
    sub(document, "ImportoTotaleDocumento", amount(doc.figures.total_cents))
    if doc.causale:
        sub(document, "Causale", doc.causale[:200])
    if doc.purchase_order is not None:
        ordered = sub(general, "DatiOrdineAcquisto")
        sub(ordered, "IdDocumento", doc.purchase_order.reference)
        if doc.purchase_order.cup:
            sub(ordered, "CodiceCUP", doc.purchase_order.cup)
        if doc.purchase_order.cig:
            sub(ordered, "CodiceCIG", doc.purchase_order.cig)
    for number, day in doc.related:
        linked = sub(general, "DatiFattureCollegate")
        sub(linked, "IdDocumento", number)
        sub(linked, "Data", day.isoformat())

    goods = sub(body, "DatiBeniServizi")
    for position, line in enumerate(doc.figures.lines, 1):
        detail = sub(goods, "DettaglioLinee")
        sub(detail, "NumeroLinea", str(position))
        sub(detail, "Descrizione", line.description[:1000])
        sub(detail, "Quantita", f"{line.quantity}.00")
        sub(detail, "PrezzoUnitario", unit_price(line.net_cents, line.quantity))
        sub(detail, "PrezzoTotale", amount(line.net_cents))
        sub(detail, "AliquotaIVA", amount(line.rate_bp))
    for rate in doc.figures.rates:
        summary = sub(goods, "DatiRiepilogo")
        sub(summary, "AliquotaIVA", amount(rate.rate_bp))
        sub(summary, "ImponibileImporto", amount(rate.taxable_cents))
        sub(summary, "Imposta", amount(rate.vat_cents))
        sub(summary, "EsigibilitaIVA", "S" if doc.split_payment else "I")
        if doc.split_payment:
            sub(summary, "RiferimentoNormativo", "Scissione dei pagamenti art. 17-ter DPR 633/72")

    # on split payment the body pays the VAT to the Treasury: what it owes us is the taxable
    owed = doc.figures.taxable_cents if doc.split_payment else doc.figures.total_cents
    due = owed if doc.due_cents is None else doc.due_cents
    if doc.doc_type != "TD04" and due > 0:
        payment = sub(body, "DatiPagamento")
        sub(payment, "CondizioniPagamento", "TP02")  # in one payment
        detail = sub(payment, "DettaglioPagamento")
        sub(detail, "ModalitaPagamento", doc.payment_method)
        sub(detail, "ImportoPagamento", amount(due))

    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(xml)
    return xml


def _place(sub: Any, where: Any, party: Party) -> None:
    sub(where, "Indirizzo", party.address)
    sub(where, "CAP", party.postcode if party.country == "IT" else "00000")
    sub(where, "Comune", party.town)
    if party.country == "IT" and party.province:
        sub(where, "Provincia", party.province)
    sub(where, "Nazione", party.country)


@cache
def schema() -> Any:
    from lxml import etree

    parser = etree.XMLParser(no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def validate(xml: bytes) -> None:
    from lxml import etree

    document = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    checker = schema()
    if not checker.validate(document):
        error = checker.error_log.last_error
        raise InvoiceInvalid(
            _("the invoice does not validate against FatturaPA 1.2.2, line {line}: {message}").format(
                line=error.line, message=error.message
            )
        )
