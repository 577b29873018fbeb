"""orto giftcard balance CODE: a gift card's balance, validity and last movements (read-only)."""

from __future__ import annotations

from typing import Annotated

import typer

from pos.cli.common import state

giftcard_app = typer.Typer(help="Gift cards: look up a card's balance.", no_args_is_help=True)


@giftcard_app.command("balance")
def balance_command(
    code: Annotated[str, typer.Argument(help="The card's code, as printed or scanned (GC 1234 5678 9012)")],
    last: Annotated[int, typer.Option("--last", min=1, max=100, help="How many movements to show")] = 10,
) -> None:
    """The card's balance, whether it is valid (until when) and its last movements; changes nothing."""
    from pos.selling.gift_cards import balance, balance_lines

    for line in balance_lines(balance(state.database(), code, last=last)):
        typer.echo(line)
