"""The check every write service makes, inside its own transaction: ``authorise``.

The table is ``orto.policy``; this module loads the acting user from the database (so a role
changed, a user deactivated or locked a moment ago counts at once) and checks a manager's
approval PIN. A wrong approval PIN is counted and audited in a transaction of its own, so it is
kept although the action then fails and rolls back (docs/security.md, "Lockout").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orto import lockout, prepared
from orto.audit import audit
from orto.db import after_transaction
from orto.enums import Role
from orto.errors import NotAllowed
from orto.i18n import gettext as _
from orto.models import User, utcnow
from orto.models.base import table_of
from orto.policy import APPROVABLE, PERMISSIONS, Action, Operator, may
from orto.prepared import Prepared
from orto.security import verify_pin


class ApprovalRequired(NotAllowed):
    """The action needs a manager's PIN; the till asks for it and repeats the call with it."""

    def __init__(self, action: str, message: str) -> None:
        self.action = action
        super().__init__(message)


class Locked(NotAllowed):
    """Too many wrong PINs: the message says until when."""


def acting_user(session: Session, operator: Operator) -> User:
    """The user behind ``operator``, refused unless it came from a PIN check and is still active."""
    _acting(session, operator)
    user = session.get(User, operator.id)
    assert user is not None  # just checked, in this transaction
    return user


class _Acting(NamedTuple):
    id: int
    name: str
    role: Role
    active: bool
    failed_attempts: int
    locked_until: datetime | None


# The columns the check needs, read as one light row: every write of every service starts with
# this, so it runs on the driver (orto.prepared); the whole ORM user cost about 0.25 ms more.
_USERS = table_of(User)
_ACTING = Prepared(
    select(
        _USERS.c.id,
        _USERS.c.name,
        _USERS.c.role,
        _USERS.c.active,
        _USERS.c.failed_attempts,
        _USERS.c.locked_until,
    ).where(_USERS.c.id == bindparam("user_id"))
)


# The same columns for a hot path's first read to carry (joined on the operator's id), so that
# the scan and the commit check who is acting without a statement of their own: see
# authorise_with.
ACTING_COLUMNS = (
    _USERS.c.id.label("acting_id"),
    _USERS.c.name.label("acting_name"),
    _USERS.c.role.label("acting_role"),
    _USERS.c.active.label("acting_active"),
    _USERS.c.failed_attempts.label("acting_failed_attempts"),
    _USERS.c.locked_until.label("acting_locked_until"),
)


def _genuine(operator: Operator) -> None:
    if not isinstance(operator, Operator) or not operator.genuine:
        raise NotAllowed(_("who is acting is not known: log in with your PIN first"))


def _acting(session: Session, operator: Operator) -> _Acting:
    """``acting_user``'s checks on the light row (the same refusals, the same messages)."""
    _genuine(operator)
    row = prepared.first(session, _ACTING, {"user_id": operator.id})
    return _checked(operator, _Acting(*row) if row is not None else None)


def _checked(operator: Operator, user: _Acting | None) -> _Acting:
    if user is None or not user.active:
        raise NotAllowed(_("{name} is no longer an active user").format(name=operator.name))
    if user.role is not operator.role:
        raise NotAllowed(_("{name}'s role has changed: log in again").format(name=user.name))
    if lockout.is_locked(user, utcnow()):
        raise Locked(lockout.locked_message(user))
    return user


def authorise_with(session: Session, operator: Operator, action: Action, row: Any) -> None:
    """``authorise`` for an action no role needs an approval for, on the acting user's columns
    (ACTING_COLUMNS) read in the caller's transaction with its own first row: the same checks
    and refusals, one statement fewer. Anything else (an action that may need a manager's PIN,
    a row without the user) goes through ``authorise``."""
    _genuine(operator)
    if action in APPROVABLE or row is None or row.acting_id != operator.id:
        authorise(session, operator, action)
        return
    user = _checked(
        operator,
        _Acting(
            row.acting_id,
            row.acting_name,
            row.acting_role,
            row.acting_active,
            row.acting_failed_attempts,
            row.acting_locked_until,
        ),
    )
    if not may(user.role, action):
        authorise(session, operator, action)  # says why, as ever


def authorise(session: Session, operator: Operator, action: Action, approver_pin: str | None = None) -> int | None:
    """Allow ``action`` for ``operator``, or with a manager's PIN; returns the approver's id (or None).

    A manager acting for themselves approves their own action (the approver is themselves).
    """
    user = _acting(session, operator)
    if may(user.role, action):
        return user.id if action in APPROVABLE else None
    if action not in APPROVABLE:
        raise NotAllowed(
            _("{role} may not do this ({action}): only {roles}").format(
                role=_(user.role.value),
                action=action.value,
                roles=", ".join(_(r.value) for r in Role if r in PERMISSIONS[action]),
            )
        )
    if not approver_pin:
        raise ApprovalRequired(action, _("a manager's PIN is needed"))
    now = utcnow()
    for manager in session.scalars(select(User).where(User.role == Role.MANAGER, User.active.is_(True))):
        if verify_pin(manager.pin_hash, approver_pin):
            if lockout.is_locked(manager, now):
                raise Locked(lockout.locked_message(manager))
            audit(session, "approval", user.id, approver_id=manager.id, details={"action": action.value})
            return manager.id
    user_id = user.id  # the row is gone with the session by the time the record is written
    after_transaction(session, lambda own: wrong_approval_pin(own, user_id, action))
    raise ApprovalRequired(action, _("that PIN is not a manager's"))


def wrong_approval_pin(session: Session, user_id: int, action: Action) -> None:
    """A PIN typed as a manager's approval matched no manager: it counts against the person
    asking for the approval (the one at the till), who is locked like after wrong logins."""
    user = session.get(User, user_id, with_for_update=True)
    assert user is not None
    lockout.count_wrong_pin(user, utcnow())
    audit(
        session,
        "approval_refused",
        user.id,
        entity="user",
        entity_id=user.id,
        details={
            "action": action.value,
            "failed_attempts": user.failed_attempts,
            "locked": lockout.is_locked(user, utcnow()),
        },
    )
