"""A three-line sale on PostgreSQL (loopback): Orto beside a psycopg replay of its own SQL, interleaved.

Every round rings one whole sale as the till does (start, three scans, pay) while recording
every statement Orto sends (SQLAlchemy's ``before_cursor_execute``) with its parameters and
transaction boundaries; in the same round plain psycopg replays exactly those statements,
transaction by transaction (each statement sent as Orto sent it, results fetched, the
transaction's implicit BEGIN and its COMMIT), on a copy of the database made from it before the
first round, so the replay finds the state Orto found (the replay follows Orto in each round: it
needs the statements Orto just sent). Round trips (a ReadyForQuery from the server per request)
are counted with libpq's protocol trace on one untimed sale, for Orto and for the replay. The
commit is ``complete_sale`` whole, on both sides: its reads before the write lock and its write
transaction (until 2026-12-03 the replay's side counted the write transaction alone). Each
round also rings the same sale through an engine that pings at every checkout (SQLAlchemy's
``pool_pre_ping``, the setting before), before or after Orto's by turns. Issue 18's target: the
commit ≤ 1.5x the replay (the per-round ratio's median).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from _common import Recorder, Transaction, machine, percentile, ratio_line, scratch
from sqlalchemy import event

from orto.db import Database
from orto.models import PaymentMethod
from orto.schema import upgrade
from pos import selling
from pos.selling import PaymentInput
from tests.shop import build_shop

N = int(os.environ.get("ORTO_BENCH_ROUNDS", "200"))
TARGET = 1.5
SERVER = "host=127.0.0.1 user=postgres dbname=postgres"


class Trips:
    """libpq's protocol trace of the connections used while on, to count the server's answers.

    libpq writes the trace through its own buffered stream, flushed when the tracing stops: so a
    connection is traced from its checkout to its checkin, and counted after.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("w")
        self.traced: list[Any] = []

    def follow(self, pgconn: Any) -> None:
        import psycopg

        pgconn.trace(self.file.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE)
        self.traced.append(pgconn)

    def stop(self) -> list[str]:
        """Every traced line since the last stop."""
        for pgconn in self.traced:
            pgconn.untrace()
        self.traced.clear()
        self.file.flush()
        lines = self.path.read_text().splitlines()
        self.file.truncate(0)
        self.file.seek(0)
        return lines


def answers(lines: list[str]) -> int:
    return sum(1 for line in lines if "\tReadyForQuery" in line)


def replay(conn: Any, transactions: list[Transaction]) -> list[float]:
    times = []
    for transaction in transactions:
        started = time.perf_counter()
        with conn.cursor() as cur:
            for statement, parameters, many in transaction:
                if statement == "COMMIT":
                    conn.commit()
                elif statement == "ROLLBACK":
                    conn.rollback()
                elif many:
                    cur.executemany(statement, parameters)
                else:
                    cur.execute(statement, parameters or None)
                    if cur.description is not None:
                        cur.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _show(orto: list[str], replayed: list[str]) -> None:
    for label, lines in (("orto", orto), ("replay", replayed)):
        print(f"--- {label}'s requests")
        for line in lines:
            if line.startswith("F") and ("\tQuery" in line or "\tParse" in line or "\tSync" in line):
                print("   ", line[:140])


def commit_index(transactions: list[Transaction]) -> int:
    """The sale's commit: the transaction that writes its payments."""
    return next(i for i, t in enumerate(transactions) if any("INSERT INTO payments" in s for s, _p, _m in t))


def sell(db: Database, shop: Any, mark: Any = lambda: None) -> tuple[float, float]:
    """``mark`` is called as the payment begins: the commit is every transaction from there (its
    reads before the write lock, then the write), as in sale_commit.py."""
    started = time.perf_counter()
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    selling.add_item(db, sale.id, shop.cashier, "2100101002502")
    sale = selling.add_item(db, sale.id, shop.cashier, "H2O")
    mark()
    before_commit = time.perf_counter()
    selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents + 100)]
    )
    done = time.perf_counter()
    return (done - before_commit) * 1000, (done - started) * 1000


