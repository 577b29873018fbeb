"""Importing 20,000 products from an Italian-Excel CSV, beside a plain-sqlite3 replay of its SQL.

An untimed import records every statement Orto sends for this file into this database (a fresh
copy of the same migrated database with a manager); then each round imports the file into a fresh
copy and, in the same round, plain `sqlite3` replays those statements (its executemany calls as
executemany) on another fresh copy. The order of the two alternates by round.
Issue 18's target: ≤ 3x a plain executemany floor (the per-round ratio's median); the project's
own: ≤ 3 s.
"""

from __future__ import annotations

import shutil
import sqlite3
import time

from _common import Recorder, machine, met, ratio_line, replay, scratch

from inventory.catalog_io import import_products
from orto.barcodes import with_check_digit
from orto.db import Database
from orto.schema import upgrade
from tests.factories import manager

N = 20_000
ROUNDS = 5
TARGET_S = 3.0


def main() -> None:
    folder = scratch()
    csv_path = folder / "products.csv"
    lines = ["codice;nome;categoria;unita;iva;prezzo;barcode;allergeni;plu;costo;giorni_scadenza;tipo_scadenza"]
    for i in range(N):
        weighed = i % 5 == 0
        lines.append(
            f"P{i:06d};Prodotto numero {i};Categoria {i % 12};{'kg' if weighed else 'pz'};{(4, 10, 22)[i % 3]};"
            f"{1 + i % 50},{i % 100:02d};{with_check_digit(f'80{i:010d}')};{'latte|uova' if i % 7 == 0 else ''};"
            f"{i + 1 if weighed else ''};0,{i % 90 + 10};{i % 30 + 1};best_before"
        )
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")

    template = folder / "template.sqlite3"
    db = Database(f"sqlite:///{template}")
    upgrade(db)
    actor = manager(db)
    db.dispose()

    # Orto's statements for this file and this database are the same every time (ids, rows and
    # order): recorded once by an untimed import, replayed in every round
    warm = folder / "warm.sqlite3"
    shutil.copy(template, warm)
    db = Database(f"sqlite:///{warm}")
    recorder = Recorder(db)
    recorder.on = True
    import_products(db, csv_path, actor=actor)
    recorder.on = False
    statements = recorder.take()
    db.dispose()

    orto_s, floor_s = [], []
    for r in range(ROUNDS):
        for step in ("orto", "floor") if r % 2 == 0 else ("floor", "orto"):
            copy = folder / f"{step}-{r}.sqlite3"
            shutil.copy(template, copy)
            if step == "orto":
                db = Database(f"sqlite:///{copy}")
                started = time.perf_counter()
                result = import_products(db, csv_path, actor=actor)
                orto_s.append(time.perf_counter() - started)
                db.dispose()
                assert result.created == N
            else:
                conn = sqlite3.connect(copy, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                floor_s.append(sum(replay(conn, statements)) / 1000)
                conn.close()

    best, median = min(orto_s), sorted(orto_s)[len(orto_s) // 2]
    print(f"machine: {machine()}")
    print(
        f"import {N} products from CSV, {ROUNDS} rounds: median {median:.2f} s, best {best:.2f} s "
        f"(target ≤ {TARGET_S} s: {met(median <= TARGET_S)})"
    )
    floor_median = sorted(floor_s)[len(floor_s) // 2]
    print(f"floor, plain sqlite3 replaying the import's own statements: median {floor_median:.3f} s")
    print(ratio_line(orto_s, floor_s, 3.0, "import / replay"))


if __name__ == "__main__":
    main()
