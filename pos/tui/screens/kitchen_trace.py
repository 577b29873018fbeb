"""Trace a lot: scan or type its code; one step back (to the farm, through the lab's batches) and
one step forward (transfers, batches, sales by site and day, waste, on hand) in a scrollable
view. From there a manager opens a recall (F5, the reason is required: every till shows it when
refusing the lot) or lifts it (F6).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from inventory.recalls import RecallResult, derived_codes, lift_recall, open_recall
from inventory.trace import trace_lines, trace_lot
from orto.db import Database
from orto.i18n import N_
from orto.i18n import gettext as _
from pos.tui.kitchen_base import KitchenScreen


def trace_text(db: Database, code: str) -> str:
    with db.read() as session:
        return "\n".join(trace_lines(trace_lot(session, code)))


class TraceScreen(KitchenScreen):
    TITLE_TEXT = N_("Trace a lot")
    BINDINGS = [
        Binding("f5", "recall", _("Recall (manager)")),
        Binding("f6", "lift", _("Lift the recall (manager)")),
        Binding("pageup", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(1)", show=False),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="k-trace"):
            yield Static("", id="k-trace-text", markup=False)

    def on_mount(self) -> None:
        self.info(_("PgUp/PgDn scroll · F5 recall · F6 lift the recall · Esc back"))
        if self.code:
            self._trace(self.code)
        else:
            self.idle()

    def idle(self) -> None:
        self.ask(
            _("Lot code: scan or type"), self._trace, default=self.code or "", placeholder="PAL-261125-001", home=True
        )

    def _trace(self, code: str) -> None:
        if not code:
            self.idle()
            return

        def show(text: str) -> None:
            self.code = code
            self.query_one("#k-trace-text", Static).update(text)
            self.query_one("#k-trace", VerticalScroll).scroll_home(animate=False)
            self.idle()

        self.call(
            trace_text,
            self.ctx.db,
            code,
            done=show,
            failed=self.fail,
        )

    def action_scroll(self, pages: int) -> None:
        view = self.query_one("#k-trace", VerticalScroll)
        view.scroll_page_down(animate=False) if pages > 0 else view.scroll_page_up(animate=False)

    def action_recall(self) -> None:
        code = self.code
        if not code:
            return

        def reason(text: str) -> None:
            if not text:
                self.notify(
                    _("a recall needs its reason: it is shown at every till that tries to sell the lot"),
                    severity="error",
                )
                self.idle()
                return
            self.with_manager(
                _("Recall lot {lot}").format(lot=code),
                lambda manager: self.call(
                    open_recall, self.ctx.db, code, reason=text, actor=manager, done=self._recalled
                ),
            )

        self.ask(_("Recall lot {lot} and what the lab made from it: the reason").format(lot=code), reason)

    def _recalled(self, result: RecallResult) -> None:
        said = ", ".join(result.recalled) or "-"
        self.notify(_("Recalled: {lots}").format(lots=said), severity="warning", timeout=10)
        if self.code:
            self._trace(self.code)

    def action_lift(self) -> None:
        code = self.code
        if not code:
            return

        def note(text: str) -> None:
            if not text:
                self.notify(_("write why the recall is lifted"), severity="error")
                self.idle()
                return
            self.call(derived_codes, self.ctx.db, code, done=lambda codes: decide(text, codes))

        def lift(text: str, with_derived: bool = False, keep: str | None = None) -> None:
            self.with_manager(
                _("Lift the recall of lot {lot}").format(lot=code),
                lambda manager: self.call(
                    lift_recall,
                    self.ctx.db,
                    code,
                    actor=manager,
                    note=text,
                    with_derived=with_derived,
                    keep_derived_reason=keep,
                    done=lambda _result: self._lifted(code),
                ),
            )

        def decide(text: str, codes: list[str]) -> None:
            if not codes:
                lift(text)
                return

            def answer(reply: str) -> None:
                if not reply:
                    self.notify(_("say whether the lots made from it are lifted too"), severity="error")
                    self.idle()
                elif reply.strip().lower() in ("sì", "si", "s", "yes", "y"):
                    lift(text, with_derived=True)
                else:
                    lift(text, keep=reply)

            self.ask(
                _("Recalled through it: {lots}. Type 'sì' to lift them too, or why they stay recalled").format(
                    lots=", ".join(codes)
                ),
                answer,
            )

        self.ask(_("Lift the recall of lot {lot}: why").format(lot=code), note)

    def _lifted(self, code: str) -> None:
        self.notify(_("Recall of lot {lot} lifted.").format(lot=code))
        self._trace(code)