def main() -> None:
    import psycopg

    name = f"orto_bench_pg_{int(time.time())}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(name)
    finally:  # the bench's databases go when it is done
        with psycopg.connect(SERVER, autocommit=True) as admin:
            for db_name in (name, f"{name}_replay"):
                admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def run(name: str) -> None:
    import psycopg

    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    upgrade(db)
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    db.dispose()  # the copy needs the database without connections
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}_replay" TEMPLATE "{name}"')
    replica = psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}_replay")
    recorder = Recorder(db)
    trips = Trips(scratch() / "trace.txt")

    tracing = {"on": False}

    @event.listens_for(db.engine, "checkout")
    def _trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if tracing["on"]:
            trips.follow(dbapi_connection.pgconn)

    def counted_sale() -> tuple[int, int, list[Transaction]]:
        """The round trips of a sale's commit, Orto's and the replay's."""
        recorder.on = True
        sale = selling.start_sale(db, shop.counter, shop.cashier)
        for code in ("8001234567897", "2100101002502", "H2O"):
            sale = selling.add_item(db, sale.id, shop.cashier, code)
        start = len(recorder.transactions)
        tracing["on"] = True
        selling.complete_sale(
            db, shop.settings, sale.id, shop.cashier, [PaymentInput(PaymentMethod.CASH, sale.total_cents + 100)]
        )
        tracing["on"] = False
        orto_trace = trips.stop()
        recorder.on = False
        transactions = recorder.take()
        at = commit_index(transactions)
        replay(replica, transactions[:start])
        trips.follow(replica.pgconn)
        replay(replica, transactions[start : at + 1])
        replay_trace = trips.stop()
        if os.environ.get("ORTO_BENCH_TRACE"):
            _show(orto_trace, replay_trace)
        replay(replica, transactions[at + 1 :])
        return answers(orto_trace), answers(replay_trace), transactions[start : at + 1]

    commit, whole, floor_commit, floor_whole = [], [], [], []
    # the same sale with a ping at every checkout (SQLAlchemy's pool_pre_ping, the setting before),
    # in the same rounds, before or after Orto's by turns; its writes replayed untimed
    pinged = Database(db.url, pool_pre_ping=True)
    pinged_recorder = Recorder(pinged)
    pinged_commit, pinged_whole = [], []
    for i in range(N):
        if i % 2:
            pinged_recorder.on = True
            pc, pw = sell(pinged, shop)
            pinged_recorder.on = False
            replay(replica, pinged_recorder.take())
        recorder.on = True
        marks: list[int] = []
        c, w = sell(db, shop, lambda marks=marks: marks.append(len(recorder.transactions)))
        recorder.on = False
        transactions = recorder.take()
        times = replay(replica, transactions)
        if not i % 2:
            pinged_recorder.on = True
            pc, pw = sell(pinged, shop)
            pinged_recorder.on = False
            replay(replica, pinged_recorder.take())
        commit.append(c)
        whole.append(w)
        pinged_commit.append(pc)
        pinged_whole.append(pw)
        floor_commit.append(sum(times[marks[0] : commit_index(transactions) + 1]))
        floor_whole.append(sum(times))
    pinged.dispose()
    # counted after the rounds: a steady sale (the first ones also create the lots they sell from)
    commit_trips, replay_trips, recorded = counted_sale()
    statements = sum(len(t) for t in recorded)
    replica.close()
    db.dispose()

    c50, f50 = percentile(commit, 50), percentile(floor_commit, 50)
    print(f"machine: {machine()}")
    print(f"{N} rounds on PostgreSQL {db.engine.dialect.server_version_info} (loopback), Orto and its psycopg replay")
    print(
        f"commit of a 3-line sale: p50 {c50:.2f} ms, p99 {percentile(commit, 99):.2f} ms; "
        f"{commit_trips} round trips ({statements} statements recorded counting COMMIT, and BEGIN, in "
        f"{len(recorded)} transactions: the reads before the write lock, then the write)"
    )
    print(
        f"  psycopg replay of its statements: p50 {f50:.2f} ms, p99 {percentile(floor_commit, 99):.2f} ms; "
        f"{replay_trips} round trips"
    )
    print("  " + ratio_line(commit, floor_commit, TARGET, "commit / replay"))
    print(
        f"whole sale (start + 3 scans + pay): p50 {percentile(whole, 50):.2f} ms; replay p50 "
        f"{percentile(floor_whole, 50):.2f} ms; " + ratio_line(whole, floor_whole, None, "whole / replay")
    )
    print(
        f"with a ping at every checkout (pool_pre_ping, before): commit p50 {percentile(pinged_commit, 50):.2f} ms, "
        f"whole sale p50 {percentile(pinged_whole, 50):.2f} ms; "
        + ratio_line(whole, pinged_whole, None, "whole sale, ping when idle / ping always")
    )


if __name__ == "__main__":
    main()
