"""The print queue worker: sends each printer's jobs in order, never loses one.

Jobs are rows written in the transaction of their document (receipts.jobs). The worker, a
background thread of the till (or ``orto printer run``), takes each printer's oldest pending job,
marks it ``printing``, renders it for that printer and sends it. Only when every byte was taken
is it ``done``. Refused connection, time-out, a connection dropped mid-job, paper out: the job
goes back to ``pending`` with the error and a back-off (2, 4, 8 … 60 s), and that printer's later
jobs wait behind it so slips never come out of order. A job left ``printing`` by a killed process
is pending again at the next start. A document that cannot be laid out is ``failed`` (a bug to
look at: retrying would not help). Printing never blocks selling: it all runs off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.access import authorise
from orto.audit import audit
from orto.config import PrinterConfig, Settings
from orto.db import Database
from orto.errors import ConfigError, NotFound
from orto.i18n import gettext as _
from orto.models import PrintJob, PrintStatus, utcnow
from orto.policy import Action, Operator
from receipts.documents import layout_for
from receipts.escpos_render import PrinterProfile, render
from receipts.layout import Layout, Text
from receipts.transports import ConnectionDropped, PrinterFault, PrinterUnconfirmed, Transport, transport_for

PRINTING_LEASE = timedelta(seconds=60)  # far longer than a send's time-outs


FAULTS = ("offline", "paper_out", "error")  # the states in which jobs wait for the printer
MAX_JOBS_PER_PASS = 50  # one pass of the worker sends at most this many jobs to one printer
# a job that may have printed already (its lease ran out, or its connection dropped) carries this
# key in its document; sent again, it starts with a line saying it is a reprint
RESENT = "resent"


def with_notice(layout: Layout, document: dict[str, object], *, copy: bool) -> Layout:
    """The layout with a first line saying it is a copy (asked for) or a reprint (sent again)."""
    if copy:
        notice = _("*** COPY ***")
    elif document.get(RESENT):
        notice = _("REPRINT - MAY BE A DUPLICATE")
    else:
        return layout
    return Layout((Text(notice, "center", bold=True), *layout.elements), layout.width)


def _mark_resent(job: PrintJob) -> None:
    job.document = {**job.document, RESENT: True}  # a new dict: the JSON column sees the change


@dataclass
class PrinterState:
    name: str
    state: str = "unknown"  # ok, offline, paper_out, error, none, unknown
    pending: int = 0
    last_error: str | None = None
    updated_at: datetime | None = None


@dataclass
class PrintQueue:
    db: Database
    settings: Settings
    retry_base_s: float = 2.0
    retry_cap_s: float = 60.0
    poll_s: float = 1.0
    transport_factory: Callable[[PrinterConfig], Transport] = transport_for
    _states: dict[str, PrinterState] = field(default_factory=dict)
    _wake: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ lifecycle

    def recover(self, now: datetime | None = None) -> int:
        """Jobs left 'printing' by a process that died (their lease ran out) go back to 'pending'.

        A job being printed holds a lease (``next_attempt_at``); another till sharing the database
        leaves it alone until the lease expires, so a slip is never sent twice by two workers.
        """
        moment = now or utcnow()
        with self.db.write() as session:
            stuck = list(
                session.scalars(
                    select(PrintJob).where(
                        PrintJob.status == PrintStatus.PRINTING,
                        PrintJob.printer.in_(list(self.settings.printers)),
                        (PrintJob.next_attempt_at.is_(None)) | (PrintJob.next_attempt_at < moment),
                    )
                )
            )
            for job in stuck:
                job.status = PrintStatus.PENDING
                job.next_attempt_at = None
                _mark_resent(job)  # the worker that died may have sent some or all of it
            return len(stuck)

    def start(self) -> None:
        if self._thread is not None:
            return
        self.recover()
        self._thread = threading.Thread(target=self._loop, name="orto-print-queue", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def kick(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # the database may be away for a moment: keep the worker alive
                with self._lock:
                    for state in self._states.values():
                        state.last_error = str(exc)
            self._wake.wait(self.poll_s)
            self._wake.clear()

    # ------------------------------------------------------------ work

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_cap_s, self.retry_base_s * (2 ** max(attempts - 1, 0))))

    def run_once(self, now: datetime | None = None) -> int:
        """Send every job that is due, printer by printer, in order; returns how many were printed."""
        printed = 0
        self.recover(now)
        with self.db.read() as session:
            # only the printers this terminal knows: other sites' tills print their own jobs
            printers = list(
                session.scalars(
                    select(PrintJob.printer)
                    .where(PrintJob.status == PrintStatus.PENDING, PrintJob.printer.in_(list(self.settings.printers)))
                    .distinct()
                )
            )
        for printer in printers:
            # bounded: a failing printer costs one try a pass (then its back-off), never a spin
            for _try in range(MAX_JOBS_PER_PASS):
                outcome = self._send_next(printer, now)
                if not outcome:
                    break
                printed += outcome
        return printed

    def _send_next(self, printer: str, now: datetime | None) -> int | None:
        """Send the printer's oldest pending job if due: 1 printed, 0 failed (stop here), None nothing due."""
        moment = now or utcnow()
        with self.db.write() as session:
            job = session.scalar(
                select(PrintJob)
                .where(PrintJob.printer == printer, PrintJob.status == PrintStatus.PENDING)
                .order_by(PrintJob.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job is None or (job.next_attempt_at is not None and job.next_attempt_at > moment):
                return None
            job.status = PrintStatus.PRINTING
            job.next_attempt_at = moment + PRINTING_LEASE
            job.attempts += 1
            job_id, attempts, document, drawer = job.id, job.attempts, job.document, job.open_drawer
            copy = job.reprint_of_id is not None
        config = self.settings.printers[printer]
        try:
            profile = PrinterProfile.from_options(config.options)
            try:
                layout = with_notice(layout_for(document, profile.width), document, copy=copy)
                data = render(layout, profile, open_drawer=drawer)
            except (ValueError, KeyError, TypeError) as exc:
                self._finish(job_id, PrintStatus.FAILED, _("cannot lay out this document: {reason}").format(reason=exc))
                return 0
            self.transport_factory(config).send(data)
        except PrinterUnconfirmed as fault:
            # never sent again on its own: the till asks whether it printed (confirm_printed)
            self._finish(job_id, PrintStatus.UNCONFIRMED, str(fault))
            self._set_state(printer, fault.state, str(fault))
            return 0
        except ConnectionDropped as fault:
            self._finish(
                job_id, PrintStatus.PENDING, str(fault), retry_at=moment + self._backoff(attempts), resent=True
            )
            self._set_state(printer, fault.state, str(fault))
            return 0
        except PrinterFault as fault:
            self._finish(job_id, PrintStatus.PENDING, str(fault), retry_at=moment + self._backoff(attempts))
            self._set_state(printer, fault.state, str(fault))
            return 0
        except ConfigError as problem:  # e.g. paper_width_mm = 76: the job waits for a corrected orto.toml
            reason = f"[printers.{printer}] {problem}"
            self._finish(job_id, PrintStatus.PENDING, reason, retry_at=moment + self._backoff(attempts))
            self._set_state(printer, "error", reason)
            return 0
        self._finish(job_id, PrintStatus.DONE, None)
        self._set_state(printer, "none" if config.kind == "none" else "ok", None)
        return 1

    def _finish(
        self,
        job_id: int,
        status: PrintStatus,
        error: str | None,
        retry_at: datetime | None = None,
        *,
        resent: bool = False,
    ) -> None:
        with self.db.write() as session:
            job = session.get(PrintJob, job_id, with_for_update=True)
            assert job is not None
            if resent:
                _mark_resent(job)
            job.status = status
            job.last_error = error
            job.next_attempt_at = retry_at
            if status is PrintStatus.DONE:
                job.printed_at = utcnow()

    def _set_state(self, printer: str, state: str, error: str | None) -> None:
        with self._lock:
            current = self._states.setdefault(printer, PrinterState(printer))
            current.state, current.last_error, current.updated_at = state, error, utcnow()

    # ------------------------------------------------------------ what the till shows

    def state(self, printer: str) -> PrinterState:
        with self.db.read() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(PrintJob)
                .where(PrintJob.printer == printer, PrintJob.status.in_([PrintStatus.PENDING, PrintStatus.PRINTING]))
            )
        with self._lock:
            known = self._states.get(printer, PrinterState(printer))
        if known.state == "unknown" and printer in self.settings.printers:
            # nothing sent yet: ask the printer itself once, so the till does not say "unknown"
            # until the first slip (a file printer is "ok" when its folder exists)
            try:
                self._set_state(printer, self.transport_factory(self.settings.printers[printer]).status(), None)
            except Exception:  # a probe that fails says nothing new; the first job will
                pass
            with self._lock:
                known = self._states.get(printer, known)
        return PrinterState(printer, known.state, int(pending or 0), known.last_error, known.updated_at)


def reprint(db: Database, job_id: int, *, actor: Operator, printer: str | None = None) -> int:
    """Queue a copy of any earlier job (to the same printer or another); returns the new job's id."""
    with db.write() as session:
        authorise(session, actor, Action.PRINTERS)
        original = session.get(PrintJob, job_id)
        if original is None:
            raise NotFound(_("no print job {id}").format(id=job_id))
        copy_id = _copy(session, original, printer)
        audit(
            session,
            "reprint",
            actor.id,
            counter_id=original.counter_id,
            entity="print_job",
            entity_id=copy_id,
            details={"of": original.id},
        )
        return copy_id


def _copy(session: Session, original: PrintJob, printer: str | None) -> int:
    """A new job for the same document, linked to it (and so printed with COPY at the top); a
    sale's or refund's copy carries the RT's reference of its documento commerciale."""
    document = {k: v for k, v in original.document.items() if k != RESENT}
    if original.doc_type in ("receipt", "refund") and original.doc_id is not None:
        from receipts.fiscal.copies import with_fiscal_reference

        document = with_fiscal_reference(session, original.doc_id, document)
    copy = PrintJob(
        printer=printer or original.printer,
        role=original.role,
        counter_id=original.counter_id,
        doc_type=original.doc_type,
        doc_id=original.doc_id,
        document=document,
        open_drawer=False,
        reprint_of_id=original.id,
    )
    session.add(copy)
    session.flush()
    return copy.id


def unconfirmed_jobs(db: Database, printers: list[str]) -> list[tuple[int, str, str]]:
    """(job id, printer, document type) of the jobs a printer took without confirming, oldest first."""
    with db.read() as session:
        rows = session.execute(
            select(PrintJob.id, PrintJob.printer, PrintJob.doc_type)
            .where(PrintJob.status == PrintStatus.UNCONFIRMED, PrintJob.printer.in_(printers))
            .order_by(PrintJob.id)
        )
        return [(row.id, row.printer, row.doc_type) for row in rows]


def confirm_printed(db: Database, job_id: int, *, actor: Operator, printed: bool) -> int | None:
    """The cashier's answer for an unconfirmed job: printed, it is done; not printed, a copy is
    queued (marked COPY, since it may have printed after all). Returns the copy's id, if any.

    Whoever answers is in the audit log (``print_confirmed`` or ``print_not_confirmed``): a copy
    of a slip is a second document, and someone said it was needed."""
    with db.write() as session:
        authorise(session, actor, Action.PRINTERS)
        job = session.get(PrintJob, job_id, with_for_update=True)
        if job is None:
            raise NotFound(_("no print job {id}").format(id=job_id))
        if job.status is not PrintStatus.UNCONFIRMED:
            return None  # answered already (another till, or twice)
        copy_id = None
        if printed:
            job.status, job.printed_at = PrintStatus.DONE, utcnow()
        else:
            job.status = PrintStatus.FAILED
            job.last_error = _("not printed, said the cashier; a copy was queued")
            copy_id = _copy(session, job, None)
        audit(
            session,
            "print_confirmed" if printed else "print_not_confirmed",
            actor.id,
            counter_id=job.counter_id,
            entity="print_job",
            entity_id=job.id,
            details={"copy": copy_id} if copy_id else None,
        )
        return copy_id


def last_job_for(db: Database, counter_id: int, doc_type: str = "receipt") -> int | None:
    with db.read() as session:
        return session.scalar(
            select(PrintJob.id)
            .where(PrintJob.counter_id == counter_id, PrintJob.doc_type == doc_type)
            .order_by(PrintJob.id.desc())
        )
