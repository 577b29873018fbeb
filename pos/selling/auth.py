"""Login by PIN, roles and what each may do, manager approvals, lockout after wrong PINs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.access import ApprovalRequired
from orto.db import Database
from orto.errors import NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import Role, User, utcnow
from orto.policy import APPROVABLE, PERMISSIONS, Operator, issue, may
from orto.security import hash_pin, verify_pin
from pos.selling.audit import audit

MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=1)


class LoginFailed(NotAllowed):
    pass


def list_users(db: Database) -> list[Operator]:
    with db.read() as session:
        users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
        return [Operator(u.id, u.name, u.role) for u in users]


def create_user(db: Database, name: str, role: Role, pin: str, *, created_by: int | None = None) -> Operator:
    with db.write() as session:
        if session.scalar(select(User).where(User.name == name)) is not None:
            raise NotAllowed(_("a user called {name} already exists").format(name=name))
        user = User(name=name, role=role, pin_hash=hash_pin(pin))
        session.add(user)
        session.flush()
        audit(session, "user_created", created_by, entity="user", entity_id=user.id, details={"role": role.value})
        return Operator(user.id, user.name, user.role)


def login(db: Database, user_id: int, pin: str, *, counter_id: int | None = None) -> Operator:
    """Check a PIN; five wrong ones in a row lock the user for a minute."""
    now = utcnow()
    with db.write() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or not user.active:
            raise NotFound(_("no such user"))
        if user.locked_until is not None and user.locked_until > now:
            seconds = int((user.locked_until - now).total_seconds()) + 1
            raise LoginFailed(
                _("{name} is locked for {seconds} s after too many wrong PINs").format(name=user.name, seconds=seconds)
            )
        if not verify_pin(user.pin_hash, pin):
            user.failed_attempts += 1
            locked = user.failed_attempts >= MAX_WRONG_PINS
            if locked:
                user.locked_until = now + LOCKOUT
                user.failed_attempts = 0
            audit(session, "login_failed", user.id, counter_id=counter_id, details={"locked": locked})
            failure = LoginFailed(
                _("wrong PIN") if not locked else _("wrong PIN: {name} is locked for a minute").format(name=user.name)
            )
        else:
            user.failed_attempts = 0
            user.locked_until = None
            audit(session, "login", user.id, counter_id=counter_id)
            return issue(user.id, user.name, user.role)
    raise failure  # raised after the commit, so the failed attempt is counted


def operator(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound(_("no such user"))
    return user


# Transitional: the selling services still take a user id; they move to orto.access.authorise
# with the Operator from login (issue 12).
def authorise(session: Session, user_id: int, action: str, approver_pin: str | None = None) -> int | None:
    """Allow ``action`` for the user, or with a manager's PIN; returns the approver's id (or None).

    A manager acting for themselves approves their own action (the approver is themselves).
    """
    user = operator(session, user_id)
    if may(user.role, action):
        return user.id if action in APPROVABLE else None
    if action not in APPROVABLE:
        raise NotAllowed(_("{role} may not do this ({action})").format(role=_(user.role.value), action=action))
    if not approver_pin:
        raise ApprovalRequired(action, _("a manager's PIN is needed"))
    for manager in session.scalars(select(User).where(User.role == Role.MANAGER, User.active.is_(True))):
        if verify_pin(manager.pin_hash, approver_pin):
            audit(session, "approval", user.id, approver_id=manager.id, details={"action": action})
            return manager.id
    audit(session, "approval_refused", user.id, details={"action": action})
    raise ApprovalRequired(action, _("that PIN is not a manager's"))


__all__ = ["APPROVABLE", "PERMISSIONS", "ApprovalRequired", "LoginFailed", "Operator", "may"]
