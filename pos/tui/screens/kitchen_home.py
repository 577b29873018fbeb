"""Where a kitchen user lands at a terminal with no shift open: the kitchen's screens only."""

from __future__ import annotations

import time
from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.i18n import gettext as _
from pos.tui.keys import KeyBar
from pos.tui.menu import MenuEntry
from pos.tui.till_screen import TillScreen


class KitchenHome(TillScreen):
    """Where a kitchen user lands at a terminal with no shift open: the kitchen's screens only."""

    BINDINGS = [Binding("ctrl+l", "lock", _("Lock")), Binding("escape", "lock", _("Lock"), show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="kitchen"):
            yield Label(_("Kitchen and lab"), classes="dialog-title")
            yield OptionList(
                *[Option(f"{i:>2}  {_(e.label)}", id=e.key) for i, e in enumerate(self._entries(), 1)], id="k-home"
            )
            yield Static(_("Enter opens · Ctrl+L locks"), id="k-info", markup=False)
        yield KeyBar()

    def _entries(self) -> list[MenuEntry]:
        return [e for e in self.nav.menu_entries() if e.kitchen_home]

    def on_mount(self) -> None:
        self.query_one("#k-home", OptionList).focus()
        self._last_activity = time.monotonic()
        if self.ctx.settings.idle_lock_seconds > 0:
            self.set_interval(5, self._lock_when_idle)
        self._remind_readings()
        self.set_interval(300, self._remind_readings)

    def _remind_readings(self) -> None:
        """The cold chain's reading times ([haccp] reading_times): say which appliances wait."""
        from pos.tui.kitchen_data import site_appliances

        def remind(found: tuple[Any, set[str]]) -> None:
            due = sorted(found[1])
            if due:
                self.notify(
                    _("Temperature reading due: {appliances}").format(appliances=", ".join(due)),
                    severity="warning",
                    timeout=15,
                )

        self.call(site_appliances, self.ctx.db, self.ctx.settings, self.ctx.counter.site_code, done=remind)

    def on_key(self, _event: object) -> None:
        self._last_activity = time.monotonic()

    def on_screen_resume(self) -> None:
        self._last_activity = time.monotonic()  # back from a kitchen screen: it was in use

    def _lock_when_idle(self) -> None:
        """Like the sale screen: an unattended kitchen terminal locks itself ([till] idle_lock_seconds)."""
        if self.app.screen is self and time.monotonic() - self._last_activity >= self.ctx.settings.idle_lock_seconds:
            self.action_lock()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._entries()[event.option_index].action(cast(Any, self))

    def action_lock(self) -> None:
        self.ctx.operator = None
        self.app.switch_screen(self.nav.login())
