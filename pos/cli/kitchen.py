"""orto trace / orto recall / orto donation: the commands an inspector's visit or a supplier's
phone call needs at once, without opening the till."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.common import EXIT_INPUT, check_output, state
from pos.cli.identity import acting

app = typer.Typer()  # its top-level commands, merged into the root

recall_app = typer.Typer(help="Recall a lot at every site, or lift a recall.", no_args_is_help=True)


@app.command("trace")
def trace_command(lot: Annotated[str, typer.Argument(help="Our lot code, e.g. CAP-261125-001")]) -> None:
    """One step back to the farm and one step forward to every sale, for a lot."""
    from inventory.trace import trace_lines, trace_lot

    with state.database().read() as session:
        trace = trace_lot(session, lot)
    for line in trace_lines(trace):
        typer.echo(line)


@recall_app.command("open")
def recall_open_command(
    lot: Annotated[str, typer.Argument(help="The lot to recall")],
    reason: Annotated[str, typer.Option("--reason", help="Shown at every till that tries to sell it")],
    only_this: Annotated[
        bool, typer.Option("--only-this", help="Do not recall the lab's products made from this lot")
    ] = False,
) -> None:
    """Block a lot (and, unless told otherwise, what the lab made from it) from sale everywhere."""
    from inventory.recalls import open_recall

    db = state.database()
    result = open_recall(db, lot, reason=reason, actor=acting(db), include_products=not only_this)
    for code in result.recalled:
        typer.echo(_("recalled: {lot}").format(lot=code))
    for code in result.already:
        typer.echo(_("already recalled: {lot}").format(lot=code))


@recall_app.command("lift")
def recall_lift_command(
    lot: Annotated[str, typer.Argument(help="The lot whose recall ends")],
    note: Annotated[str, typer.Option("--note", help="Why it can be sold again")] = "",
    with_derived: Annotated[
        bool, typer.Option("--with-derived", help="Lift the recall of the lab's lots made from it too")
    ] = False,
    keep_derived: Annotated[
        bool, typer.Option("--keep-derived", help="Keep the lab's lots made from it recalled (needs --reason)")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the lots made from it stay recalled")] = None,
) -> None:
    """End the recall of one lot; the lab's lots made from it are lifted too or kept, with a reason."""
    from inventory.recalls import lift_recall
    from orto.errors import InvalidInput

    if keep_derived and not (reason or "").strip():
        raise InvalidInput(_("--keep-derived needs --reason: why the lots made from it stay recalled"))
    if reason and not keep_derived:
        raise InvalidInput(_("--reason goes with --keep-derived"))
    db = state.database()
    result = lift_recall(
        db,
        lot,
        actor=acting(db),
        note=note,
        with_derived=with_derived,
        keep_derived_reason=reason if keep_derived else None,
    )
    for code in result.lifted:
        typer.echo(_("recall lifted: {lot}").format(lot=code))
    for code in result.kept:
        typer.echo(_("still recalled: {lot}").format(lot=code))


@recall_app.command("notice")
def recall_notice_command(
    lot: Annotated[str, typer.Argument(help="The recalled lot")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF")],
) -> None:
    """The recall notice (A4 PDF): the lot, what was made from it, sales per site and day, customers."""
    from inventory.recall_notice import recall_notice

    check_output(out)
    recall_notice(state.database(), state.settings, lot, out)
    typer.echo(_("written {path}").format(path=out))


@app.command("donation")
def donation_document_command(
    number: Annotated[str, typer.Argument(help="The donation's number, e.g. DON-PAL-2026-0001")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF")],
) -> None:
    """Write (again) the transfer document of a donation as a PDF."""
    from sqlalchemy import select

    from inventory.donations import donation_document
    from orto.models import Donation

    db = state.database()
    with db.read() as session:
        donation_id = session.scalar(select(Donation.id).where(Donation.number == number.strip()))
    if donation_id is None:
        typer.echo(_("orto: no donation {number}").format(number=number), err=True)
        raise typer.Exit(EXIT_INPUT)
    check_output(out)
    donation_document(db, state.settings, donation_id, out)
    typer.echo(_("written {path}").format(path=out))


@app.command("count-sheet")
def count_sheet_command(
    number: Annotated[int, typer.Argument(help="The stock count's number (opened in the till)")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF")],
) -> None:
    """Print the sheet of an open stock count (blind: the expected quantities are not on it)."""
    from inventory.counts import count_sheet_pdf

    check_output(out)
    count_sheet_pdf(state.database(), number, out)
    typer.echo(_("written {path}").format(path=out))
