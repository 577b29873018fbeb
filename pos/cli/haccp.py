"""orto haccp appliances / orto haccp reading: the cold chain from the command line (a probe's
script, or the kitchen's terminal), the same service as the kitchen screen."""

from __future__ import annotations

from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.common import state

haccp_app = typer.Typer(help="The cold chain: appliances and their temperature readings.", no_args_is_help=True)


@haccp_app.command("appliances")
def appliances_command(
    site: Annotated[str | None, typer.Option("--site", help="Only this site (PAL, CAP, MON)")] = None,
) -> None:
    """The fridges, cold rooms and freezers with their limits and last reading."""
    from inventory.cold_chain import limits_text, list_appliances
    from orto.localtime import ROME
    from orto.money import format_tenths

    with state.database().read() as session:
        appliances = list_appliances(session, site)
    for a in appliances:
        last = _("never read")
        if a.last_value_dc is not None and a.last_at is not None:
            when = a.last_at.astimezone(ROME).strftime("%d/%m %H:%M")
            last = format_tenths(a.last_value_dc) + f" °C, {when}"
        typer.echo(f"{a.code:<10} {a.site_code:<4} {a.name:<24} {limits_text(a.min_dc, a.max_dc):<16} {last}")


@haccp_app.command("appliance")
def appliance_command(
    code: Annotated[str, typer.Argument(help="The appliance's code, e.g. CAP-CELLA2")],
    site: Annotated[str, typer.Option("--site", help="Its site (PAL, CAP, MON)")],
    name: Annotated[str, typer.Option("--name", help="What the kitchen calls it")],
    kind: Annotated[str, typer.Option("--kind", help="fridge, cold_room or freezer")],
    minimum: Annotated[str | None, typer.Option("--min", help="Lowest allowed °C, e.g. 0")] = None,
    maximum: Annotated[str | None, typer.Option("--max", help="Highest allowed °C, e.g. 4 or -18")] = None,
    inactive: Annotated[bool, typer.Option("--inactive", help="Take it out of use (it is never deleted)")] = False,
) -> None:
    """Add an appliance or change its limits (managers; ORTO_USER / ORTO_PIN or asked)."""
    from inventory.cold_chain import limits_text, save_appliance
    from inventory.recipes import parse_measure
    from orto.errors import InvalidInput
    from orto.models import ApplianceKind
    from pos.cli.identity import acting

    try:
        appliance_kind = ApplianceKind(kind.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        raise InvalidInput(
            _("--kind {kind!r}: one of {kinds}").format(kind=kind, kinds=", ".join(k.value for k in ApplianceKind))
        ) from None
    low = parse_measure("temperature_dc", minimum) if minimum is not None else None
    high = parse_measure("temperature_dc", maximum) if maximum is not None else None
    db = state.database()
    save_appliance(
        db,
        code,
        actor=acting(db),
        site_code=site,
        name=name,
        kind=appliance_kind,
        min_dc=low,
        max_dc=high,
        active=not inactive,
    )
    typer.echo(_("saved: {code} {limits}").format(code=code.strip().upper(), limits=limits_text(low, high)))


@haccp_app.command("reading", context_settings={"ignore_unknown_options": True})
def reading_command(
    appliance: Annotated[str, typer.Argument(help="The appliance's code, e.g. PAL-CELLA")],
    value: Annotated[str, typer.Argument(help="The temperature in °C, e.g. 3,5 or -18")],
    user: Annotated[
        str, typer.Option("--user", help="Who took the reading (their name); the PIN from ORTO_PIN or asked")
    ],
    action: Annotated[
        str | None, typer.Option("--action", help="The corrective action taken (required outside the limits)")
    ] = None,
) -> None:
    """Record a temperature reading; outside the appliance's limits the corrective action is required."""
    from inventory.cold_chain import record_appliance_reading
    from inventory.recipes import parse_measure
    from pos.cli.identity import acting

    db = state.database()
    value_dc = parse_measure("temperature_dc", value)
    actor = acting(db, user)
    result = record_appliance_reading(db, appliance, value_dc, actor=actor, corrective_action=action)
    typer.echo(
        _("recorded: {appliance} {value} °C").format(appliance=appliance.upper(), value=value)
        + ("" if result.within_limit else " — " + _("outside the limits, corrective action recorded"))
    )
