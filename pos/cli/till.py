"""orto till: open the till for the counter in orto.toml (a first-run wizard without one).

Plain ``orto`` opens it without going through typer: see ``pos.cli.launch``.
"""

from __future__ import annotations

import typer

from pos.cli.common import open_till

app = typer.Typer()  # its top-level commands, merged into the root


@app.command("till")
def till() -> None:
    """Open the till (what plain 'orto' does)."""
    open_till()
