"""The till with a 20,000-product catalog (SQLite, synchronous=FULL).

- start: process start to a usable sale screen (logged in, sale loaded), warm (second run),
  beside an empty Textual app measured the same way in the same run: target ≤ 1.0 s and ≤ 1.5x it;
- scan to line on screen: p95 ≤ 50 ms (Pilot: type a barcode + Enter until the row is drawn);
- results as you type: p95 ≤ 50 ms (the in-memory index over 20,000 names).
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

from _common import machine, percentile, scratch, verdict

from inventory.catalog_io import import_products
from inventory.search import ProductIndex
from orto.barcodes import with_check_digit
from orto.db import Database
from orto.schema import upgrade
from pos import selling
from tests.shop import build_shop

N = 20_000

EMPTY_APP = """
import time, sys
t0 = float(sys.argv[1])
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("ready")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(time.time() - t0); self.exit()
Empty().run(headless=True)
"""

TILL_APP = """
import sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[3])
from orto.db import Database
from pos.tui.app import OrtoTill
from pos.tui.context import CounterInfo
from tests.test_tui_flows import _till, login, settle
from tests.shop import Shop
import asyncio
from sqlalchemy import select
from orto.models import Counter
import tests.shop as shopmod
db = Database(sys.argv[2])
async def main():
    from orto.config import Settings
    with db.read() as s:
        c = s.scalar(select(Counter).where(Counter.code == "PAL-1"))
        info = CounterInfo(c.id, c.code, c.name, c.kind, c.site_id, c.site.code, c.site.name)
    app = OrtoTill(db, shopmod.shop_settings(), info, start_queue=False)
    async with app.run_test(size=(100, 32), headless=True) as pilot:
        await login(pilot)
        print(time.time() - t0)
asyncio.run(main())
"""


def _timed(script: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", script, str(time.time()), *args], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


async def _scan_latency(db: Database) -> list[float]:
    from sqlalchemy import select
    from textual.widgets import DataTable

    from orto.models import Counter
    from pos.tui.app import OrtoTill
    from pos.tui.context import CounterInfo
    from tests.shop import shop_settings
    from tests.test_tui_flows import login, type_text

    with db.read() as s:
        c = s.scalar(select(Counter).where(Counter.code == "PAL-1"))
        info = CounterInfo(c.id, c.code, c.name, c.kind, c.site_id, c.site.code, c.site.name)
    app = OrtoTill(db, shop_settings(), info, start_queue=False)
    timings = []
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        table = app.screen.query_one("#cart", DataTable)
        rng = random.Random(3)
        for _ in range(60):
            code = with_check_digit(f"80{rng.randrange(N):010d}")
            before = table.row_count
            await type_text(pilot, code)
            started = time.perf_counter()
            await pilot.press("enter")
            while table.row_count == before and time.perf_counter() - started < 2:
                await pilot.pause(0.001)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    folder = scratch()
    url = f"sqlite:///{folder / 'orto.sqlite3'}"
    db = Database(url)
    upgrade(db)
    shop = build_shop(db)
    csv = folder / "products.csv"
    lines = ["codice;nome;iva;prezzo;barcode"]
    names = ["Pomodori", "Zucchine", "Caffè", "Confettura", "Pane", "Miele", "Formaggio", "Birra", "Succo"]
    for i in range(N):
        lines.append(
            f"B{i:06d};{names[i % len(names)]} varietà {i};10;{1 + i % 40},50;{with_check_digit(f'80{i:010d}')}"
        )
    csv.write_text("\n".join(lines), encoding="utf-8")
    import_products(db, csv)
    selling.open_shift(db, shop.counter, shop.cashier, {})
    root = str(Path(__file__).resolve().parent.parent)
    _timed(EMPTY_APP)
    _timed(TILL_APP, url, root)  # the first run warms the OS caches and .pyc files
    empty = min(_timed(EMPTY_APP) for _ in range(3))
    till = min(_timed(TILL_APP, url, root) for _ in range(3))
    index = ProductIndex.load(db)
    rng = random.Random(5)
    searches = []
    for _ in range(300):
        word = rng.choice(["pom", "caffe", "confetura", "zucchin", "miele var", "birra 12"])
        started = time.perf_counter()
        index.search(word)
        searches.append((time.perf_counter() - started) * 1000)
    scans = asyncio.run(_scan_latency(db))
    print(f"machine: {machine()}")
    print(
        f"start to a usable sale screen ({N} products): {till:.2f} s (target ≤ 1.0 s: {verdict(till <= 1.0)}); "
        f"empty Textual app: {empty:.2f} s; ratio {till / empty:.1f}x (target ≤ 1.5x: {verdict(till <= 1.5 * empty)})"
    )
    print(
        f"scan to line on screen: p50 {percentile(scans, 50):.1f} ms, p95 {percentile(scans, 95):.1f} ms "
        f"(target p95 ≤ 50 ms: {verdict(percentile(scans, 95) <= 50)})"
    )
    print(
        f"results as you type over {len(index)} names: p50 {percentile(searches, 50):.1f} ms, "
        f"p95 {percentile(searches, 95):.1f} ms (target ≤ 50 ms: {verdict(percentile(searches, 95) <= 50)})"
    )


if __name__ == "__main__":
    main()
