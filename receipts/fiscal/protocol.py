"""Epson Fiscal ePOS-Print: the SOAP envelopes Orto sends and the answer it reads. Pure functions.

Amounts and quantities are written with a decimal comma from integers (cents, thousandths), never
through float. ``parse_answer`` turns anything that is not the RT's ``<response>`` (an HTML page,
garbage, an empty body) into ``RtProtocolError`` naming what came back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from orto.errors import OrtoError
from receipts.fiscal.document import REFUND, VOID, FiscalReceipt

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
OPERATOR = "1"


class RtProtocolError(OrtoError):
    """The RT's answer is not a Fiscal ePOS-Print response."""


def cents(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 100)
    return f"{sign}{whole},{part:02d}"


def quantity(milli: int) -> str:
    whole, part = divmod(milli, 1000)
    return str(whole) if part == 0 else f"{whole},{part:03d}".rstrip("0")


def parse_cents(text: str) -> int:
    """'12,34' or '12.34' or '1.234,50' -> 1234 / 123450 cents; no float."""
    raw = text.strip().replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    negative = raw.startswith("-")
    raw = raw.lstrip("+-")
    whole, _, part = raw.partition(".")
    if not (whole or part) or not (whole or "0").isdigit() or (part and not part.isdigit()):
        raise RtProtocolError(f"not an amount: {text!r}")
    value = int(whole or "0") * 100 + int((part + "00")[:2])
    return -value if negative else value


def _envelope(body: ET.Element) -> bytes:
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP_NS}}}Body").append(body)
    ET.register_namespace("s", SOAP_NS)
    return ET.tostring(envelope, encoding="utf-8", xml_declaration=True)


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {"operator": OPERATOR, **attrs})


def receipt_request(doc: FiscalReceipt) -> bytes:
    """printerFiscalReceipt: a sale, a reso (refund) or an annullo (void)."""
    body = ET.Element("printerFiscalReceipt")
    if doc.reference is not None:
        # the reference comes first: it tells the RT this document is a reso or an annullo
        _el(body, "printRecMessage", messageType="4", message=doc.reference.message, index="1", font="1")
    if doc.kind == VOID:
        return _envelope(body)  # the RT voids the referenced document whole
    _el(body, "beginFiscalReceipt")
    for item in doc.items:
        if doc.kind == REFUND:
            # a reso line carries what was paid for it: its adjustments are already netted
            _el(
                body,
                "printRecRefund",
                description=item.description,
                quantity=quantity(item.quantity_milli),
                unitPrice=cents(item.unit_price_cents),
                department=str(item.department),
                justification="1",
            )
            continue
        _el(
            body,
            "printRecItem",
            description=item.description,
            quantity=quantity(item.quantity_milli),
            unitPrice=cents(item.unit_price_cents),
            department=str(item.department),
            justification="1",
        )
        for adj in item.adjustments:
            _el(
                body,
                "printRecItemAdjustment",
                adjustmentType="3",  # discount on the item above
                description=adj.description,
                amount=cents(adj.amount_cents),
                department=str(item.department),
                justification="2",
            )
    for line in doc.messages:
        _el(body, "printRecMessage", messageType="3", message=line, index="1", font="1")
    if doc.lottery_code:
        _el(body, "printRecLotteryID", code=doc.lottery_code)
    for tender in doc.tenders:
        _el(
            body,
            "printRecTotal",
            description=tender.description,
            payment=cents(tender.amount_cents),
            paymentType=str(tender.payment_type),
            index=str(tender.index),
            justification="2",
        )
    _el(body, "endFiscalReceipt")
    if doc.open_drawer:
        _el(body, "openDrawer")
    return _envelope(body)


def report_request(which: str) -> bytes:
    """printerFiscalReport with printXReport (read only) or printZReport (the fiscal closure)."""
    body = ET.Element("printerFiscalReport")
    _el(body, "printZReport" if which == "z" else "printXReport", timeout="12000")
    return _envelope(body)


def status_request() -> bytes:
    """printerCommand/queryPrinterStatus: the state, the serial, the clock and the last numbers."""
    body = ET.Element("printerCommand")
    _el(body, "queryPrinterStatus", statusType="1")
    return _envelope(body)


@dataclass(frozen=True)
class RtAnswer:
    success: bool
    code: str
    status: str
    info: dict[str, str] = field(default_factory=dict)

    def number(self, key: str) -> int | None:
        value = self.info.get(key, "").strip()
        return int(value) if value.isdigit() else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_answer(raw: bytes) -> RtAnswer:
    """The ``<response success code status>`` of an envelope, with its addInfo flattened."""
    snippet = raw[:80].decode("utf-8", "replace").replace("\n", " ").strip()
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise RtProtocolError(f"not XML ({snippet!r})") from exc
    response = next((el for el in root.iter() if _local(el.tag) == "response"), None)
    if response is None:
        raise RtProtocolError(f"no <response> in the answer ({snippet!r})")
    success = response.get("success", "").strip().lower()
    if success not in ("true", "false"):
        raise RtProtocolError(f'<response> without success="true|false" ({snippet!r})')
    info: dict[str, str] = {}
    for el in response.iter():
        if el is not response and len(el) == 0:
            info[_local(el.tag)] = (el.text or "").strip()
    return RtAnswer(success == "true", response.get("code", ""), response.get("status", ""), info)
