"""orto import suppliers / orto export suppliers / orto suppliers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.app import EXIT_INPUT, app, export_app, import_app, state
from pos.cli.identity import acting


@import_app.command("suppliers")
def import_suppliers_command(
    file: Annotated[Path, typer.Argument(help="CSV (Italian Excel or plain) or XLSX file")],
) -> None:
    """Import suppliers and their distances to each site: all rows or none."""
    from inventory.catalog_io import ImportRejected
    from suppliers.supplier_io import import_suppliers

    try:
        db = state.database()
        result = import_suppliers(db, file, actor=acting(db))
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


@export_app.command("suppliers")
def export_suppliers_command(
    file: Annotated[Path, typer.Argument(help="Output file: .csv or .xlsx")],
    plain: Annotated[bool, typer.Option("--plain", help="Comma-separated CSV")] = False,
) -> None:
    """Export suppliers with their distances to each site."""
    from suppliers.supplier_io import export_suppliers

    count = export_suppliers(state.database(), file, plain=plain, language=state.settings.language)
    typer.echo(_("{count} suppliers written to {path}").format(count=count, path=file))


@app.command("suppliers")
def list_suppliers_command() -> None:
    """Suppliers, their distance to each site, and which sites they are km0 for."""
    from suppliers.farms import list_suppliers

    radius = state.settings.km0_radius_km
    typer.echo(_("km0 radius: {km} km").format(km=radius))
    for supplier in list_suppliers(state.database(), radius):
        distances = ", ".join(f"{site} {km} km" for site, km in sorted(supplier.distances.items()))
        km0 = ", ".join(supplier.km0_sites) or "-"
        typer.echo(f"{supplier.code:<6} {supplier.name:<34} {distances:<32} km0: {km0}")
