"""orto init, orto demo, orto info."""

from __future__ import annotations

from typing import Annotated

import typer

from orto.db import Database
from orto.errors import NotFound
from orto.i18n import gettext as _
from pos.cli.common import open_till, state

app = typer.Typer()  # its top-level commands, merged into the root


@app.command("init")
def init(
    manager: Annotated[
        str | None,
        typer.Option(
            "--manager",
            help="Also create the first manager, on a database without users (the PIN from ORTO_PIN or asked)",
        ),
    ] = None,
) -> None:
    """Create or upgrade the database schema (backs an SQLite file up first). Safe to repeat."""
    from orto.schema import upgrade

    db = state.database(check_schema=False)
    changed, backup = upgrade(db)
    from orto.sites import ensure_standard_sites

    # the sites exist from the start, so that `orto import suppliers` can name their distances
    # (km_PAL, km_CAP, km_MON) before the first run of the till; the wizard finds them in place
    with db.write() as session:
        ensure_standard_sites(session)
    if backup:
        typer.echo(_("Backup written to {path}").format(path=backup))
    if changed:
        typer.echo(_("Database {url} is ready.").format(url=db.display_url))
    else:
        typer.echo(_("Database {url} was already up to date.").format(url=db.display_url))
    if manager is not None:
        _first_manager(db, manager)


def _first_manager(db: Database, name: str) -> None:
    """The first manager from the command line, so the imports that follow know who is acting.

    Only on a database without users, like the till's first-run wizard; run again with the same
    name (the README's steps repeated) it says so and succeeds, with another name it refuses.
    """
    import os
    import sys

    from pos.cli.identity import PIN_VARIABLE, USER_VARIABLE
    from pos.selling.users import create_first_manager, user_id_named

    try:
        user_id_named(db, name)
    except NotFound:
        pass
    else:
        typer.echo(_("{name} is a user already.").format(name=name.strip()))
        return
    asked = _("{name}'s PIN (4-8 digits)").format(name=name.strip())
    # unseen and twice at a terminal; a script pipes it in or sets ORTO_PIN (never an option: ps shows those)
    at_terminal = sys.stdin.isatty()
    pin = os.environ.get(PIN_VARIABLE) or str(
        typer.prompt(asked, hide_input=at_terminal, confirmation_prompt=at_terminal)
    )
    created = create_first_manager(db, name, pin)
    typer.echo(
        _("Manager {name} created. The commands that write ask who is acting: {user}={name} and the PIN.").format(
            name=created.name, user=USER_VARIABLE
        )
    )


@app.command("info")
def info() -> None:
    """Where Orto reads its configuration and keeps its data."""
    from orto.config import data_dir, exposed_password

    settings = state.settings
    warning = exposed_password(settings)
    if warning:
        typer.echo(warning, err=True)
    typer.echo(_("Configuration: {path}").format(path=settings.source or _("none (defaults)")))
    typer.echo(_("Database: {url}").format(url=_masked(settings.database_url)))
    typer.echo(_("Data folder: {path}").format(path=data_dir()))
    typer.echo(_("Language: {lang}").format(lang=settings.language))


def _masked(url: str) -> str:
    from orto.db import mask

    return mask(url)


@app.command("demo")
def demo(
    no_tui: Annotated[bool, typer.Option("--no-tui", help="Only build the demo database and say where.")] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Throw the demo database away and build it again.")
    ] = False,
    counter: Annotated[
        str,
        typer.Option("--counter", help="The counter to open: PAL-1 (emporio), CAP-1 (cucina, catering), MON-1 (bar)."),
    ] = "PAL-1",
    fiscal_sim: Annotated[
        bool,
        typer.Option("--fiscal-sim", help="Issue the counter's documents on a simulated RT (not a fiscal device)."),
    ] = False,
) -> None:
    """Open the till on a demo shop (built the first time, kept apart from the real database)."""
    from pos.demo import prepare_demo

    db, report = prepare_demo(state, rebuild=rebuild, counter=counter)
    for line in report:
        typer.echo(line)
    if fiscal_sim:
        from pos.demo import with_fiscal_simulator

        state._settings, port = with_fiscal_simulator(state.settings, counter.upper())
        typer.echo(
            _(
                "SIMULATED RT on 127.0.0.1:{port}: a simulation, NOT a fiscal device; nothing issued has fiscal value."
            ).format(port=port)
        )
    if not no_tui:
        open_till(database=db, demo=True, counter=counter.upper())
