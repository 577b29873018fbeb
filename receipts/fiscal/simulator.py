"""A simulated RT on 127.0.0.1 that speaks Fiscal ePOS-Print: a SIMULATION, NOT A FISCAL DEVICE.

It keeps a fiscal memory like an RT (document numbers within the open Z period, totals per
department and per payment type, the Z counter, a serial, a clock), computes VAT per department
the way an RT does (scorporo of each department's total, half up), and refuses what an RT
refuses: an unknown department, payments short of the total, a zero total, a reso or annullo of
a document it never issued (or already voided), a Z while a receipt is open.

Fault switches (``faults``), for the tests, bench/ and the demo:
``refuse`` (answer success="false" with ``refuse_code``), ``paper_out``, ``cover_open``,
``timeout_before`` (hang without issuing), ``timeout_after`` (issue, then hang),
``drop_after`` (issue, then close the connection), ``garbage``, ``html``.

    python -m receipts.fiscal.simulator --port 8060
"""

from __future__ import annotations

import argparse
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from orto.localtime import ROME  # the RT keeps Italian time
from receipts.fiscal.protocol import cents, parse_cents

DEFAULT_DEPARTMENTS = {1: 400, 2: 1000, 3: 2200, 4: 500}  # department -> VAT rate (bp)
MAX_DESCRIPTION = 38


@dataclass
class SimDocument:
    kind: str  # sale | refund | void
    z_number: int
    number: int
    date: str  # ddmmyyyy
    time: str
    amount_cents: int
    departments: dict[int, int]  # department -> gross cents
    payments: dict[int, int]  # paymentType -> cents kept (net of change)
    lines: list[dict[str, Any]]
    reference: str | None = None
    lottery_code: str | None = None
    voided: bool = False
    refunded_cents: int = 0


class Refusal(Exception):
    def __init__(self, code: str, status: str = "2") -> None:
        self.code, self.status = code, status
        super().__init__(code)


