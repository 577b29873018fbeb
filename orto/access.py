"""The check every write service makes, inside its own transaction: ``authorise``.

The table is ``orto.policy``; this module loads the acting user from the database (so a role
changed or a user deactivated a moment ago counts at once) and checks a manager's approval PIN.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.audit import audit
from orto.enums import Role
from orto.errors import NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import User
from orto.policy import APPROVABLE, Action, Operator, may
from orto.security import verify_pin


class ApprovalRequired(NotAllowed):
    """The action needs a manager's PIN; the till asks for it and repeats the call with it."""

    def __init__(self, action: str, message: str) -> None:
        self.action = action
        super().__init__(message)


def acting_user(session: Session, operator: Operator) -> User:
    """The user behind ``operator``, refused unless it came from a PIN check and is still active."""
    if not isinstance(operator, Operator) or not operator.genuine:
        raise NotAllowed(_("who is acting is not known: log in with your PIN first"))
    user = session.get(User, operator.id)
    if user is None or not user.active:
        raise NotFound(_("no such user"))
    if user.role is not operator.role:
        raise NotAllowed(_("{name}'s role has changed: log in again").format(name=user.name))
    return user


def authorise(session: Session, operator: Operator, action: Action, approver_pin: str | None = None) -> int | None:
    """Allow ``action`` for ``operator``, or with a manager's PIN; returns the approver's id (or None).

    A manager acting for themselves approves their own action (the approver is themselves).
    """
    user = acting_user(session, operator)
    if may(user.role, action):
        return user.id if action in APPROVABLE else None
    if action not in APPROVABLE:
        raise NotAllowed(_("{role} may not do this ({action})").format(role=_(user.role.value), action=action.value))
    if not approver_pin:
        raise ApprovalRequired(action, _("a manager's PIN is needed"))
    for manager in session.scalars(select(User).where(User.role == Role.MANAGER, User.active.is_(True))):
        if verify_pin(manager.pin_hash, approver_pin):
            audit(session, "approval", user.id, approver_id=manager.id, details={"action": action.value})
            return manager.id
    audit(session, "approval_refused", user.id, details={"action": action.value})
    raise ApprovalRequired(action, _("that PIN is not a manager's"))
