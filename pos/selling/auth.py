"""Login by PIN: the sealed Operator every write service takes, and the lockout after wrong PINs.

Who may do what is the kernel's (``orto.policy``, ``orto.access``); people are managed in
``pos.selling.users``.
"""

from __future__ import annotations

from sqlalchemy import func, select

from orto import lockout
from orto.access import ApprovalRequired, Locked
from orto.db import Database
from orto.errors import NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import User, utcnow
from orto.policy import APPROVABLE, PERMISSIONS, Operator, issue, may
from orto.security import verify_pin
from pos.selling.audit import audit


class LoginFailed(NotAllowed):
    pass


class LoginLocked(LoginFailed, Locked):
    """The login is refused until the time it names (or until a manager unlocks)."""


def list_users(db: Database) -> list[Operator]:
    """The active users, to choose from at the login screen (not sealed: they prove nothing)."""
    with db.read() as session:
        users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
        return [Operator(u.id, u.name, u.role) for u in users]


def login(db: Database, user_id: int, pin: str, *, counter_id: int | None = None) -> Operator:
    """Check a PIN; wrong ones lock the user for longer and longer (orto.lockout)."""
    now = utcnow()
    with db.write() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or not user.active:
            raise NotFound(_("no such user"))
        if lockout.is_locked(user, now):
            raise LoginLocked(lockout.locked_message(user))
        if not verify_pin(user.pin_hash, pin):
            lockout.count_wrong_pin(user, now)
            locked = lockout.is_locked(user, now)
            audit(
                session,
                "login_failed",
                user.id,
                counter_id=counter_id,
                entity="user",
                entity_id=user.id,
                details={"failed_attempts": user.failed_attempts, "locked": locked},
            )
            failure: NotAllowed = (
                LoginLocked(_("wrong PIN: {locked}").format(locked=lockout.locked_message(user)))
                if locked
                else LoginFailed(_("wrong PIN"))
            )
        else:
            lockout.clear(user)
            audit(session, "login", user.id, counter_id=counter_id)
            return issue(user.id, user.name, user.role)
    raise failure  # raised after the commit, so the failed attempt is counted


def operator_named(db: Database, name: str, pin: str) -> Operator:
    """Log in by name (the CLI and scripts): the same PIN check and lockout as at the till."""
    with db.read() as session:
        user_id = session.scalar(
            select(User.id).where(func.lower(User.name) == name.strip().lower(), User.active.is_(True))
        )
    if user_id is None:
        raise NotFound(_("no active user called {name}").format(name=name))
    return login(db, user_id, pin)


__all__ = ["APPROVABLE", "PERMISSIONS", "ApprovalRequired", "LoginFailed", "Operator", "may"]
