"""Commands of this area are registered here (filled in by its issue)."""

from __future__ import annotations

from orto.db import Database


def open_till(database: Database | None = None, demo: bool = False) -> None:
    """Open the Textual till (built in the till issue)."""
    import typer

    typer.echo("The till is not built yet; the database is ready.")
