"""orto audit verify: walk the audit chain and name the first entry that does not match."""

from __future__ import annotations

import typer

from orto.i18n import gettext as _
from orto.localtime import ROME
from pos.cli.common import EXIT_INPUT, state

audit_app = typer.Typer(help="The audit log: check that no one rewrote it.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute every entry's hash from the first; exit 1 at the first that does not match."""
    from orto.audit import verify

    with state.database().read() as session:
        checked, broken = verify(session)
    if broken is None:
        typer.echo(_("{n} audit entries, chain intact").format(n=checked))
        return
    typer.echo(
        _("audit entry {id} ({time}, {action}) does not match: {why}; {n} entries before it are intact").format(
            id=broken.id,
            time=broken.at.astimezone(ROME).strftime("%Y-%m-%d %H:%M:%S"),
            action=broken.action,
            why=_(broken.why),
            n=checked,
        ),
        err=True,
    )
    raise typer.Exit(EXIT_INPUT)
