"""orto giftcard balance | block | unblock: a card's balance and movements (read-only), and stopping a
lost or stolen card (a manager, who is asked for their PIN)."""

from __future__ import annotations

from typing import Annotated

import typer

from orto.i18n import gettext as _
from orto.money import format_money
from pos.cli.common import state
from pos.cli.identity import UserOption, acting

giftcard_app = typer.Typer(help="Gift cards: look up a card's balance, block or unblock a card.", no_args_is_help=True)


@giftcard_app.command("balance")
def balance_command(
    code: Annotated[str, typer.Argument(help="The card's code, as printed or scanned (GC 1234 5678 9012)")],
    last: Annotated[int, typer.Option("--last", min=1, max=100, help="How many movements to show")] = 10,
) -> None:
    """The card's balance, whether it is valid (until when) and its last movements; changes nothing."""
    from pos.selling.gift_cards import balance, balance_lines

    for line in balance_lines(balance(state.database(), code, last=last)):
        typer.echo(line)


def _change(code: str, reason: str, user: str | None, *, blocked: bool) -> None:
    from pos.selling.gift_cards import grouped, set_blocked

    db = state.database()
    done = set_blocked(db, acting(db, user), code, blocked=blocked, reason=reason)
    said = (
        _("Gift card {code} blocked, {amount} kept on it")
        if blocked
        else _("Gift card {code} unblocked, {amount} on it")
    )
    typer.echo(said.format(code=grouped(done.code), amount=format_money(done.balance_cents)))


@giftcard_app.command("block")
def block_command(
    code: Annotated[str, typer.Argument(help="The card's code, as printed or scanned")],
    reason: Annotated[str, typer.Option("--reason", help="Why: lost, stolen, disputed ... (kept in the audit log)")],
    user: UserOption = None,
) -> None:
    """Stop a lost or stolen card: it can no longer pay or be topped up; its balance is kept (manager)."""
    _change(code, reason, user, blocked=True)


@giftcard_app.command("unblock")
def unblock_command(
    code: Annotated[str, typer.Argument(help="The card's code, as printed or scanned")],
    reason: Annotated[str, typer.Option("--reason", help="Why: found, dispute settled ... (kept in the audit log)")],
    user: UserOption = None,
) -> None:
    """Let a blocked card pay again (manager)."""
    _change(code, reason, user, blocked=False)
