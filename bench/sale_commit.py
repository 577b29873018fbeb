"""A three-line sale on SQLite (WAL, synchronous=FULL): p50/p99 and sales per second.

Two figures, because the till persists a sale while it is being rung (every scan is committed,
so a crash loses nothing):
- "commit": complete_sale of a three-line sale (payments, numbering, stock, audit, print job) —
  the figure the targets are about;
- "whole sale": start + three scans + commit, i.e. five transactions, as the till does it.
Floor: plain sqlite3 writing the same rows (sale, 3 lines, payment, 3 movements, 3 stock
updates, a print job) in one transaction.
Targets: commit p50 ≤ 3 ms and ≤ 5x the floor; ≥ 300 sales/s from one process.
"""

from __future__ import annotations

import sqlite3
import time

from _common import machine, percentile, scratch, verdict
from sqlalchemy import event
from sqlalchemy.orm import Session

from orto.db import Database
from orto.models import PaymentMethod
from orto.schema import upgrade
from pos import selling
from pos.selling import PaymentInput
from tests.shop import build_shop

N = 400


def floor_run(path: str) -> list[float]:
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
    timings = []
    for i in range(N):
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
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    folder = scratch()
    db = Database(f"sqlite:///{folder / 'orto.sqlite3'}")
    upgrade(db)
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    # where a commit's time goes: its statements, and SQLite's COMMIT (the WAL append and its fsync)
    seen = {"statements": 0, "commit_at": 0.0, "committing": 0.0}

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        seen["statements"] += 1

    @event.listens_for(db.engine, "commit")
    def _committing(_conn: object) -> None:
        seen["commit_at"] = time.perf_counter()

    @event.listens_for(Session, "after_commit")
    def _committed(_session: object) -> None:
        seen["committing"] = time.perf_counter() - seen["commit_at"]

    commit, whole, statements, committing, scans = [], [], [], [], []
    for _ in range(N):
        started = time.perf_counter()
        sale = selling.start_sale(db, shop.counter, shop.cashier)
        scanned = time.perf_counter()
        selling.add_item(db, sale.id, shop.cashier, "8001234567897")
        selling.add_item(db, sale.id, shop.cashier, "2100101002502")
        sale = selling.add_item(db, sale.id, shop.cashier, "H2O")
        before_commit = time.perf_counter()
        seen["statements"] = 0
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents + 100)]
        )
        done = time.perf_counter()
        commit.append((done - before_commit) * 1000)
        whole.append((done - started) * 1000)
        scans.append((before_commit - scanned) * 1000 / 3)
        statements.append(seen["statements"])
        committing.append(seen["committing"] * 1000)
    floor = floor_run(str(folder / "floor.sqlite3"))
    p50, p99, f50 = percentile(commit, 50), percentile(commit, 99), percentile(floor, 50)
    print(f"machine: {machine()}")
    print(
        f"commit of a 3-line sale: p50 {p50:.2f} ms, p99 {p99:.2f} ms, {1000 / p50:.0f} sales/s "
        f"(target p50 ≤ 3 ms: {verdict(p50 <= 3)}; ≤ 5x floor: {p50 / f50:.1f}x {verdict(p50 <= 5 * f50)})"
    )
    print(
        f"whole sale, start + 3 scans + commit (5 transactions): p50 {percentile(whole, 50):.2f} ms, "
        f"p99 {percentile(whole, 99):.2f} ms, {1000 / percentile(whole, 50):.0f} sales/s "
        f"(target ≥ 300/s: {verdict(1000 / percentile(whole, 50) >= 300)})"
    )
    print(f"floor, plain sqlite3 one transaction: p50 {f50:.2f} ms, p99 {percentile(floor, 99):.2f} ms")
    print(
        f"the commit: {percentile(statements, 50):.0f} statements counting BEGIN; its COMMIT "
        f"(WAL append + fsync) p50 {percentile(committing, 50):.2f} ms; a scan p50 {percentile(scans, 50):.2f} ms"
    )


if __name__ == "__main__":
    main()
