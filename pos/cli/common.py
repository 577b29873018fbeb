"""What every command module shares: the run's state (database, settings), failing with one
line, opening the till, and the shape of an import and of an export command.

The command modules import this (and ``identity``, ``launch``), never each other nor ``app``:
``app`` is the root that adds their ``typer.Typer()`` objects (see the import-linter contract
"pos.cli command modules are independent" in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

import typer

from orto.config import Settings, load_settings
from orto.db import Database
from orto.i18n import gettext as _
from pos.cli.launch import EXIT_INPUT

__all__ = [
    "EXIT_INPUT",
    "CliState",
    "ExportFile",
    "ImportCounts",
    "ImportFile",
    "PlainOption",
    "exporting",
    "fail",
    "importing",
    "open_till",
    "state",
]


@dataclass
class CliState:
    db_url: str | None = None
    language: str | None = None
    _settings: Settings | None = None
    _db: Database | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(database_url=self.db_url, language=self.language)
        return self._settings

    def database(self, *, check_schema: bool = True) -> Database:
        """The configured database, reachable and (unless told otherwise) at the current schema."""
        if self._db is None:
            db = Database(self.settings.database_url)
            db.ping()
            if check_schema:
                from orto.schema import ensure_current

                ensure_current(db)
            self._db = db
        return self._db


state = CliState()


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    typer.echo(f"orto: {message}", err=True)
    return typer.Exit(code)


def check_output(out: Path) -> None:
    """Refuse, in one line and before any work, a PDF destination that cannot be a new file."""
    if out.is_dir():
        raise fail(_("cannot write {path}: it is a folder, give a file name").format(path=out))
    if not out.parent.is_dir():
        raise fail(_("cannot write {path}: the folder does not exist").format(path=out))


def open_till(database: Database | None = None, demo: bool = False, counter: str | None = None) -> None:
    """The till for the counter in orto.toml (plain ``orto``, ``orto till``, ``orto demo``)."""
    from pos.cli.launch import open_till as _open

    _open(database or state.database(check_schema=False), state.settings, demo=demo, demo_counter=counter)


# ---------------------------------------------------------------- import and export commands

ImportFile = Annotated[Path, typer.Argument(help="CSV (Italian Excel or plain) or XLSX file")]
ExportFile = Annotated[Path, typer.Argument(help="Output file: .csv or .xlsx")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Comma-separated CSV with decimal points")]


class ImportCounts(Protocol):
    @property
    def created(self) -> int: ...
    @property
    def updated(self) -> int: ...
    @property
    def unchanged(self) -> int: ...


_Counts = TypeVar("_Counts", bound=ImportCounts)


def importing(load: Callable[[], _Counts]) -> _Counts:
    """Run an import (all rows or none) and say what it did; a refused file is every row's error
    on stderr and exit 1, nothing written."""
    from inventory.catalog_io import ImportRejected

    try:
        result = load()
    except ImportRejected as rejected:
        typer.echo(f"orto: {rejected}", err=True)
        for error in rejected.errors:
            typer.echo(f"  {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(
        _("{created} created, {updated} updated, {unchanged} unchanged").format(
            created=result.created, updated=result.updated, unchanged=result.unchanged
        )
    )
    return result


def exporting(write: Callable[[], int], file: Path, written: str) -> None:
    """Run an export and say how many rows went where (``written``: a translated text with
    {count} and {path}); a file that cannot be written is one line and exit 1."""
    try:
        count = write()
    except OSError as exc:
        typer.echo(f"orto: {file}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(written.format(count=count, path=file))
