"""orto import products / orto export products."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.app import EXIT_INPUT, export_app, import_app, state
from pos.cli.identity import acting


@import_app.command("products")
def import_products_command(
    file: Annotated[Path, typer.Argument(help="CSV (Italian Excel or plain) or XLSX file")],
) -> None:
    """Import products: all rows or none; products matched by code are updated."""
    from inventory.catalog_io import ImportRejected, import_products

    db = state.database()
    try:
        result = import_products(db, file, actor=acting(db))
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
    if result.categories_created:
        typer.echo(_("New categories: {names}").format(names=", ".join(result.categories_created)))


@export_app.command("products")
def export_products_command(
    file: Annotated[Path, typer.Argument(help="Output file: .csv or .xlsx")],
    plain: Annotated[bool, typer.Option("--plain", help="Comma-separated CSV with decimal points")] = False,
) -> None:
    """Export the product catalog (CSV for Italian Excel by default, or XLSX)."""
    from inventory.catalog_io import export_products

    db = state.database()
    try:
        count = export_products(db, file, plain=plain, language=state.settings.language)
    except OSError as exc:
        typer.echo(f"orto: {file}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(_("{count} products written to {path}").format(count=count, path=file))
