"""Jobs per second through the print queue to a printer on a local socket: target ≥ 100/s.

500 slips are queued, then the worker sends them to a TCP server on 127.0.0.1 that answers
status requests like a printer. Floor: the same bytes sent over fresh connections with no queue.
"""

from __future__ import annotations

import socket
import time
from dataclasses import replace

from _common import machine, scratch, verdict

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

N = 500


def main() -> None:
    server = PrinterServer().start()
    db = Database(f"sqlite:///{scratch() / 'orto.sqlite3'}")
    upgrade(db)
    shop = build_shop(db)
    settings = replace(
        shop.settings, printers={"banco": PrinterConfig("banco", "network", {"host": "127.0.0.1", "port": server.port})}
    )
    with db.write() as session:
        for _ in range(N):
            queue_document(session, printer="banco", role=PrinterRole.RECEIPT, doc_type="receipt", document=SLIP)
    queue = PrintQueue(db, settings)
    started = time.perf_counter()
    printed = queue.run_once()
    elapsed = time.perf_counter() - started
    time.sleep(0.3)
    data = render(customer_slip(SLIP, 48), PrinterProfile())
    started = time.perf_counter()
    for _ in range(N):
        with socket.create_connection(("127.0.0.1", server.port)) as conn:
            conn.sendall(b"\x10\x04\x04")
            conn.recv(1)
            conn.sendall(data + b"\x10\x04\x01")
            conn.recv(1)
    floor = time.perf_counter() - started
    server.stop()
    rate = printed / elapsed
    print(f"machine: {machine()}")
    print(f"{printed} jobs through the queue to 127.0.0.1: {rate:.0f} jobs/s (target ≥ 100/s) {verdict(rate >= 100)}")
    print(f"floor, the same bytes over fresh sockets without the queue: {N / floor:.0f} jobs/s")


if __name__ == "__main__":
    main()
