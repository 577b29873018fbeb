"""Opening and closing a shift with the cash counted by denomination."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Header, Input, Label, Static

from orto.errors import OrtoError
from orto.i18n import gettext as _
from orto.money import format_amount
from pos import selling
from pos.tui.keys import KeyBar
from pos.tui.till_screen import TillScreen
from pos.tui.z_report import show_z, take_z

_DENOMINATIONS = selling.DENOMINATIONS_CENTS


class ShiftScreen(TillScreen):
    BINDINGS = [Binding("f10", "confirm", _("Confirm")), Binding("escape", "back", _("Back"))]

    def __init__(self, *, closing: bool, take_z: bool = False) -> None:
        super().__init__()
        self.closing = closing
        self.take_z = take_z  # the day's close: the last shift, then the Z (and there the RT's closure)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="shift"):
            if self.take_z:
                title = _("Close the day: count the drawer, then the Z")
            elif self.closing:
                title = _("Close the shift: count the drawer")
            else:
                title = _("Open the shift: count the float")
            yield Label(title, classes="dialog-title")
            with Grid(id="denominations"):
                for cents in _DENOMINATIONS:
                    yield Label(format_amount(cents) + " €")
                    yield Input(placeholder="0", id=f"d{cents}", restrict=r"[0-9]*")
            yield Static("", id="counted", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(f"#d{_DENOMINATIONS[0]}", Input).focus()
        self._total()

    def _count(self) -> dict[int, int]:
        return {
            c: int(self.query_one(f"#d{c}", Input).value or 0)
            for c in _DENOMINATIONS
            if int(self.query_one(f"#d{c}", Input).value or 0)
        }

    def _total(self) -> None:
        total = selling.count_cash(self._count())
        self.query_one("#counted", Static).update(
            _("Counted: {total} €  (F10 to confirm)").format(total=format_amount(total))
        )

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._total()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.focus_next()

    def action_confirm(self) -> None:
        assert self.ctx.operator is not None
        counted = self._count()
        if self.closing:
            self.call(
                selling.close_shift,
                self.ctx.db,
                self.ctx.counter.id,
                self.ctx.operator,
                counted,
                done=self._shift_closed,
            )
        else:
            self.call(
                selling.open_shift,
                self.ctx.db,
                self.ctx.counter.id,
                self.ctx.operator,
                counted,
                done=lambda _s: self._to_sale(),
            )

    def _to_sale(self) -> None:
        self.app.switch_screen(self.nav.sale())

    def _shift_closed(self, shift: selling.ShiftView) -> None:
        self.notify(
            _("Shift closed: expected {expected} €, counted {counted} €, difference {difference} €").format(
                expected=format_amount(shift.expected_cash_cents or 0),
                counted=format_amount(shift.counted_cash_cents or 0),
                difference=format_amount(shift.difference_cents or 0),
            ),
            timeout=15,
        )
        if self.take_z:
            assert self.ctx.operator is not None
            # The Z's own service closes the day (and, at a counter with the RT, its fiscal closure
            # runs inside it). Should it fail, the shift stays closed and the day screen offers it again.
            take_z(self, done=self._z_taken, failed=self._z_failed)
            return
        self.ctx.operator = None
        self.app.switch_screen(self.nav.login())

    def _z_taken(self, report: object) -> None:
        self.app.switch_screen(self.nav.day())
        show_z(self, report)

    def _z_failed(self, exc: OrtoError) -> None:
        self.notify(str(exc), severity="error", timeout=10)
        self.app.switch_screen(self.nav.day())

    def action_back(self) -> None:
        # closing: back to the sale; opening: nothing is forced, back to the day's state
        self.app.switch_screen(self.nav.sale() if self.closing else self.nav.day())
