"""Slips printed once: a printer that takes the bytes and never answers, one that drops the
connection mid-job, and a worker killed mid-job, all against a real TCP server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import AuditEntry, PrintStatus
from receipts.escpos_render import decode_text
from receipts.queue import PrintQueue, confirm_printed, unconfirmed_jobs
from tests.integration.test_print_queue import _job, _later, _sell, _shop_with_printer
from tests.printer_server import PrinterServer

COPY = "*** COPY ***"
REPRINT = "REPRINT - MAY BE A DUPLICATE"


@pytest.fixture
def printer() -> Iterator[PrinterServer]:
    server = PrinterServer().start()
    yield server
    server.stop()


def test_a_printer_that_takes_the_bytes_and_never_answers_prints_once(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "mute"
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    assert _job(db, job_id).status is PrintStatus.UNCONFIRMED
    assert queue.state("banco").state == "unconfirmed"
    for minutes in (5, 30, 120):  # however long the worker goes on, it is not sent again
        assert queue.run_once(now=_later(minutes)) == 0
    assert len(printer.received(1, timeout=1.0)) == 1
    assert unconfirmed_jobs(db, ["banco"]) == [(job_id, "banco", "receipt")]


def test_not_printed_says_the_cashier_and_the_second_print_is_a_copy(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "mute"
    first = _sell(db, shop)
    second = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    queue.run_once()
    queue.run_once()
    assert [j[0] for j in unconfirmed_jobs(db, ["banco"])] == [first, second]
    printer.behave()
    assert confirm_printed(db, first, actor=shop.cashier, printed=True) is None
    copy = confirm_printed(db, second, actor=shop.cashier, printed=False)
    assert copy is not None and confirm_printed(db, second, actor=shop.cashier, printed=False) is None  # answered once
    assert queue.run_once() == 1
    jobs = printer.received(3)
    assert len(jobs) == 3
    assert COPY not in decode_text(jobs[0]) and decode_text(jobs[2]).lstrip().startswith(COPY)
    assert "TOTAL EUR" in decode_text(jobs[2])
    assert (_job(db, first).status, _job(db, second).status, _job(db, copy).status) == (
        PrintStatus.DONE,
        PrintStatus.FAILED,
        PrintStatus.DONE,
    )
    assert unconfirmed_jobs(db, ["banco"]) == []
    with db.read() as session:  # who answered is kept: a copy is a second document
        said = session.execute(
            select(AuditEntry.action, AuditEntry.user_id, AuditEntry.entity_id)
            .where(AuditEntry.entity == "print_job")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(row) for row in said] == [
        ("print_confirmed", shop.cashier.id, first),
        ("print_not_confirmed", shop.cashier.id, second),
    ]


def test_a_dropped_connection_sends_it_again_saying_it_is_a_reprint(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "drop"
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    assert printer.partial and not printer.jobs
    assert _job(db, job_id).status is PrintStatus.PENDING
    printer.behave()
    assert queue.run_once(now=_later()) == 1
    text = decode_text(printer.received(1)[0])
    assert text.lstrip().startswith(REPRINT) and "TOTAL EUR" in text


def test_one_pass_never_spins_on_a_failing_printer(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.down()
    jobs = [_sell(db, shop) for _ in range(3)]
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    # one try for the oldest job, then its back-off; the later ones were not even tried
    assert [_job(db, j).attempts for j in jobs] == [1, 0, 0]
    assert queue.run_once() == 0 and _job(db, jobs[0]).attempts == 1  # still backing off


WORKER = """
import sys, time
from dataclasses import replace
from orto.config import PrinterConfig
from orto.db import Database
from receipts.queue import PrintQueue
from receipts.transports import NetworkTransport
from tests.shop import shop_settings

class Slow(NetworkTransport):
    def send(self, data):
        print("sending", flush=True)
        time.sleep(60)

db = Database(sys.argv[1])
printers = {"banco": PrinterConfig("banco", "network", {"host": "127.0.0.1", "port": int(sys.argv[2])})}
settings = replace(shop_settings(), printers=printers)
PrintQueue(db, settings, transport_factory=lambda c: Slow("127.0.0.1", int(sys.argv[2]))).run_once()
"""


def test_a_job_taken_back_after_a_worker_was_killed_says_it_is_a_reprint(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    job_id = _sell(db, shop)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, db.url, str(printer.port)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": root},
    )
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "sending"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _job(db, job_id).status is PrintStatus.PRINTING
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0  # the lease still holds: another worker may be printing it
    assert queue.run_once(now=_later(2)) == 1
    text = decode_text(printer.received(1)[0])
    assert text.lstrip().startswith(REPRINT) and "TOTAL EUR" in text
    time.sleep(0)  # nothing else pending
    assert _job(db, job_id).status is PrintStatus.DONE
