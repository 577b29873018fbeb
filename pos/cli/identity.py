"""Who is acting, for the CLI commands that write: ORTO_USER / ORTO_PIN, or asked at the terminal.

The PIN is checked by the same login as at the till (a wrong one counts toward the lockout and
is audited); the Operator it returns is what the service checks the role of.
"""

from __future__ import annotations

import os
import sys

import typer

from orto.db import Database
from orto.errors import NotAllowed
from orto.i18n import gettext as _
from orto.policy import Operator

USER_VARIABLE = "ORTO_USER"
PIN_VARIABLE = "ORTO_PIN"


def acting(db: Database) -> Operator:
    """The person running the command, logged in by name and PIN."""
    from pos.selling.auth import operator_named

    name = os.environ.get(USER_VARIABLE, "").strip()
    pin = os.environ.get(PIN_VARIABLE, "")
    if not name or not pin:
        if not sys.stdin.isatty():
            raise NotAllowed(
                _("this command needs to know who is acting: set {user} and {pin}, or run it at a terminal").format(
                    user=USER_VARIABLE, pin=PIN_VARIABLE
                )
            )
        name = name or typer.prompt(_("Your name"))
        pin = pin or typer.prompt(_("Your PIN"), hide_input=True)
    return operator_named(db, name, pin)
