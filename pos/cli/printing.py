"""orto printer test | status | queue | reprint | run."""

from __future__ import annotations

from typing import Annotated

import typer

from orto.config import PrinterConfig
from orto.i18n import gettext as _
from pos.cli.common import EXIT_INPUT, state
from pos.cli.identity import acting

printer_app = typer.Typer(help="Printers: test pages, state, the queue.", no_args_is_help=True)


def _config(name: str) -> PrinterConfig:
    config = state.settings.printers.get(name)
    if config is None:
        known = ", ".join(sorted(state.settings.printers)) or _("none")
        typer.echo(
            _("orto: no printer {name} in orto.toml (configured: {known})").format(name=name, known=known), err=True
        )
        raise typer.Exit(EXIT_INPUT)
    return config


@printer_app.command("test")
def test(name: Annotated[str, typer.Argument(help="A printer name from [printers] in orto.toml")]) -> None:
    """Print a test page (accents, €, a barcode, a QR code) and report the printer's state."""
    from receipts.documents import test_page
    from receipts.escpos_render import PrinterProfile, render
    from receipts.transports import PrinterFault, transport_for

    config = _config(name)
    transport = transport_for(config)
    typer.echo(_("State before printing: {state}").format(state=_(transport.status())))
    profile = PrinterProfile.from_options(config.options)
    try:
        transport.send(render(test_page(name, profile.width), profile))
    except PrinterFault as fault:
        typer.echo(f"orto: {fault}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(_("Test page sent to {name} ({kind}).").format(name=name, kind=config.kind))


@printer_app.command("status")
def status() -> None:
    """The state of every configured printer and its queue."""
    from receipts.queue import PrintQueue
    from receipts.transports import transport_for

    queue = PrintQueue(state.database(), state.settings)
    for name, config in sorted(state.settings.printers.items()):
        pending = queue.state(name).pending
        typer.echo(
            _("{name} ({kind}): {state}, {pending} job(s) waiting").format(
                name=name, kind=config.kind, state=_(transport_for(config).status()), pending=pending
            )
        )


@printer_app.command("queue")
def queue_list(
    every: Annotated[bool, typer.Option("--all", help="Also the jobs already printed (last 50)")] = False,
) -> None:
    """The jobs waiting (or failed), oldest first, with their last error."""
    from sqlalchemy import select

    from orto.models import PrintJob, PrintStatus

    with state.database().read() as session:
        stmt = select(PrintJob).order_by(PrintJob.id)
        if not every:
            stmt = stmt.where(PrintJob.status != PrintStatus.DONE)
        jobs = list(session.scalars(stmt))[-50:]
    if not jobs:
        typer.echo(_("No jobs waiting."))
    for job in jobs:
        typer.echo(
            f"{job.id:>6}  {job.printer:<12} {job.doc_type:<10} {_(job.status.value):<10} "
            f"{job.attempts:>3}  {job.last_error or ''}"
        )


@printer_app.command("reprint")
def reprint_command(
    job: Annotated[int, typer.Argument(help="The job number (see orto printer queue --all)")],
    to: Annotated[str | None, typer.Option("--to", help="Another printer")] = None,
) -> None:
    """Queue a copy of any earlier slip, ticket or label."""
    from receipts.queue import reprint

    if to is not None:
        _config(to)
    db = state.database()
    new = reprint(db, job, actor=acting(db), printer=to)
    typer.echo(_("Queued as job {id}.").format(id=new))


@printer_app.command("run")
def run() -> None:
    """Send queued jobs until Ctrl-C (the till does this itself while it is open)."""
    import time

    from receipts.queue import PrintQueue

    queue = PrintQueue(state.database(), state.settings)
    queue.start()
    typer.echo(_("Printing queued jobs; Ctrl-C to stop."))
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        queue.stop()
