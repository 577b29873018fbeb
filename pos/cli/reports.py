"""``orto report NAME``: manager reports as PDF, CSV (Italian Excel or plain) or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.common import state

app = typer.Typer()  # its top-level commands, merged into the root


@app.command("report")
def report_command(
    name: Annotated[str, typer.Argument(help="stock, waste, sales, z, impact, haccp or trace")],
    site: Annotated[str | None, typer.Option("--site", help="Site code (PAL, CAP, MON); all sites if left out")] = None,
    first: Annotated[
        str | None, typer.Option("--from", help="First day, 25/11/2026 or 2026-11-25 (default: 30 days ago)")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day, 25/11/2026 or 2026-11-25 (default: today)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="pdf, csv or xlsx (default: from --out, else pdf)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: NAME-SITE-FROM-TO.FORMAT here)")
    ] = None,
    plain: Annotated[bool, typer.Option("--plain", help="CSV with commas and decimal points")] = False,
    lot: Annotated[str | None, typer.Option("--lot", help="The lot code, for the trace report")] = None,
) -> None:
    """Write a report over a site and a period of days (Milan time)."""
    from pos.reports import FORMATS, file_name, make_report, write_report
    from pos.reports.filters import parse_day

    start = parse_day(first, "--from") if first else None
    end = parse_day(last, "--to") if last else None
    chosen = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "pdf")).lower()
    if chosen not in FORMATS:
        from orto.errors import InvalidInput

        raise InvalidInput(_("no format {fmt!r} (use pdf, csv or xlsx)").format(fmt=chosen))
    from orto.km0 import Km0Rule
    from pos.cli.identity import acting

    db = state.database()
    report = make_report(
        db,
        name.strip().lower(),
        actor=acting(db),
        site=site,
        first=start,
        last=end,
        lot=lot,
        km0_radius_km=state.settings.km0_radius_km,
        km0_lab_min_share_pct=Km0Rule.of(state.settings).lab_min_share_pct,
    )
    if out is None:
        out = Path(file_name(report, chosen, site=site, lot=lot))
    company = state.settings.company.get("name") if state.settings.company else None
    write_report(report, out, chosen, plain=plain, company_name=str(company) if company else None)
    if report.empty:
        typer.echo(_("No data for this period: {path} says so.").format(path=out))
    else:
        typer.echo(_("Written: {path}").format(path=out))
