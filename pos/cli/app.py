"""The typer application, its global options, and how errors become one line and an exit code."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from orto.errors import InvalidInput, OrtoError
from orto.i18n import gettext as _
from pos.cli import (
    audit,
    base_commands,
    catalog,
    catering,
    fiscal,
    giftcard,
    haccp,
    kitchen,
    labels,
    printing,
    reports,
    supply,
    till,
    users,
)
from pos.cli.common import fail, open_till, state
from pos.cli.launch import EXIT_INPUT, exit_code_for, unexpected

__all__ = ["app", "fail", "hoist_global_options", "main_group", "state"]

app = typer.Typer(
    name="orto",
    help="Orto: till and stock system of Fuori e Dentro.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
        open_till()


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
    kinds: tuple[type[BaseException], ...] = ()
    try:  # click itself is not a dependency (typer vendors it); other packages may bring one
        import click
    except ImportError:
        pass
    else:
        kinds += (click.ClickException,)
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


# The root adds each area's own Typer: the top-level commands of a module are merged in (no
# name), its groups keep theirs. `orto import` and `orto export` gather the catalog's, the
# suppliers' and (under `orto catering customers`) nothing else: each module says what it imports.
import_app = typer.Typer(help="Import products or suppliers from CSV or XLSX.", no_args_is_help=True)
export_app = typer.Typer(help="Export products or suppliers to CSV or XLSX.", no_args_is_help=True)
for _module in (catalog, supply):
    import_app.add_typer(_module.import_app)
    export_app.add_typer(_module.export_app)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(printing.printer_app, name="printer")
for _module in (base_commands, kitchen, reports, supply, till):
    app.add_typer(_module.app)
app.add_typer(audit.audit_app, name="audit")
app.add_typer(catering.catering_app, name="catering")
app.add_typer(catering.invoices_app, name="invoices")
app.add_typer(fiscal.fiscal_app, name="fiscal")
app.add_typer(giftcard.giftcard_app, name="giftcard")
app.add_typer(haccp.haccp_app, name="haccp")
app.add_typer(kitchen.recall_app, name="recall")
app.add_typer(labels.labels_app, name="labels")
app.add_typer(users.users_app, name="users")
