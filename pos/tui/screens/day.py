"""A login with no shift open at the counter: the day's state, and what may be done about it.

A closed day (its Z taken) says so and offers no shift: a sale after the Z would be in no Z.
A day not closed yet offers to open a shift (cashiers and managers) and, to managers, the Z of
a day whose shifts are all closed. Nothing is forced: Esc goes back to the login.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Label, Static
from textual.widgets.option_list import Option

from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.policy import Action, may
from pos import selling
from pos.tui.keys import KeyBar
from pos.tui.numbered import NumberedList
from pos.tui.till_screen import TillScreen
from pos.tui.z_report import show_z, take_z


class DayScreen(TillScreen):
    BINDINGS = [Binding("escape", "leave", _("Log out")), Binding("ctrl+l", "leave", _("Lock"), show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.state: selling.DayState | None = None
        self.choices: list[tuple[str, str, Callable[[], None]]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="login"):
            yield Label("", id="day-title", classes="dialog-title")
            yield Static("", id="day-info", markup=False)
            yield NumberedList(id="day-actions")
            yield Static(_("Type a number or Enter · Esc logs out"), id="login-hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.call(selling.day_state, self.ctx.db, self.ctx.counter.id, done=self._show)

    def on_screen_resume(self) -> None:
        if self.state is not None:  # back from the Z's preview: read the day again
            self.call(selling.day_state, self.ctx.db, self.ctx.counter.id, done=self._show)

    def _show(self, state: selling.DayState) -> None:
        if state.shift is not None:  # opened meanwhile at another terminal of this counter
            self.app.switch_screen(self.nav.sale())
            return
        self.state = state
        assert self.ctx.operator is not None
        role = self.ctx.operator.role
        when = format_date(state.business_date)
        if state.closed:
            title = _("Day closed")
            info = _("{counter}: the day {date} is closed (Z no. {number}). A new shift opens tomorrow.").format(
                counter=self.ctx.counter.name, date=when, number=state.z_number
            )
        else:
            title = _("No shift open")
            info = _("{counter}: no shift is open on {date}.").format(counter=self.ctx.counter.name, date=when)
        self.choices = []
        if not state.closed and may(role, Action.SHIFT):
            self.choices.append(("open", _("Open a shift (count the float)"), self._open_shift))
        if not state.closed and may(role, Action.Z_REPORT):
            self.choices.append(("z", _("Z report: close the day"), self._take_z))
        if may(role, Action.STOCK):
            self.choices.append(("kitchen", _("Kitchen and lab"), self._kitchen))
        self.choices.append(("leave", _("Log out"), self.action_leave))
        self.query_one("#day-title", Label).update(title)
        self.query_one("#day-info", Static).update(info)
        actions = self.query_one("#day-actions", NumberedList)
        actions.clear_options()
        actions.add_options([Option(f"{i:>2}  {text}", id=key) for i, (key, text, _a) in enumerate(self.choices, 1)])
        actions.highlighted = 0
        actions.focus()

    def on_option_list_option_selected(self, event: NumberedList.OptionSelected) -> None:
        self.choices[event.option_index][2]()

    def _open_shift(self) -> None:
        self.app.switch_screen(self.nav.shift(closing=False))

    def _take_z(self) -> None:
        take_z(self, done=lambda report: show_z(self, report))

    def _kitchen(self) -> None:
        self.app.switch_screen(self.nav.kitchen_home())

    def action_leave(self) -> None:
        self.ctx.operator = None
        self.app.switch_screen(self.nav.login())
