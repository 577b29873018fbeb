"""A 30-line slip rendered to ESC/POS bytes: target ≤ 5 ms (p50 over 300 renders).

Floor: encoding the same text to CP858 with plain Python (no layout, no ESC/POS commands).
"""

from __future__ import annotations

import time

from _common import machine, percentile, verdict

from receipts.documents import customer_slip
from receipts.escpos_render import PrinterProfile, render
from receipts.layout import render_text
from tests.integration.test_receipts_layouts import SLIP

N = 300


def main() -> None:
    line = SLIP["lines"][1]
    doc = dict(SLIP, lines=[dict(line, description=f"Articolo numero {i}") for i in range(30)])
    layout = customer_slip(doc, 48)
    render(layout, PrinterProfile())  # warm the import
    timings = []
    for _ in range(N):
        started = time.perf_counter()
        render(customer_slip(doc, 48), PrinterProfile(), open_drawer=True)
        timings.append((time.perf_counter() - started) * 1000)
    text = render_text(layout)
    floor = []
    for _ in range(N):
        started = time.perf_counter()
        text.encode("cp858")
        floor.append((time.perf_counter() - started) * 1000)
    p50 = percentile(timings, 50)
    print(f"machine: {machine()}")
    print(
        f"30-line slip to ESC/POS bytes: p50 {p50:.2f} ms, p99 {percentile(timings, 99):.2f} ms "
        f"(target ≤ 5 ms) {verdict(p50 <= 5)}"
    )
    print(f"floor, the same text encoded to CP858: p50 {percentile(floor, 50):.3f} ms")


if __name__ == "__main__":
    main()
