"""The typer application, its global options, and how errors become one line and an exit code."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from orto.config import Settings, load_settings
from orto.db import Database
from orto.errors import InvalidInput, OrtoError
from orto.i18n import gettext as _
from pos.cli.launch import EXIT_INPUT, exit_code_for, unexpected

app = typer.Typer(
    name="orto",
    help="Orto: till and stock system of Fuori e Dentro.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import products or suppliers from CSV or XLSX.", no_args_is_help=True)
export_app = typer.Typer(help="Export products or suppliers to CSV or XLSX.", no_args_is_help=True)
printer_app = typer.Typer(help="Printers: test pages, state, the queue.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(printer_app, name="printer")


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


@app.callback(invoke_without_command=True)
def _global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (sqlite:///file or postgresql+psycopg://…)")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the interface: it or en")] = None,
) -> None:
    state.db_url = db
    state.language = lang
    state._settings = None
    state._db = None
    from orto.i18n import set_language

    set_language(state.settings.language)
    if ctx.invoked_subcommand is None:
        from pos.cli.till import open_till

        open_till()


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    typer.echo(f"orto: {message}", err=True)
    return typer.Exit(code)


GLOBAL_OPTIONS = ("--db", "--lang")


def hoist_global_options(args: list[str]) -> list[str]:
    """``--db`` and ``--lang`` moved in front of the command, so ``orto demo --lang en`` works too;
    one without its value is refused.

    No command has options of those names, so wherever a person puts them they mean the same.
    """
    front: list[str] = []
    rest: list[str] = []
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest.extend([arg, *items])
            break
        name, sep, _value = arg.partition("=")
        if name in GLOBAL_OPTIONS and sep:
            front.append(arg)
        elif name in GLOBAL_OPTIONS:
            value = next(items, None)
            if value is None or value.startswith("-"):
                # said here: moved in front, it would take the command's name for its value
                raise InvalidInput(_("{option} needs a value").format(option=arg))
            front.extend([arg, value])
        else:
            rest.append(arg)
    return front + rest


def _is_click_error(exc: BaseException) -> bool:
    """A wrong command, option or argument: click's exceptions (typer ≥ 0.2x ships its own click)."""
    import click

    kinds: tuple[type[BaseException], ...] = (click.ClickException,)
    vendored = getattr(typer, "TyperException", None)
    if isinstance(vendored, type):
        kinds += (vendored,)
    return isinstance(exc, kinds) and hasattr(exc, "show")


def main_group(args: list[str] | None = None) -> int:
    """Run the app; an OrtoError becomes one line on stderr and a meaningful exit code."""
    try:
        argv = hoist_global_options(sys.argv[1:] if args is None else list(args))
        # without standalone mode click returns the code of a typer.Exit instead of raising it
        result = app(args=argv, prog_name="orto", standalone_mode=False)
        if isinstance(result, int):
            return result
    except OrtoError as exc:
        return exit_code_for(exc)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo(_("Aborted."), err=True)
        return 1
    except Exception as exc:
        if _is_click_error(exc):  # the usage line and what is wrong; nothing was done
            exc.show()  # type: ignore[attr-defined]
            return EXIT_INPUT
        return unexpected(exc)
    return 0


# Each area registers its commands on ``app`` from its own module (they import ``app`` and
# ``state`` from here, which exist by now).
from pos.cli import audit as _audit  # noqa: E402, F401
from pos.cli import base_commands as _base  # noqa: E402, F401
from pos.cli import catalog as _catalog  # noqa: E402, F401
from pos.cli import catering as _catering  # noqa: E402, F401
from pos.cli import fiscal as _fiscal  # noqa: E402, F401
from pos.cli import giftcard as _giftcard  # noqa: E402, F401
from pos.cli import haccp as _haccp  # noqa: E402, F401
from pos.cli import kitchen as _kitchen  # noqa: E402, F401
from pos.cli import labels as _labels  # noqa: E402, F401
from pos.cli import printing as _printing  # noqa: E402, F401
from pos.cli import reports as _reports  # noqa: E402, F401
from pos.cli import supply as _supply  # noqa: E402, F401
from pos.cli import till as _till  # noqa: E402, F401
from pos.cli import users as _users  # noqa: E402, F401
