"""Jobs per second through the print queue to a printer on a local socket: target ≥ 100/s.

Each round queues 50 slips (not timed), then the worker sends them to a TCP server on 127.0.0.1
that answers status requests like a printer. Floor, interleaved round by round: the same bytes
sent over fresh connections with no queue, 50 times.
"""

from __future__ import annotations

import socket
import time
from dataclasses import replace

from _common import interleave, machine, median, ratio_line, scratch, verdict

from orto.config import PrinterConfig
from orto.db import Database
from orto.models import PrinterRole
from orto.schema import upgrade
from receipts.documents import customer_slip
from receipts.escpos_render import PrinterProfile, render
from receipts.jobs import queue_document
from receipts.queue import PrintQueue
from tests.integration.test_receipts_layouts import SLIP
from tests.printer_server import PrinterServer
from tests.shop import build_shop

ROUNDS = 10
JOBS = 50
TARGET = 100


def main() -> None:
    server = PrinterServer().start()
    db = Database(f"sqlite:///{scratch() / 'orto.sqlite3'}")
    upgrade(db)
    shop = build_shop(db)
    settings = replace(
        shop.settings, printers={"banco": PrinterConfig("banco", "network", {"host": "127.0.0.1", "port": server.port})}
    )
    queue = PrintQueue(db, settings)
    data = render(customer_slip(SLIP, 48), PrinterProfile())
    printed: list[int] = []

    def orto() -> float:
        with db.write() as session:
            for _ in range(JOBS):
                queue_document(session, printer="banco", role=PrinterRole.RECEIPT, doc_type="receipt", document=SLIP)
        started = time.perf_counter()
        printed.append(queue.run_once())
        return (time.perf_counter() - started) * 1000

    def floor() -> None:
        for _ in range(JOBS):
            with socket.create_connection(("127.0.0.1", server.port)) as conn:
                conn.sendall(b"\x10\x04\x04")
                conn.recv(1)
                conn.sendall(data + b"\x10\x04\x01")
                conn.recv(1)

    times = interleave(ROUNDS, {"orto": orto, "floor": floor}, warm=1)
    server.stop()
    assert all(n == JOBS for n in printed), printed
    rate = JOBS / (median(times["orto"]) / 1000)
    print(f"machine: {machine()}")
    print(
        f"{ROUNDS} rounds of {JOBS} jobs through the queue to 127.0.0.1: median {rate:.0f} jobs/s "
        f"(target ≥ {TARGET}/s: {verdict(rate >= TARGET)})"
    )
    sockets = JOBS / (median(times["floor"]) / 1000)
    print(f"floor, the same bytes over fresh sockets without the queue: {sockets:.0f} jobs/s")
    print(ratio_line(times["orto"], times["floor"], None, "queue / sockets (time)"))


if __name__ == "__main__":
    main()
