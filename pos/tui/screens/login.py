"""Who is at the till: pick a user, type the PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.enums import Role
from orto.i18n import gettext as _
from pos.tui.keys import KeyBar
from pos.tui.till_screen import TillScreen

if TYPE_CHECKING:
    from orto.driver import UserChoice
    from pos.selling import Operator, ShiftView


class LoginScreen(TillScreen):
    """The PIN field keeps the focus, so the arrows pick the user and the digits always reach the PIN."""

    BINDINGS = [
        Binding("up", "pick(-1)", show=False, priority=True),
        Binding("down", "pick(1)", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.users: list[Operator] | list[UserChoice] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="login"):
            yield Label(_("Who is at the till?"), classes="dialog-title")
            yield OptionList(id="users")
            yield Input(placeholder=_("PIN"), password=True, id="pin")
            yield Static(_("↑↓ choose your name, type your PIN, then Enter"), id="login-hint", markup=False)
            yield Static("", id="demo-pins", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.ctx.demo_pins:
            # a table: names, roles and PINs in columns, as the demo prints them
            names = max(len(n) for n, _r, _p in self.ctx.demo_pins)
            roles = max(len(_(r)) for _n, r, _p in self.ctx.demo_pins)
            lines = [_("Demo users and PINs:")] + [
                f"  {n:<{names}}  {_(r):<{roles}}  PIN {p}" for n, r, p in self.ctx.demo_pins
            ]
            self.query_one("#demo-pins", Static).update("\n".join(lines))
        if self.host.users is not None:  # read before the database opened: shown at once, this once
            users, self.host.users = self.host.users, None  # after a lock the list is read afresh
            self._show_users(users)
        else:
            self.call(self._list_users, done=self._show_users)

    # The selling code is imported inside the workers: it loads behind this screen (``OrtoTill.opening``).
    def _list_users(self) -> list[Operator]:
        from pos import selling

        return selling.list_users(self.ctx.db)

    def _login(self, user_id: int, pin: str) -> Operator:
        from pos import selling

        return selling.login(self.ctx.db, user_id, pin, counter_id=self.ctx.counter.id)

    def _current_shift(self) -> ShiftView | None:
        from pos import selling

        return selling.current_shift(self.ctx.db, self.ctx.counter.id)

    def _show_users(self, users: list[Operator] | list[UserChoice]) -> None:
        self.users = users
        options = self.query_one("#users", OptionList)
        options.clear_options()
        options.add_options([Option(f"{u.name}  ({_(u.role.value)})", id=str(u.id)) for u in users])
        if users:
            options.highlighted = 0
        self.query_one("#pin", Input).focus()

    def action_pick(self, step: int) -> None:
        options = self.query_one("#users", OptionList)
        if self.users:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.users) - 1, current + step))

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self.query_one("#pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#users", OptionList)
        if options.highlighted is None or not self.users or not event.value:
            return  # an Enter with no PIN is not a wrong PIN: it must not count toward the lockout
        user = self.users[options.highlighted]
        pin = event.value
        event.input.value = ""
        self.call(self._login, user.id, pin, done=self._logged_in, approval=False)

    def _logged_in(self, operator: Operator) -> None:
        self.ctx.operator = operator
        self.call(self._current_shift, done=self._shift_checked)

    def _shift_checked(self, shift: ShiftView | None) -> None:
        operator = self.ctx.operator
        if shift is None and operator is not None and operator.role is Role.KITCHEN:
            # the kitchen may not open a shift: at a terminal with none open it gets its own screens
            self.app.switch_screen(self.nav.kitchen_home())
        elif shift is None:  # nothing forced: the day's state, and a new shift if asked for
            self.app.switch_screen(self.nav.day())
        else:
            self.app.switch_screen(self.nav.sale())