def scorporo(gross: int, rate_bp: int) -> tuple[int, int]:
    """The RT's own split of a department's total: (taxable, tax), taxable rounded half up."""
    taxable = (
        (2 * gross * 10_000 + (10_000 + rate_bp)) // (2 * (10_000 + rate_bp))
        if gross >= 0
        else -((2 * -gross * 10_000 + (10_000 + rate_bp)) // (2 * (10_000 + rate_bp)))
    )
    return taxable, gross - taxable


def _milli(text: str) -> int:
    whole, _, part = text.replace(".", ",").partition(",")
    return int(whole or "0") * 1000 + int((part + "000")[:3])


@dataclass
class SimulatedRT:
    port: int = 0
    serial: str = "99SIM000001"
    departments: dict[int, int] = field(default_factory=lambda: dict(DEFAULT_DEPARTMENTS))
    faults: set[str] = field(default_factory=set)
    refuse_code: str = "EPTR_REC_EMPTY"
    hang_s: float = 3.0
    receipt_open: bool = False
    z_number: int = 1  # the open period: documents issued now belong to this Z
    documents: list[SimDocument] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)
    requests: list[bytes] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> SimulatedRT:
        rt = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                rt._handle(self, body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def down(self) -> None:
        """Switched off: connections are refused until ``up()``."""
        self.stop()

    def up(self) -> None:
        self.start()

    # ------------------------------------------------------------ what the tests read

    def issued(self, kind: str | None = None) -> list[SimDocument]:
        with self._lock:
            return [d for d in self.documents if kind is None or d.kind == kind]

    def open_period(self) -> list[SimDocument]:
        return [d for d in self.issued() if d.z_number == self.z_number]

    def vat(self, doc: SimDocument) -> dict[int, tuple[int, int]]:
        """rate_bp -> (taxable, tax) as the RT computes it for one document."""
        return {
            self.departments[dept]: scorporo(gross, self.departments[dept]) for dept, gross in doc.departments.items()
        }

    # ------------------------------------------------------------ HTTP

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        self.requests.append(body)
        if "garbage" in self.faults:
            return self._reply(handler, b"\x00\x17garbage\xff not xml", "application/octet-stream")
        if "html" in self.faults:
            return self._reply(handler, b"<html><body><h1>Router login</h1></body></html>", "text/html")
        try:
            root = ET.fromstring(body)
            command = next(el for el in root.iter() if el.tag.rsplit("}", 1)[-1].startswith("printer"))
        except (ET.ParseError, StopIteration):
            return self._answer(handler, False, "PARSER_ERROR", "0", {})
        tag = command.tag.rsplit("}", 1)[-1]
        issuing = tag != "printerCommand"  # the time-out and drop switches hit documents and reports
        if issuing and "timeout_before" in self.faults:
            time.sleep(self.hang_s)
            return None
        try:
            if tag == "printerCommand":
                info = self._status()
            elif "refuse" in self.faults:
                raise Refusal(self.refuse_code)
            elif "paper_out" in self.faults:
                raise Refusal("EPTR_REC_EMPTY")
            elif "cover_open" in self.faults:
                raise Refusal("EPTR_COVER_OPEN")
            elif tag == "printerFiscalReceipt":
                info = self._receipt(command)
            elif tag == "printerFiscalReport":
                info = self._report(command)
            else:
                raise Refusal("UNKNOWN_COMMAND")
        except Refusal as refusal:
            return self._answer(handler, False, refusal.code, refusal.status, {})
        if issuing and "timeout_after" in self.faults:
            time.sleep(self.hang_s)
            return None
        if issuing and "drop_after" in self.faults:
            handler.close_connection = True
            handler.connection.close()
            return None
        return self._answer(handler, True, "", "2", info)

    def _reply(self, handler: BaseHTTPRequestHandler, data: bytes, ctype: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(
        self, handler: BaseHTTPRequestHandler, success: bool, code: str, status: str, info: dict[str, str]
    ) -> None:
        env = ET.Element("{http://schemas.xmlsoap.org/soap/envelope/}Envelope")
        body = ET.SubElement(env, "{http://schemas.xmlsoap.org/soap/envelope/}Body")
        response = ET.SubElement(
            body, "response", {"success": "true" if success else "false", "code": code, "status": status}
        )
        add = ET.SubElement(response, "addInfo")
        for key, value in info.items():
            ET.SubElement(add, key).text = value
        self._reply(handler, ET.tostring(env, encoding="utf-8", xml_declaration=True), "text/xml; charset=utf-8")

    # ------------------------------------------------------------ the fiscal memory

    def _printer_digit(self) -> str:
        if "paper_out" in self.faults:
            return "2"
        if "cover_open" in self.faults:
            return "3"
        return "0"

    def _status(self) -> dict[str, str]:
        with self._lock:
            last = self.documents[-1] if self.documents else None
            return {
                "printerStatus": self._printer_digit() + "0110",
                "serialNumber": self.serial,
                "dateTime": datetime.now(ROME).replace(microsecond=0, tzinfo=None).isoformat(),
                "zRepNumber": str(self.z_number),
                "lastFiscalReceiptNumber": str(last.number if last and last.z_number == self.z_number else 0),
                "lastFiscalReceiptAmount": cents(last.amount_cents) if last else "0,00",
                "lastFiscalReceiptDate": last.date if last else "",
                "receiptOpen": "1" if self.receipt_open else "0",
            }

    def _next_number(self) -> int:
        return sum(1 for d in self.documents if d.z_number == self.z_number) + 1

    def _find(self, reference: str) -> tuple[str, SimDocument]:
        parts = reference.split()
        if len(parts) != 5 or parts[0] not in ("REFUND", "VOID"):
            raise Refusal("BAD_REFERENCE")
        kind, z, number, date, serial = parts
        for doc in self.documents:
            if (
                doc.kind == "sale"
                and doc.z_number == int(z)
                and doc.number == int(number)
                and doc.date == date
                and serial == self.serial
            ):
                return kind, doc
        raise Refusal("DOCUMENT_NOT_FOUND")

    def _receipt(self, command: ET.Element) -> dict[str, str]:
        with self._lock:
            if self.receipt_open:
                raise Refusal("RECEIPT_ALREADY_OPEN")
            elements = list(command)
            reference = next(
                (
                    el.get("message", "")
                    for el in elements
                    if el.tag == "printRecMessage" and el.get("messageType") == "4"
                ),
                None,
            )
            target: SimDocument | None = None
            ref_kind = None
            if reference is not None:
                ref_kind, target = self._find(reference)
            now = datetime.now(ROME)
            date, clock = now.strftime("%d%m%Y"), now.strftime("%H:%M")
            if ref_kind == "VOID":
                assert target is not None
                if target.voided or target.refunded_cents or target.z_number != self.z_number:
                    raise Refusal("VOID_NOT_POSSIBLE")
                target.voided = True
                doc = SimDocument(
                    "void",
                    self.z_number,
                    self._next_number(),
                    date,
                    clock,
                    target.amount_cents,
                    {d: -g for d, g in target.departments.items()},
                    {t: -c for t, c in target.payments.items()},
                    [],
                    reference,
                )
                self.documents.append(doc)
                return self._issued(doc)
            departments: dict[int, int] = {}
            lines: list[dict[str, Any]] = []
            paid: list[tuple[int, int]] = []
            lottery = None
            last_dept: int | None = None
            for el in elements:
                if el.tag in ("printRecItem", "printRecRefund"):
                    if (ref_kind == "REFUND") != (el.tag == "printRecRefund"):
                        raise Refusal("REFUND_WITHOUT_REFERENCE" if ref_kind is None else "ITEM_IN_REFUND")
                    dept = int(el.get("department", "0") or 0)
                    if dept not in self.departments:
                        raise Refusal("UNKNOWN_DEPARTMENT")
                    description = el.get("description", "")
                    if len(description) > MAX_DESCRIPTION or not description.strip():
                        raise Refusal("BAD_DESCRIPTION")
                    amount = (
                        2 * _milli(el.get("quantity", "1")) * parse_cents(el.get("unitPrice", "0")) + 1000
                    ) // 2000
                    departments[dept] = departments.get(dept, 0) + amount
                    lines.append({"description": description, "department": dept, "amount_cents": amount})
                    last_dept = dept
                elif el.tag == "printRecItemAdjustment":
                    if last_dept is None:
                        raise Refusal("ADJUSTMENT_WITHOUT_ITEM")
                    amount = parse_cents(el.get("amount", "0"))
                    if amount <= 0 or amount > departments[last_dept]:
                        raise Refusal("BAD_ADJUSTMENT")
                    departments[last_dept] -= amount
                    lines.append(
                        {"description": el.get("description", ""), "department": last_dept, "amount_cents": -amount}
                    )
                elif el.tag == "printRecLotteryID":
                    lottery = el.get("code")
                elif el.tag == "printRecTotal":
                    paid.append((int(el.get("paymentType", "0")), parse_cents(el.get("payment", "0"))))
            total = sum(departments.values())
            if total <= 0:
                raise Refusal("ZERO_TOTAL")
            if sum(amount for _, amount in paid) < total:
                raise Refusal("PAYMENT_SHORT")
            if target is not None:
                if target.voided or target.refunded_cents + total > target.amount_cents:
                    raise Refusal("REFUND_EXCEEDS_DOCUMENT")
                target.refunded_cents += total
            payments: dict[int, int] = {}
            due = total
            for kind, amount in paid:  # change comes out of the cash
                kept = min(amount, due) if kind == 0 else amount
                payments[kind] = payments.get(kind, 0) + kept
                due -= kept
            sign = -1 if target is not None else 1
            doc = SimDocument(
                "refund" if target is not None else "sale",
                self.z_number,
                self._next_number(),
                date,
                clock,
                total,
                {d: sign * g for d, g in departments.items()},
                {t: sign * c for t, c in payments.items()},
                lines,
                reference,
                lottery,
            )
            self.documents.append(doc)
            return self._issued(doc)

    def _issued(self, doc: SimDocument) -> dict[str, str]:
        return {
            "fiscalReceiptNumber": str(doc.number),
            "fiscalReceiptAmount": cents(doc.amount_cents),
            "fiscalReceiptDate": f"{doc.date[:2]}/{doc.date[2:4]}/{doc.date[4:]}",
            "fiscalReceiptTime": doc.time,
            "zRepNumber": str(doc.z_number),
            "printerStatus": self._printer_digit() + "0110",
        }

    def totals(self) -> dict[str, int]:
        """The open period's totals, as the Z answer reports them."""
        out: dict[str, int] = {"dailyAmount": 0}
        for doc in self.open_period():
            for dept, gross in doc.departments.items():
                out[f"dept{dept}"] = out.get(f"dept{dept}", 0) + gross
                out["dailyAmount"] += gross
            for kind, amount in doc.payments.items():
                out[f"pay{kind}"] = out.get(f"pay{kind}", 0) + amount
        return out

    def _report(self, command: ET.Element) -> dict[str, str]:
        which = next((el.tag for el in command), "")
        totals = self.totals()
        with self._lock:
            number = self.z_number
            if which == "printZReport":
                if self.receipt_open:
                    raise Refusal("RECEIPT_OPEN")
                self.closures.append({"z_number": number, **totals})
                self.z_number += 1
            elif which != "printXReport":
                raise Refusal("UNKNOWN_REPORT")
        return {"zRepNumber": str(number), **{k: cents(v) for k, v in totals.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A simulated RT (NOT a fiscal device) for tests and demos")
    parser.add_argument("--port", type=int, default=8060)
    args = parser.parse_args(argv)
    rt = SimulatedRT(port=args.port).start()
    print(f"SIMULATED RT - not a fiscal device - on http://127.0.0.1:{rt.port}/cgi-bin/fpmate.cgi", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        rt.stop()


if __name__ == "__main__":
    main()
