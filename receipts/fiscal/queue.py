"""The fiscal worker: issues each RT's documents in order, exactly once, whatever fails.

Per document: ask the RT its state and last numbers; note them on the document and mark it *in
doubt* (committed) before the request goes out; send. An answer with the numbers: issued, written
back. A refusal (success="false": paper out, cover open, a code) issued nothing: the document
waits with the reason and a back-off. No answer (time-out, connection dropped): it stays in
doubt, and the next try first asks the RT for its last document: if the RT's numbers moved past
the ones noted and its last amount is this document's, it was issued and is only written back;
otherwise it is sent again. A document whose reference (a reso's original) is not issued yet
waits behind it. It all runs in the queue's thread, never on the till's UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select

from orto.config import PrinterConfig
from orto.enums import FiscalStatus
from orto.i18n import gettext as _
from orto.models import FiscalDocument, utcnow
from receipts.fiscal.client import DEFAULT_TIMEOUT_S, EpsonRT, FiscalFault, Issued
from receipts.fiscal.document import VOID, FiscalReceipt, Reference
from receipts.fiscal.jobs import KIND
from receipts.queue import PRINTING_LEASE, PrinterState, PrintQueue

OPEN = ("pending", "issuing")
PROBE_EVERY = timedelta(seconds=30)


def client_for(config: PrinterConfig) -> EpsonRT:
    options = config.options
    if "host" not in options:
        from orto.errors import ConfigError

        raise ConfigError(_("[printers.{name}] needs the RT's 'host'").format(name=config.name))
    return EpsonRT(
        config.name,
        str(options["host"]),
        int(options.get("port", 80)),
        float(options.get("timeout", DEFAULT_TIMEOUT_S)),
    )


def _words(state: str) -> str:
    if state == "ok":
        return _("RT ready")
    if state == "paper_low":
        return _("RT: paper running low")
    if state == "paper_out":
        return _("RT: out of paper")
    if state == "cover_open":
        return _("RT: cover open")
    if state == "offline":
        return _("RT not answering")
    if state == "memory_full":
        return _("RT: fiscal memory full")
    if state == "wrong_date":
        return _("RT: wrong date")
    if state == "unknown":
        return _("RT: state not known yet")
    return _("RT error")


def state_words(state: str, pending: int = 0) -> str:
    """The RT's state in words, for the till's status line and ``orto fiscal status``."""
    words = _words(state)
    if pending:
        words += " · " + _("{count} documents to issue").format(count=pending)
    return words


@dataclass
class FiscalQueue(PrintQueue):
    """PrintQueue's thread, lease and back-off, over the fiscal documents of this terminal's RTs."""

    client_factory: Callable[[PrinterConfig], EpsonRT] = client_for
    # a person asked for it now (orto fiscal run, the Z): waiting documents are tried at once
    now_please: bool = False
    _rt_printers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rt_printers = [n for n, p in self.settings.printers.items() if p.kind == KIND]

    def check(self) -> str | None:
        """The configuration against the catalog (receipts.fiscal.jobs.check_catalog): the error, shown as
        every RT's state, or None."""
        from orto.errors import ConfigError
        from receipts.fiscal.jobs import check_catalog

        try:
            with self.db.read() as session:
                check_catalog(session, self.settings)
        except ConfigError as exc:
            for printer in self._rt_printers:
                self._set_state(printer, "error", str(exc))
            return str(exc)
        return None

    def start(self) -> None:
        self.check()
        super().start()

    def recover(self, now: datetime | None = None) -> int:
        """Documents left 'issuing' by a process that died go back to pending, still in doubt."""
        moment = now or utcnow()
        with self.db.write() as session:
            stuck = list(
                session.scalars(
                    select(FiscalDocument).where(
                        FiscalDocument.status == "issuing",
                        FiscalDocument.printer.in_(self._rt_printers),
                        (FiscalDocument.next_attempt_at.is_(None)) | (FiscalDocument.next_attempt_at < moment),
                    )
                )
            )
            for doc in stuck:
                doc.status = FiscalStatus.PENDING
                doc.next_attempt_at = None
            return len(stuck)

    def run_once(self, now: datetime | None = None) -> int:
        issued = 0
        if not self._rt_printers:
            return 0
        self.recover(now)
        for printer in self._rt_printers:
            while True:
                outcome = self._issue_next(printer, now)
                if outcome is None:
                    self._probe(printer)
                    break
                issued += outcome
                if outcome == 0:
                    break
        return issued

    def _issue_next(self, printer: str, now: datetime | None) -> int | None:
        """1 issued, 0 not (the printer's later documents wait), None nothing due."""
        moment = now or utcnow()
        with self.db.write() as session:
            doc = session.scalar(
                select(FiscalDocument)
                .where(FiscalDocument.printer == printer, FiscalDocument.status.in_(OPEN))
                .order_by(FiscalDocument.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if doc is None or (doc.next_attempt_at is not None and doc.next_attempt_at > moment):
                if doc is None or doc.status == "issuing" or not self.now_please:
                    return None
            receipt = FiscalReceipt.from_json(doc.document)
            if doc.refers_to_id is not None:
                original = session.get(FiscalDocument, doc.refers_to_id)
                assert original is not None
                if original.status != "issued" or original.doc_number is None:
                    doc.last_error = _("waits for the document it refers to (sale {id})").format(id=original.sale_id)
                    return 0
                receipt = replace(
                    receipt,
                    reference=Reference(
                        "VOID" if doc.kind == VOID else "REFUND",
                        original.z_number or 0,
                        original.doc_number,
                        original.rt_date or "",
                        original.rt_serial or "",
                    ),
                )
            doc.status = FiscalStatus.ISSUING
            doc.next_attempt_at = moment + PRINTING_LEASE
            doc.attempts += 1
            doc_id, attempts, in_doubt, amount = doc.id, doc.attempts, doc.in_doubt, doc.amount_cents
            after = (doc.sent_after_z, doc.sent_after_number)
        rt = self.client_factory(self.settings.printers[printer])
        sent = False
        try:
            status = rt.status()
            if in_doubt and after[1] is not None:
                moved = (status.last_z_number, status.last_doc_number) != after and status.last_doc_number
                if moved and status.last_amount_cents == amount:
                    issued = Issued(
                        status.last_doc_number or 0, status.last_z_number or 0, status.last_date or "", "", amount
                    )
                    self._issued(doc_id, issued, status.serial)
                    self._set_state(printer, status.state, None)
                    return 1
            if status.state in ("paper_out", "cover_open", "offline"):
                raise FiscalFault(
                    status.state,
                    _("{rt}: {state}; the document waits and is issued when it is fixed").format(
                        rt=rt.where, state=state_words(status.state)
                    ),
                )
            self._mark_sending(doc_id, status.last_z_number, status.last_doc_number)
            sent = True
            issued = rt.issue(receipt)
        except FiscalFault as fault:
            self._wait(doc_id, fault, moment + self._backoff(attempts), sent=sent)
            self._set_state(printer, fault.state, str(fault))
            return 0
        self._issued(doc_id, issued, status.serial)
        self._set_state(printer, status.state if status.state != "unknown" else "ok", None)
        return 1

    def _probe(self, printer: str) -> None:
        """Nothing to issue: ask the RT its state now and then, so the till shows it before a sale."""
        with self._lock:
            known = self._states.get(printer)
            fresh = known is not None and known.updated_at is not None and utcnow() - known.updated_at < PROBE_EVERY
        if fresh:
            return
        try:
            self._set_state(printer, self.client_factory(self.settings.printers[printer]).status().state, None)
        except FiscalFault as fault:
            self._set_state(printer, fault.state, str(fault))

    def _mark_sending(self, doc_id: int, z: int | None, number: int | None) -> None:
        with self.db.write() as session:
            doc = session.get(FiscalDocument, doc_id, with_for_update=True)
            assert doc is not None
            doc.in_doubt = True
            doc.sent_after_z, doc.sent_after_number = z, number

    def _issued(self, doc_id: int, issued: Issued, serial: str) -> None:
        with self.db.write() as session:
            doc = session.get(FiscalDocument, doc_id, with_for_update=True)
            assert doc is not None
            doc.status = FiscalStatus.ISSUED
            doc.in_doubt = False
            doc.last_error = None
            doc.next_attempt_at = None
            doc.issued_at = utcnow()
            doc.doc_number, doc.z_number = issued.doc_number, issued.z_number
            doc.rt_date, doc.rt_time, doc.rt_serial = issued.date, issued.time, serial

    def _wait(self, doc_id: int, fault: FiscalFault, retry_at: datetime, *, sent: bool) -> None:
        with self.db.write() as session:
            doc = session.get(FiscalDocument, doc_id, with_for_update=True)
            assert doc is not None
            doc.status = FiscalStatus.PENDING
            if sent:  # a refusal issued nothing; no answer may have issued it
                doc.in_doubt = fault.maybe_issued
            doc.last_error = str(fault)
            doc.next_attempt_at = retry_at

    def state(self, printer: str) -> PrinterState:
        with self.db.read() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(FiscalDocument)
                .where(FiscalDocument.printer == printer, FiscalDocument.status.in_(OPEN))
            )
        with self._lock:
            known = self._states.get(printer, PrinterState(printer))
            return PrinterState(printer, known.state, int(pending or 0), known.last_error, known.updated_at)
