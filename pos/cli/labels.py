"""orto labels sheet: a lot's labels on A4 sheets of adhesive labels, for the office printer.

On the label printer the lab's labels are queued when a batch is finished; ``orto printer
reprint JOB`` prints them again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.common import check_output, state

labels_app = typer.Typer(help="Lot labels (Reg. EU 1169/2011) on A4 sheets.", no_args_is_help=True)


@labels_app.command("sheet")
def sheet_command(
    lot: Annotated[str, typer.Argument(help="The lot code, e.g. CAP-261125-001")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF")],
    copies: Annotated[int, typer.Option("--copies", help="How many labels")] = 1,
    skip: Annotated[int, typer.Option("--skip", help="Labels already used on the first sheet")] = 0,
) -> None:
    """Write COPIES labels of a lot on A4 label sheets ([labels.sheet] in orto.toml sets the grid)."""
    from receipts.label_sheet import lot_sheet

    check_output(out)
    pages = lot_sheet(state.database(), state.settings, lot, out, copies=copies, skip=skip)
    typer.echo(_("written {path} ({pages} pages)").format(path=out, pages=pages))
