"""Sales with a network printer at a real local socket: the right bytes arrive, once, whatever
the printer does in between; the sale never waits for the printer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from orto.config import PrinterConfig
from orto.db import Database
from orto.models import PaymentMethod, PrintJob, PrintStatus, utcnow
from pos import selling
from pos.selling import PaymentInput
from receipts.escpos_render import decode_text
from receipts.queue import PrintQueue, reprint
from tests import factories
from tests.printer_server import PrinterServer
from tests.shop import Shop, build_shop


@pytest.fixture
def printer() -> Iterator[PrinterServer]:
    server = PrinterServer().start()
    yield server
    server.stop()


def _shop_with_printer(db: Database, port: int) -> Shop:
    shop = build_shop(db)
    printers = {
        "banco": PrinterConfig("banco", "network", {"host": "127.0.0.1", "port": port, "timeout": 0.5, "width": 42})
    }
    shop.settings = replace(shop.settings, printers=printers, counter_printers={"PAL-1": {"receipt": "banco"}})
    selling.open_shift(db, shop.counter, shop.cashier, {})
    return shop


def _sell(db: Database, shop: Shop) -> int:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "2100101012501")  # tomatoes: a "€/kg" line
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    result = selling.complete_sale(db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 2000)])
    assert result.print_job_ids  # queued in the sale's transaction
    return result.print_job_ids[0]


def _job(db: Database, job_id: int) -> PrintJob:
    with db.read() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        return job


def _later(minutes: int = 5):  # type: ignore[no-untyped-def]
    return utcnow() + timedelta(minutes=minutes)


def test_a_working_printer_receives_the_slip(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 1
    assert _job(db, job_id).status is PrintStatus.DONE
    assert len(printer.received(1)) == 1
    data = printer.jobs[0]
    assert data.startswith(b"\x1bt\x13\x1b@\x1bt\x13")  # CP858 chosen again after the initialise
    assert b"\x1bp\x00" in data  # cash: the drawer kick on pin 2
    text = decode_text(data)
    assert "DOCUMENTO NON FISCALE" in text and "€/kg" in text and "PAL-1-000001" in text
    for forbidden in ("scontrino", "ricevuta fiscale", "documento commerciale"):
        assert forbidden not in text.lower()
    assert queue.state("banco").state == "ok" and queue.state("banco").pending == 0


def test_printer_down_the_sale_completes_and_prints_when_it_is_back(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.down()
    job_id = _sell(db, shop)  # completes at once: the printer is not involved in the sale
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    job = _job(db, job_id)
    assert job.status is PrintStatus.PENDING and job.attempts == 1 and "unreachable" in (job.last_error or "")
    assert queue.state("banco").state == "offline" and queue.state("banco").pending == 1
    assert queue.run_once() == 0 and _job(db, job_id).attempts == 1  # backing off: not tried again yet
    printer.behave()
    assert queue.run_once(now=_later()) == 1
    assert _job(db, job_id).status is PrintStatus.DONE
    assert len(printer.received(1)) == 1 and "DOCUMENTO NON FISCALE" in decode_text(printer.jobs[0])


def test_a_stalled_printer_gets_nothing_and_prints_once_later(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "stall"
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    assert _job(db, job_id).status is PrintStatus.PENDING
    printer.behave()
    assert queue.run_once(now=_later()) == 1
    assert len(printer.received(1)) == 1


def test_a_connection_dropped_mid_job_is_retried_and_printed_once(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "drop"
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    job = _job(db, job_id)
    assert job.status is PrintStatus.PENDING and job.last_error
    assert printer.partial and not printer.jobs
    printer.behave()
    assert queue.run_once(now=_later()) == 1
    assert len(printer.received(1)) == 1
    assert "TOTAL EUR" in decode_text(printer.jobs[0])


def test_paper_out_keeps_the_job_and_says_so(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    printer.mode = "paper_out"
    job_id = _sell(db, shop)
    queue = PrintQueue(db, shop.settings)
    assert queue.run_once() == 0
    assert queue.state("banco").state == "paper_out"
    assert "out of paper" in (_job(db, job_id).last_error or "")
    printer.behave()
    assert queue.run_once(now=_later()) == 1 and len(printer.received(1)) == 1


def test_jobs_left_printing_by_a_crash_resume_and_reprints_are_new_jobs(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    job_id = _sell(db, shop)
    with db.write() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        job.status = PrintStatus.PRINTING  # the till died while sending
    queue = PrintQueue(db, shop.settings)
    assert queue.recover() == 1
    assert queue.run_once() == 1
    copy = reprint(db, job_id, actor=factories.manager(db))
    assert queue.run_once() == 1
    assert len(printer.received(2)) == 2 and _job(db, copy).reprint_of_id == job_id
    assert b"\x1bp" not in printer.jobs[1]  # a reprint does not open the drawer


def test_the_worker_thread_prints_in_order(db: Database, printer: PrinterServer) -> None:
    shop = _shop_with_printer(db, printer.port)
    first, second = _sell(db, shop), _sell(db, shop)
    queue = PrintQueue(db, shop.settings, poll_s=0.05)
    queue.start()
    try:
        import time

        deadline = time.monotonic() + 10
        while len(printer.jobs) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.stop()
    assert [("000001" in decode_text(j), "000002" in decode_text(j)) for j in printer.jobs] == [
        (True, False),
        (False, True),
    ]
    with db.read() as session:
        statuses = session.scalars(select(PrintJob.status).where(PrintJob.id.in_([first, second]))).all()
    assert set(statuses) == {PrintStatus.DONE}


def test_a_till_leaves_alone_printers_it_does_not_know_and_jobs_another_is_printing(
    db: Database, printer: PrinterServer
) -> None:
    shop = _shop_with_printer(db, printer.port)
    job_id = _sell(db, shop)
    elsewhere = replace(shop.settings, printers={"bar": PrinterConfig("bar", "none")})
    other_till = PrintQueue(db, elsewhere)
    assert other_till.run_once() == 0
    job = _job(db, job_id)
    assert job.status is PrintStatus.PENDING and job.attempts == 0  # untouched
    with db.write() as session:
        leased = session.get(PrintJob, job_id)
        assert leased is not None
        leased.status, leased.next_attempt_at = PrintStatus.PRINTING, utcnow() + timedelta(seconds=30)
    queue = PrintQueue(db, shop.settings)
    assert queue.recover() == 0 and queue.run_once() == 0  # another worker holds it: not sent twice
    assert queue.run_once(now=_later()) == 1  # its lease ran out: that worker died; the job resumes
    assert len(printer.received(1)) == 1


def test_the_demo_prints_into_a_file_unless_a_printer_is_configured(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pos.demo import with_demo_printer

    shop = build_shop(db)
    bare = replace(shop.settings, printers={}, counter_printers={})
    settings = with_demo_printer(bare, "PAL-1")
    assert settings.counter_printers["PAL-1"]["receipt"] == "demo"
    selling.open_shift(db, shop.counter, shop.cashier, {})
    _sell(db, replace(shop, settings=settings))
    assert PrintQueue(db, settings).run_once() == 1
    slips = tmp_path / "data" / "demo-printer.escpos"  # in the data folder (ORTO_DATA_DIR of the test)
    assert "DOCUMENTO NON FISCALE" in decode_text(slips.read_bytes())
    # a counter with its own receipt printer in orto.toml keeps it
    assert with_demo_printer(shop.settings, "PAL-1") is shop.settings
