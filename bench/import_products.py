"""Importing 20,000 products from an Italian-Excel CSV: target ≤ 3 s.

Floor: plain sqlite3 inserting the same rows with executemany in one transaction.
"""

from __future__ import annotations

import sqlite3
import time

from _common import machine, scratch, verdict

from inventory.catalog_io import import_products
from orto.barcodes import with_check_digit
from orto.db import Database
from orto.schema import upgrade

N = 20_000
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

    db = Database(f"sqlite:///{folder / 'orto.sqlite3'}")
    upgrade(db)
    started = time.perf_counter()
    result = import_products(db, csv_path)
    elapsed = time.perf_counter() - started
    assert result.created == N

    floor_db = sqlite3.connect(folder / "floor.sqlite3")
    floor_db.execute("PRAGMA journal_mode=WAL")
    floor_db.execute("PRAGMA synchronous=FULL")
    floor_db.execute("CREATE TABLE products (code TEXT UNIQUE, name TEXT, unit TEXT, vat INT, price INT, cost INT)")
    floor_db.execute("CREATE TABLE barcodes (product INT, code TEXT UNIQUE)")
    rows = [(f"P{i:06d}", f"Prodotto numero {i}", "pz", 400, 100 + i % 5000, 50) for i in range(N)]
    started = time.perf_counter()
    with floor_db:
        floor_db.executemany("INSERT INTO products VALUES (?,?,?,?,?,?)", rows)
        floor_db.executemany(
            "INSERT INTO barcodes VALUES (?,?)", [(i, with_check_digit(f"80{i:010d}")) for i in range(N)]
        )
    floor = time.perf_counter() - started

    print(f"machine: {machine()}")
    print(f"import {N} products from CSV: {elapsed:.2f} s (target ≤ {TARGET_S} s) {verdict(elapsed <= TARGET_S)}")
    print(f"floor, plain sqlite3 executemany of the bare rows: {floor:.3f} s; ratio {elapsed / floor:.1f}x")


if __name__ == "__main__":
    main()
