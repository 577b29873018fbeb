"""A three-line sale on SQLite (WAL): Orto beside a plain-sqlite3 replay of its own SQL, interleaved.

Every round rings one whole sale as the till does (start, three scans, pay: five transactions)
while recording every statement Orto sends, with its parameters and transaction boundaries;
then, in the same round, plain `sqlite3` replays exactly those statements, transaction by
transaction, on a copy of the database taken before the first round (same schema, same indexes,
same rows, so the replay finds the state Orto found). The order of the two alternates by round.
Each round also rings a sale with every scan synced (the design before issue 18) for the
comparison. A further column, the minimal-schema floor (six bare tables, the same rows in one transaction), is
interleaved as well. Printed: p50/p99 of each, the per-round ratio's median and minimum, and MET
or MISSED against issue 18's targets:
- 3-line sale commit: p50 ≤ 1 ms on a quiet machine; ≤ 3x the plain-sqlite3 replay;
- whole sale from one process: ≥ 300 sales/s.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from typing import Any

from _common import Recorder, machine, percentile, ratio_line, replay, scratch, verdict
from sqlalchemy import event

from orto.db import Database
from orto.models import PaymentMethod
from orto.schema import upgrade
from pos import selling
from pos.selling import PaymentInput
from tests.shop import build_shop

N = 400  # rounds; `--rounds N` for a shorter run on a busy machine


def minimal_floor(path: str) -> tuple[sqlite3.Connection, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript("""
        CREATE TABLE sale (id INTEGER PRIMARY KEY, uuid TEXT, number TEXT, total INT, status TEXT, at TEXT);
        CREATE TABLE line (id INTEGER PRIMARY KEY, sale INT, product INT, qty INT, price INT, total INT, vat INT);
        CREATE TABLE payment (id INTEGER PRIMARY KEY, sale INT, method TEXT, amount INT);
        CREATE TABLE movement (id INTEGER PRIMARY KEY, lot INT, loc INT, qty INT, kind TEXT, doc INT);
        CREATE TABLE level (lot INT, loc INT, qty INT, PRIMARY KEY (lot, loc));
        CREATE TABLE job (id INTEGER PRIMARY KEY, doc INT, body TEXT, status TEXT);
        INSERT INTO level VALUES (1, 1, 100000), (2, 1, 100000), (3, 1, 100000);
    """)

    def one(i: int) -> float:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        sale = conn.execute(
            "INSERT INTO sale VALUES (NULL, ?, ?, 1200, 'completed', datetime('now'))", (f"uuid-{i}", f"N-{i}")
        ).lastrowid
        for product in (1, 2, 3):
            line = conn.execute("INSERT INTO line VALUES (NULL, ?, ?, 1, 400, 400, 1000)", (sale, product)).lastrowid
            conn.execute("INSERT INTO movement VALUES (NULL, ?, 1, -1, 'sale', ?)", (product, line))
            conn.execute("UPDATE level SET qty = qty - 1 WHERE lot = ? AND loc = 1", (product,))
        conn.execute("INSERT INTO payment VALUES (NULL, ?, 'cash', 1200)", (sale,))
        conn.execute("INSERT INTO job VALUES (NULL, ?, '{}', 'pending')", (sale,))
        conn.execute("COMMIT")
        return (time.perf_counter() - started) * 1000

    return conn, one


def main(rounds: int = N) -> None:
    folder = scratch()
    db = Database(f"sqlite:///{folder / 'orto.sqlite3'}")
    upgrade(db)
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    db.dispose()  # the copy is taken with no connection open: the WAL checkpointed into the file
    shutil.copy(folder / "orto.sqlite3", folder / "replay.sqlite3")
    replica = sqlite3.connect(folder / "replay.sqlite3", isolation_level=None)
    replica.execute("PRAGMA journal_mode=WAL")
    replica.execute("PRAGMA synchronous=FULL")
    replica.execute("PRAGMA foreign_keys=ON")
    minimal, minimal_one = minimal_floor(str(folder / "floor.sqlite3"))
    recorder = Recorder(db)

    # how long the commit holds SQLite's write lock: from its BEGIN IMMEDIATE to its COMMIT
    lock: dict[str, float] = {}

    @event.listens_for(db.engine, "before_cursor_execute")
    def _begin(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            lock["begin"] = time.perf_counter()

    @event.listens_for(db.engine, "commit")
    def _commit(_conn: Any) -> None:
        if "begin" in lock:
            lock["held"] = (time.perf_counter() - lock.pop("begin")) * 1000

    held: list[float] = []
    commit_starts: list[int] = []  # the index of the commit's first transaction in each round

    def orto_sale(every_scan_synced: bool = False) -> tuple[float, float, float]:
        # every_scan_synced: the design before issue 18 (five fsyncs a sale), for the comparison
        db.relaxed_cart = not every_scan_synced
        recorder.on = True
        started = time.perf_counter()
        sale = selling.start_sale(db, shop.counter, shop.cashier)
        selling.add_item(db, sale.id, shop.cashier, "8001234567897")
        selling.add_item(db, sale.id, shop.cashier, "2100101002502")
        sale = selling.add_item(db, sale.id, shop.cashier, "H2O")
        commit_starts.append(len(recorder.transactions))
        before_commit = time.perf_counter()
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents + 100)]
        )
        done = time.perf_counter()
        if not every_scan_synced:
            held.append(lock.get("held", 0.0))
        recorder.on = False
        db.relaxed_cart = True
        return (done - before_commit) * 1000, (done - started) * 1000, (before_commit - started) * 1000

    commit, whole, floor_commit, floor_whole, minimal_times, statements = [], [], [], [], [], []
    synced_whole: list[float] = []
    for i in range(rounds):
        first_orto = i % 2 == 0
        if not first_orto:
            minimal_times.append(minimal_one(i))
        c, w, _ = orto_sale()
        transactions = recorder.take()
        # the commit is the last write transaction (a read may follow it to build the answer)
        writes = [t for t in transactions if t[0][0].startswith("BEGIN IMMEDIATE") or t[0][0].startswith("PRAGMA")]
        statements.append(len(writes[-1]) if writes else 0)
        times = replay(replica, transactions)
        # the commit's transactions: its reads before the write lock (if any) and the write
        floor_commit.append(sum(times[commit_starts[-1] :]))
        floor_whole.append(sum(times))
        commit.append(c)
        whole.append(w)
        if first_orto:
            minimal_times.append(minimal_one(i))
        synced_whole.append(orto_sale(every_scan_synced=True)[1])
        replay(replica, recorder.take())  # untimed: keeps the replica in step with Orto's database
    replica.close()
    minimal.close()
    synced = percentile(synced_whole, 50)

    c50, f50 = percentile(commit, 50), percentile(floor_commit, 50)
    w50 = percentile(whole, 50)
    print(f"machine: {machine()}")
    print(f"{rounds} rounds, Orto and its replay interleaved (order alternating by round)")
    print(
        f"commit of a 3-line sale: p50 {c50:.2f} ms, p99 {percentile(commit, 99):.2f} ms "
        f"(target p50 ≤ 1 ms on a quiet machine: {verdict(c50 <= 1)})"
    )
    print(
        f"  replay of its statements in plain sqlite3: p50 {f50:.2f} ms, p99 {percentile(floor_commit, 99):.2f} ms; "
        f"{percentile(statements, 50):.0f} statements counting BEGIN and COMMIT"
    )
    print("  " + ratio_line(commit, floor_commit, 3.0, "commit / replay"))
    print(f"  the commit holds the write lock (BEGIN IMMEDIATE to COMMIT): p50 {percentile(held, 50):.2f} ms")
    print(
        f"  minimal-schema floor (6 bare tables, one transaction): p50 {percentile(minimal_times, 50):.2f} ms; "
        + ratio_line(commit, minimal_times, None, "commit / minimal")
    )
    print(
        f"whole sale, start + 3 scans + pay (5 transactions): p50 {w50:.2f} ms, p99 {percentile(whole, 99):.2f} ms, "
        f"{1000 / w50:.0f} sales/s (target ≥ 300/s: {verdict(1000 / w50 >= 300)})"
    )
    print(
        f"  replay of the whole sale: p50 {percentile(floor_whole, 50):.2f} ms, "
        f"{1000 / percentile(floor_whole, 50):.0f} sales/s; " + ratio_line(whole, floor_whole, None, "whole / replay")
    )
    print(
        f"  the same sale with every scan synced too (5 fsyncs, before issue 18), same rounds: p50 {synced:.2f} ms, "
        f"{1000 / synced:.0f} sales/s; " + ratio_line(whole, synced_whole, None, "one fsync / five")
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=N, help=f"whole sales rung (default {N})")
    main(parser.parse_args().rounds)
