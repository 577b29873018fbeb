"""orto import suppliers / orto export suppliers / orto suppliers."""

from __future__ import annotations

import typer

from orto.i18n import gettext as _
from pos.cli.common import ExportFile, ImportCounts, ImportFile, PlainOption, exporting, importing, state
from pos.cli.identity import acting

app = typer.Typer()  # its top-level commands, merged into the root
import_app = typer.Typer()  # its `orto import` commands
export_app = typer.Typer()  # its `orto export` commands


@import_app.command("suppliers")
def import_suppliers_command(file: ImportFile) -> None:
    """Import suppliers and their distances to each site: all rows or none."""
    from suppliers.supplier_io import import_suppliers

    def load() -> ImportCounts:
        db = state.database()
        return import_suppliers(db, file, actor=acting(db))

    importing(load)


@export_app.command("suppliers")
def export_suppliers_command(file: ExportFile, plain: PlainOption = False) -> None:
    """Export suppliers with their distances to each site."""
    from suppliers.supplier_io import export_suppliers

    db = state.database()
    exporting(
        lambda: export_suppliers(db, file, plain=plain, language=state.settings.language),
        file,
        _("{count} suppliers written to {path}"),
    )


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
