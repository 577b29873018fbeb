"""orto users list | add | role | deactivate | activate | reset-pin | unlock: a manager's commands."""

from __future__ import annotations

from typing import Annotated

import typer

from orto.i18n import gettext as _
from pos.cli.common import state
from pos.cli.identity import acting

users_app = typer.Typer(help="People: add users, change roles, deactivate, reset PINs, unlock.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="The user's name")]


def _new_pin(pin: str | None) -> str:
    if pin:
        return pin
    return str(typer.prompt(_("New PIN (4-8 digits)"), hide_input=True, confirmation_prompt=True))


@users_app.command("list")
def users_list() -> None:
    """Everyone, active or not, with who is locked."""
    from pos.selling.users import people

    db = state.database()
    for person in people(db, acting(db)):
        flags = [] if person.active else [_("deactivated")]
        if person.locked:
            flags.append(_("locked"))
        typer.echo(f"{person.name}\t{_(person.role.value)}\t{', '.join(flags)}".rstrip())


@users_app.command("add")
def users_add(
    name: NameArg,
    role: Annotated[str, typer.Option("--role", help="cashier, kitchen or manager")] = "cashier",
    pin: Annotated[str | None, typer.Option("--pin", help="Asked hidden when not given")] = None,
) -> None:
    """Add a user with their first PIN."""
    from pos.selling.users import add_user

    db = state.database()
    actor = acting(db)
    person = add_user(db, actor, name, role, _new_pin(pin))
    typer.echo(_("added: {name} ({role})").format(name=person.name, role=_(person.role.value)))


@users_app.command("role")
def users_role(name: NameArg, role: Annotated[str, typer.Argument(help="cashier, kitchen or manager")]) -> None:
    """Change a user's role."""
    from pos.selling.users import set_role, user_id_named

    db = state.database()
    person = set_role(db, acting(db), user_id_named(db, name), role)
    typer.echo(_("{name} is now {role}").format(name=person.name, role=_(person.role.value)))


@users_app.command("deactivate")
def users_deactivate(name: NameArg) -> None:
    """Stop a user from logging in (nothing of theirs is deleted)."""
    from pos.selling.users import set_active, user_id_named

    db = state.database()
    person = set_active(db, acting(db), user_id_named(db, name), False)
    typer.echo(_("deactivated: {name}").format(name=person.name))


@users_app.command("activate")
def users_activate(name: NameArg) -> None:
    """Let a deactivated user log in again."""
    from pos.selling.users import set_active, user_id_named

    db = state.database()
    person = set_active(db, acting(db), user_id_named(db, name), True)
    typer.echo(_("activated: {name}").format(name=person.name))


@users_app.command("reset-pin")
def users_reset_pin(
    name: NameArg, pin: Annotated[str | None, typer.Option("--pin", help="Asked hidden when not given")] = None
) -> None:
    """Give a user a new PIN (it also unlocks them)."""
    from pos.selling.users import reset_pin, user_id_named

    db = state.database()
    actor = acting(db)
    person = reset_pin(db, actor, user_id_named(db, name), _new_pin(pin))
    typer.echo(_("new PIN set for {name}").format(name=person.name))


@users_app.command("unlock")
def users_unlock(name: NameArg) -> None:
    """Unlock a user locked after wrong PINs."""
    from pos.selling.users import unlock, user_id_named

    db = state.database()
    person = unlock(db, acting(db), user_id_named(db, name))
    typer.echo(_("unlocked: {name}").format(name=person.name))
