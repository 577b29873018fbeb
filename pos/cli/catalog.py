"""orto import products / orto export products."""

from __future__ import annotations

import typer

from orto.i18n import gettext as _
from pos.cli.common import ExportFile, ImportFile, PlainOption, exporting, importing, state
from pos.cli.identity import acting

import_app = typer.Typer()  # its `orto import` commands
export_app = typer.Typer()  # its `orto export` commands


@import_app.command("products")
def import_products_command(file: ImportFile) -> None:
    """Import products: all rows or none; products matched by code are updated."""
    from inventory.catalog_io import import_products

    db = state.database()
    result = importing(lambda: import_products(db, file, actor=acting(db)))
    if result.categories_created:
        typer.echo(_("New categories: {names}").format(names=", ".join(result.categories_created)))


@export_app.command("products")
def export_products_command(file: ExportFile, plain: PlainOption = False) -> None:
    """Export the product catalog (CSV for Italian Excel by default, or XLSX)."""
    from inventory.catalog_io import export_products

    db = state.database()
    exporting(
        lambda: export_products(db, file, plain=plain, language=state.settings.language),
        file,
        _("{count} products written to {path}"),
    )
