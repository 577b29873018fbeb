"""A 30-line slip rendered to ESC/POS bytes: target ≤ 5 ms (p50 over 300 rounds).

Floor: encoding the same text to CP858 with plain Python (no layout, no ESC/POS commands),
interleaved with the render round by round.
"""

from __future__ import annotations

from _common import interleave, machine, percentile, ratio_line, verdict

from receipts.documents import customer_slip
from receipts.escpos_render import PrinterProfile, render
from receipts.layout import render_text
from tests.integration.test_receipts_layouts import SLIP

ROUNDS = 300
TARGET_MS = 5.0


def main() -> None:
    line = SLIP["lines"][1]
    doc = dict(SLIP, lines=[dict(line, description=f"Articolo numero {i}") for i in range(30)])
    layout = customer_slip(doc, 48)
    text = render_text(layout)
    times = interleave(
        ROUNDS,
        {
            "orto": lambda: render(customer_slip(doc, 48), PrinterProfile(), open_drawer=True),
            "floor": lambda: text.encode("cp858"),
        },
        warm=3,
    )
    timings, floor = times["orto"], times["floor"]
    p50 = percentile(timings, 50)
    print(f"machine: {machine()}")
    print(
        f"30-line slip to ESC/POS bytes, {ROUNDS} rounds: p50 {p50:.2f} ms, p99 {percentile(timings, 99):.2f} ms "
        f"(target ≤ {TARGET_MS:g} ms: {verdict(p50 <= TARGET_MS)})"
    )
    print(f"floor, the same text encoded to CP858: p50 {percentile(floor, 50):.3f} ms")
    print(ratio_line(timings, floor, None, "render / encode"))


if __name__ == "__main__":
    main()
