"""First run: choose the site and counter of this terminal, create the first manager, write orto.toml."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from sqlalchemy import func, select
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.models import Counter, User
from orto.sites import ensure_standard_sites
from pos import selling
from pos.tui.context import CounterInfo
from pos.tui.keys import KeyBar
from pos.tui.till_screen import TillScreen


def counters_for_wizard(db: Database) -> tuple[list[CounterInfo], bool]:
    """The counters (creating the three standard sites on an empty database) and whether users exist."""
    with db.write() as session:
        ensure_standard_sites(session)
        rows = list(session.scalars(select(Counter).order_by(Counter.code)))
        infos = [CounterInfo(c.id, c.code, c.name, c.kind, c.site_id, c.site.code, c.site.name) for c in rows]
        has_users = bool(session.scalar(select(func.count()).select_from(User)))
        return infos, has_users


def config_path() -> Path:
    import os

    explicit = os.environ.get("ORTO_CONFIG")
    return Path(explicit) if explicit else Path(platformdirs.user_config_dir("orto", appauthor=False)) / "orto.toml"


def write_config(path: Path, counter: CounterInfo, language: str) -> None:
    """Add the [till] table to orto.toml (an existing file keeps everything else)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if "[till]" in existing:
        raise InvalidInput(_("{path} already has a [till] table: edit it there").format(path=path))
    block = f'[till]\nsite = "{counter.site_code}"\ncounter = "{counter.code}"\nlanguage = "{language}"\n'
    path.write_text((existing.rstrip() + "\n\n" if existing.strip() else "") + block, encoding="utf-8")


class WizardScreen(TillScreen):
    def __init__(self) -> None:
        super().__init__()
        self.counters: list[CounterInfo] = []
        self.has_users = False
        self.chosen: CounterInfo | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="login"):
            yield Label(_("Welcome to Orto. Which counter is this terminal?"), classes="dialog-title")
            yield OptionList(id="counters")
            yield Label(_("First manager (name and a PIN of 4-8 digits):"), id="manager-label")
            yield Input(placeholder=_("name"), id="name")
            yield Input(placeholder=_("PIN"), password=True, id="pin")
            yield Static(
                _("↑↓ and Enter choose the counter; then the name, Enter, the PIN, Enter"),
                id="login-hint",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.call(counters_for_wizard, self.host.db, done=self._show)

    def _show(self, result: tuple[list[CounterInfo], bool]) -> None:
        self.counters, self.has_users = result
        options = self.query_one("#counters", OptionList)
        options.add_options([Option(f"{c.site_name} - {c.name} ({c.code})", id=c.code) for c in self.counters])
        options.highlighted = 0
        options.focus()
        for widget in ("#manager-label", "#name", "#pin"):
            self.query_one(widget).display = not self.has_users

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.chosen = self.counters[event.option_index]
        if self.has_users:
            self._finish()
        else:
            self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#pin", Input).focus()
            return
        name = self.query_one("#name", Input).value.strip()
        if not name or self.chosen is None:
            self.notify(_("choose the counter and type a name"), severity="error")
            return
        self.call(selling.create_first_manager, self.host.db, name, event.value, done=lambda _u: self._finish())

    def _finish(self) -> None:
        assert self.chosen is not None
        try:
            write_config(config_path(), self.chosen, self.host.settings.language)
        except (InvalidInput, OSError) as exc:
            self.notify(str(exc), severity="warning", timeout=10)
        else:
            self.notify(_("Saved in {path}").format(path=config_path()))
        self.host.begin(self.chosen)
