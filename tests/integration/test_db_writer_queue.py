"""SQLite writers queue on a lock file next to the database; the queue orders, never blocks forever."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from orto import db as db_module
from orto.db import Database


def _table(db: Database) -> None:
    with db.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))


def test_writers_take_turns_and_every_write_lands(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    _table(db)
    inside = 0
    most = 0
    lock = threading.Lock()

    def writer(n: int) -> None:
        nonlocal inside, most
        for i in range(20):
            with db.write() as s:
                with lock:
                    inside += 1
                    most = max(most, inside)
                s.execute(text("INSERT INTO t VALUES (:x)"), {"x": n * 100 + i})
                time.sleep(0.001)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1  # one writer at a time, each with its own turn
    assert (tmp_path / "a.sqlite3-writer").exists()
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 80


def test_a_turn_held_too_long_is_skipped_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    _table(db)
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    stuck = os.open(tmp_path / "a.sqlite3-writer", os.O_RDWR)
    fcntl.flock(stuck, fcntl.LOCK_EX)  # a process that took its turn and hangs (without writing)
    try:
        started = time.monotonic()
        with db.write() as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
        assert 0.15 < time.monotonic() - started < 5
    finally:
        os.close(stuck)
    with db.write() as s:  # and the queue works again once the hung one is gone
        s.execute(text("INSERT INTO t VALUES (2)"))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 2
