"""orto till: open the till for the counter in orto.toml (a first-run wizard without one).

Plain ``orto`` opens it without going through typer: see ``pos.cli.launch``.
"""

from __future__ import annotations

from orto.db import Database
from pos.cli.app import app, state
from pos.cli.launch import open_till as _open


def open_till(database: Database | None = None, demo: bool = False, counter: str | None = None) -> None:
    _open(database or state.database(check_schema=False), state.settings, demo=demo, demo_counter=counter)


@app.command("till")
def till() -> None:
    """Open the till (what plain 'orto' does)."""
    open_till()
