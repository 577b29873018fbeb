"""What issuing the documento commerciale adds to a sale, Orto's own time (the RT's excluded).

Two counters of the same shop, same 3-line sale, interleaved round by round so the machine's
drift hits both alike (the order alternating):
- without an RT: complete_sale queues the non-fiscal slip (a print job);
- with the simulated RT (127.0.0.1): complete_sale maps the sale to the RT's document, checks it
  and writes the fiscal job in the sale's transaction.
The till waits only for the commit; the document is issued by the fiscal queue's thread. Its
Orto-side time per document (the worker's time minus the HTTP exchanges with the RT) is
reported too. Target: the commit with the RT ≤ 5 ms more than without.
"""

from __future__ import annotations

import time
from dataclasses import replace

from _common import interleave, machine, median, ratio_line, scratch

from orto.db import Database
from orto.models import PaymentMethod
from orto.schema import upgrade
from pos import selling
from pos.selling import PaymentInput
from receipts.fiscal import client as fiscal_client
from receipts.fiscal.queue import FiscalQueue
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import with_rt
from tests.shop import build_shop

ROUNDS = 300


def sell(db: Database, shop, counter: int) -> float:  # type: ignore[no-untyped-def]
    sale = selling.start_sale(db, counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    selling.add_item(db, sale.id, shop.cashier, "2100101002502")
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    started = time.perf_counter()
    selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents + 100)]
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    folder = scratch()
    db = Database(f"sqlite:///{folder / 'orto.sqlite3'}")
    upgrade(db)
    rt = SimulatedRT().start()
    shop = with_rt(build_shop(db), rt.port)
    # the bar's counter sells the same products without an RT: same code path, a slip instead
    counters = dict(shop.settings.counter_printers)
    counters["MON-1"] = {"receipt": "banco"}
    shop.settings = replace(shop.settings, counter_printers=counters)
    for counter in (shop.counter, shop.bar):
        selling.open_shift(db, counter, shop.cashier, {})
    times = interleave(
        ROUNDS, {"plain": lambda: sell(db, shop, shop.bar), "fiscal": lambda: sell(db, shop, shop.counter)}, warm=2
    )
    plain, fiscal = times["plain"], times["fiscal"]

    # the worker: its time per document minus the time spent in the HTTP exchanges with the RT
    in_http = {"s": 0.0}
    original_post = fiscal_client.EpsonRT.post

    def timed_post(self: fiscal_client.EpsonRT, body: bytes) -> object:
        started = time.perf_counter()
        try:
            return original_post(self, body)
        finally:
            in_http["s"] += time.perf_counter() - started

    fiscal_client.EpsonRT.post = timed_post  # type: ignore[assignment,method-assign]
    worker = FiscalQueue(db, shop.settings)
    started = time.perf_counter()
    issued = worker.run_once()
    total_s = time.perf_counter() - started
    rt.stop()
    added = median(fiscal) - median(plain)
    print(f"machine: {machine()}")
    print(
        f"complete_sale without RT: p50 {median(plain):.2f} ms; with RT: p50 {median(fiscal):.2f} ms; "
        f"added {added:+.2f} ms (target ≤ 5 ms: {'MET' if added <= 5 else 'MISSED'})"
    )
    print(ratio_line(fiscal, plain, None, "with RT / without"))
    print(
        f"fiscal queue: {issued} documents issued in {total_s:.2f} s; Orto's own time per document "
        f"{(total_s - in_http['s']) / max(issued, 1) * 1000:.2f} ms (HTTP with the simulated RT excluded: "
        f"{in_http['s'] / max(issued, 1) * 1000:.2f} ms per document, 2 exchanges each); the till never waits for it"
    )


if __name__ == "__main__":
    main()
