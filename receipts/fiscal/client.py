"""One RT over HTTP: ``POST /cgi-bin/fpmate.cgi?devid=local_printer&timeout=MS``.

Every failure is a ``FiscalFault`` naming the printer, what it answered and what to do; its
``maybe_issued`` says whether the RT may have issued the document anyway (the request went out
and no answer came back), so the queue asks the RT before sending it again. The calls block for
at most the time-out: the queue runs them in its own thread, never on the till's UI thread.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from datetime import datetime

from orto.errors import OrtoError
from orto.i18n import gettext as _
from receipts.fiscal.document import FiscalReceipt
from receipts.fiscal.protocol import (
    RtAnswer,
    RtProtocolError,
    parse_answer,
    parse_cents,
    receipt_request,
    report_request,
    status_request,
)

DEFAULT_TIMEOUT_S = 10.0  # an RT prints while it answers: longer than a slip printer, still bounded
PATH = "/cgi-bin/fpmate.cgi"

# Answer codes that are the printer's state rather than a refusal of the document
STATE_OF_CODE = {
    "EPTR_REC_EMPTY": "paper_out",
    "EPTR_COVER_OPEN": "cover_open",
    "FP_NO_ANSWER": "offline",
    "FP_NO_ANSWER_NETWORK": "offline",
    "LAN_TIME_OUT": "offline",
    "FISCAL_MEMORY_FULL": "memory_full",
    "WRONG_DATE": "wrong_date",
}
# printerStatus, first digit (the printer): what the simulator and the status line use
PRINTER_DIGIT = {"0": "ok", "1": "paper_low", "2": "paper_out", "3": "cover_open", "4": "offline"}


class FiscalFault(OrtoError):
    """The RT did not issue (or may not have issued) what was asked; ``state`` is for the till."""

    def __init__(self, state: str, message: str, *, maybe_issued: bool = False, code: str = "") -> None:
        self.state = state
        self.maybe_issued = maybe_issued
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Issued:
    """What the RT printed on the document: the fiscal reference."""

    doc_number: int
    z_number: int
    date: str  # ddmmyyyy, as the reference of a reso needs it
    time: str  # hh:mm
    amount_cents: int | None


@dataclass(frozen=True)
class RtStatus:
    state: str  # ok, paper_low, paper_out, cover_open, offline...
    serial: str
    clock: datetime | None
    last_doc_number: int | None
    last_z_number: int | None  # the Z the next document belongs to
    last_amount_cents: int | None
    last_date: str | None
    receipt_open: bool


@dataclass(frozen=True)
class ZResult:
    z_number: int
    totals: dict[str, int]  # dailyAmount, per department "dept:N", per payment "pay:TYPE"


@dataclass
class EpsonRT:
    name: str  # the printer's name in orto.toml, for every message
    host: str
    port: int = 80
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def where(self) -> str:
        return f"{self.name} ({self.host}:{self.port})"

    def post(self, body: bytes) -> RtAnswer:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        sent = False
        try:
            try:
                conn.connect()
            except TimeoutError as exc:
                raise FiscalFault(
                    "offline",
                    _("RT {rt} does not answer: check it is on and its address in orto.toml").format(rt=self.where),
                ) from exc
            except OSError as exc:
                raise FiscalFault(
                    "offline",
                    _("RT {rt} unreachable ({reason}): check it is on and its address and port in orto.toml").format(
                        rt=self.where, reason=exc.strerror or exc
                    ),
                ) from exc
            url = f"{PATH}?devid=local_printer&timeout={int(self.timeout * 1000)}"
            try:
                conn.request("POST", url, body, {"Content-Type": "text/xml; charset=utf-8"})
                sent = True
                reply = conn.getresponse()
                data = reply.read()
            except TimeoutError as exc:
                raise FiscalFault(
                    "offline",
                    _("RT {rt} stopped answering: the document waits and is checked before any new try").format(
                        rt=self.where
                    ),
                    maybe_issued=sent,
                ) from exc
            except (OSError, http.client.HTTPException) as exc:
                raise FiscalFault(
                    "offline",
                    _("RT {rt}: connection lost ({reason}); the document is checked before any new try").format(
                        rt=self.where, reason=exc
                    ),
                    maybe_issued=sent,
                ) from exc
        finally:
            conn.close()
        if reply.status != 200:
            raise FiscalFault(
                "error",
                _("RT {rt} answered HTTP {status}: is this the RT's address and port?").format(
                    rt=self.where, status=reply.status
                ),
            )
        try:
            return parse_answer(data)
        except RtProtocolError as exc:
            raise FiscalFault(
                "error",
                _("RT {rt} answered something that is not an RT's answer: {what}; check the address and port").format(
                    rt=self.where, what=exc
                ),
            ) from exc

    def _checked(self, answer: RtAnswer, what: str) -> RtAnswer:
        if answer.success:
            return answer
        state = STATE_OF_CODE.get(answer.code, "error")
        raise FiscalFault(
            state,
            _("RT {rt} refused the {what}: {code} (status {status})").format(
                rt=self.where, what=what, code=answer.code or "?", status=answer.status or "?"
            ),
            code=answer.code,
        )

    def issue(self, doc: FiscalReceipt) -> Issued:
        answer = self._checked(self.post(receipt_request(doc)), _("document"))
        number, z = answer.number("fiscalReceiptNumber"), answer.number("zRepNumber")
        if number is None or z is None:
            raise FiscalFault(
                "error",
                _("RT {rt} said it issued the document but gave no number: see the RT's journal").format(rt=self.where),
                maybe_issued=True,
            )
        amount = answer.info.get("fiscalReceiptAmount")
        return Issued(
            number,
            z,
            _ddmmyyyy(answer.info.get("fiscalReceiptDate", "")),
            answer.info.get("fiscalReceiptTime", ""),
            parse_cents(amount) if amount else None,
        )

    def status(self) -> RtStatus:
        answer = self._checked(self.post(status_request()), _("status request"))
        info = answer.info
        printer = info.get("printerStatus", "") or answer.status
        clock = None
        if info.get("dateTime"):
            try:
                clock = datetime.fromisoformat(info["dateTime"])
            except ValueError:
                clock = None
        amount = info.get("lastFiscalReceiptAmount")
        return RtStatus(
            state=PRINTER_DIGIT.get(printer[:1], "unknown"),
            serial=info.get("serialNumber", ""),
            clock=clock,
            last_doc_number=answer.number("lastFiscalReceiptNumber"),
            last_z_number=answer.number("zRepNumber"),
            last_amount_cents=parse_cents(amount) if amount else None,
            last_date=info.get("lastFiscalReceiptDate") or None,
            receipt_open=info.get("receiptOpen", "0") == "1",
        )

    def report(self, which: str) -> ZResult:
        answer = self._checked(self.post(report_request(which)), _("Z report") if which == "z" else _("X report"))
        z = answer.number("zRepNumber")
        if z is None:
            raise FiscalFault("error", _("RT {rt} gave no Z number").format(rt=self.where), maybe_issued=True)
        totals = {}
        for key, value in answer.info.items():
            if key == "dailyAmount" or key.startswith(("dept", "pay")):
                totals[key] = parse_cents(value)
        return ZResult(z, totals)


def _ddmmyyyy(text: str) -> str:
    """The RT's date (dd/mm/yyyy or ddmmyyyy) as the eight digits a reference carries."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) == 8 else text
