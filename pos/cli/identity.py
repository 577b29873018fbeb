"""Who is acting, for the CLI commands that write: one path for every command.

The name comes from the command's ``--user`` where it has one, else ``ORTO_USER``; the PIN from
``ORTO_PIN``. What is missing is asked: a named person's PIN always (hidden at a terminal, read
from standard input when piped), the name too only at a terminal; without a terminal and
without a name the command is refused, saying what to set. The PIN is checked by the same login
as at the till (a wrong one counts toward the lockout and is audited); the Operator it returns
is what the service checks the role of.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from orto.db import Database
from orto.errors import NotAllowed
from orto.i18n import gettext as _
from orto.policy import Operator

USER_VARIABLE = "ORTO_USER"
PIN_VARIABLE = "ORTO_PIN"

UserOption = Annotated[
    str | None, typer.Option("--user", help="Who acts (their PIN from ORTO_PIN or asked); default ORTO_USER")
]


def acting(db: Database, user: str | None = None) -> Operator:
    """The person running the command, logged in by name and PIN (``user``: a ``--user`` given)."""
    from pos.selling.auth import operator_named

    name = (user or os.environ.get(USER_VARIABLE, "")).strip()
    pin = os.environ.get(PIN_VARIABLE, "")
    unknown = NotAllowed(
        _("this command needs to know who is acting: set {user} and {pin}, or run it at a terminal").format(
            user=USER_VARIABLE, pin=PIN_VARIABLE
        )
    )
    if not name:
        if not sys.stdin.isatty():
            raise unknown
        name = typer.prompt(_("Your name"))
    if not pin:
        # at a terminal it is typed unseen; a script may pipe it in (never an option: ps shows those)
        try:
            pin = typer.prompt(_("Your PIN"), hide_input=sys.stdin.isatty())
        except (typer.Abort, EOFError, OSError):  # no input to read it from (typer ≥ 0.2x: its own Abort)
            raise unknown from None
    return operator_named(db, name, pin)
