"""F12: the menu of everything that is not ringing a sale, filtered by role and counter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.i18n import gettext as _
from pos.tui.keys import KeyBar
from pos.tui.menu import MenuEntry
from pos.tui.numbered import NumberedList


class MenuScreen(ModalScreen[MenuEntry | None]):
    BINDINGS = [Binding("escape,f12", "close", _("Back"))]

    def __init__(self, entries: list[MenuEntry]) -> None:
        """``entries``: those of ``pos.tui.navigation.menu_entries`` the operator sees here (``entries_for``)."""
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Menu"), classes="dialog-title")
            yield NumberedList(
                *[Option(f"{i:>2}  {_(e.label)}", id=e.key) for i, e in enumerate(self.entries, 1)], id="menu"
            )
            yield Static("", id="menu-more", classes="more", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#menu", NumberedList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # the entry runs once the menu is gone (see SaleScreen.action_menu), so its own prompts
        # are pushed over the sale screen, not over a menu being dismissed
        self.dismiss(self.entries[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
