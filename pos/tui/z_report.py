"""The day's Z, taken and shown: the day screen offers it, and closing the day's last shift ends with it."""

from __future__ import annotations

from collections.abc import Callable

from orto.errors import OrtoError
from orto.i18n import gettext as _
from pos import selling
from pos.tui.till_screen import TillScreen


def take_z(
    screen: TillScreen, done: Callable[[object], None], failed: Callable[[OrtoError], None] | None = None
) -> None:
    """The day's Z: at a counter with an RT, the RT's fiscal closure first and then Orto's Z
    (pos.selling.fiscal.close_day, answering both); elsewhere Orto's Z alone."""
    assert screen.ctx.operator is not None
    ctx = screen.ctx
    if ctx.fiscal_printer:
        from pos.selling.fiscal import close_day

        screen.call(close_day, ctx.db, ctx.settings, ctx.counter.id, ctx.operator, done=done, failed=failed)
    else:
        screen.call(selling.z_report, ctx.db, ctx.settings, ctx.counter.id, ctx.operator, done=done, failed=failed)


def show_z(screen: TillScreen, report: object) -> None:
    """The Z as printed, over the screen it was taken from; after an RT's closure, the RT's and
    Orto's totals side by side above it."""
    from pos.tui.dialogs import TextPreview
    from receipts.documents import shift_report
    from receipts.layout import render_text

    head = ""
    if isinstance(report, tuple):  # (the RT's comparison, Orto's Z) from close_day
        from pos.selling.fiscal import comparison_lines

        comparison, report = report
        head = "\n".join(comparison_lines(comparison)) + "\n\n"

    doc = {
        "kind": "z_report",
        "counter": screen.ctx.counter.name,
        "number": getattr(report, "number", 0),
        "totals": getattr(report, "totals", {}),
    }
    screen.app.push_screen(TextPreview(_("Z report"), head + render_text(shift_report(doc))))
