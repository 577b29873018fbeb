"""People: managers add users, change roles, deactivate (never delete) and reactivate them,
reset PINs and unlock them. Every change is audited (docs/security.md, "People and PINs").

``seed_user`` is the one way to make a user without a manager: for the demo, the history
generator and the tests, which need users with known (printed, even trivial) PINs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto import lockout
from orto.access import acting_user, authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import Role, User, utcnow
from orto.policy import Action, Operator, issue
from orto.security import check_new_pin, hash_pin
from pos.selling.audit import audit

NAME_MAX = 80


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: Role
    active: bool
    failed_attempts: int
    locked: bool
    locked_until: datetime | None


def _person(user: User) -> Person:
    return Person(
        user.id,
        user.name,
        user.role,
        user.active,
        user.failed_attempts,
        lockout.is_locked(user, utcnow()),
        user.locked_until,
    )


def people(db: Database, actor: Operator) -> list[Person]:
    """Everyone, active or not (a manager's view: it shows who is locked)."""
    with db.read() as session:
        authorise(session, actor, Action.USERS)
        return [_person(u) for u in session.scalars(select(User).order_by(User.active.desc(), User.name))]


def _clean_name(name: str) -> str:
    clean = " ".join(name.split()) if isinstance(name, str) else ""
    if not clean:
        raise InvalidInput(_("a user needs a name"))
    if len(clean) > NAME_MAX or not clean.isprintable():
        raise InvalidInput(_("a user's name is at most {n} printable characters").format(n=NAME_MAX))
    return clean


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput(
            _("no role {role}: one of {roles}").format(role=role, roles=", ".join(r.value for r in Role))
        ) from None


def _insert(session: Session, name: str, role: Role, pin: str) -> User:
    if session.scalar(select(User).where(func.lower(User.name) == name.lower())) is not None:
        raise NotAllowed(_("a user called {name} already exists").format(name=name))
    user = User(name=name, role=role, pin_hash=hash_pin(pin))
    session.add(user)
    session.flush()
    return user


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound(_("no user {id}").format(id=user_id))
    return user


def _managers_left(session: Session, without: User) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.MANAGER, User.active.is_(True), User.id != without.id)
        )
        or 0
    )


def add_user(db: Database, actor: Operator, name: str, role: Role | str, pin: str) -> Person:
    clean, the_role = _clean_name(name), _role(role)
    check_new_pin(pin)
    with db.write() as session:
        authorise(session, actor, Action.USERS)
        user = _insert(session, clean, the_role, pin)
        audit(
            session,
            "user_created",
            actor.id,
            entity="user",
            entity_id=user.id,
            details={"name": clean, "role": the_role.value},
        )
        return _person(user)


def create_first_manager(db: Database, name: str, pin: str) -> Operator:
    """The first-run wizard: the first manager, allowed only while there is no user at all."""
    clean = _clean_name(name)
    check_new_pin(pin)
    with db.write() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise NotAllowed(_("there are users already: a manager adds the next ones"))
        user = _insert(session, clean, Role.MANAGER, pin)
        audit(
            session,
            "user_created",
            user.id,
            entity="user",
            entity_id=user.id,
            details={"name": clean, "role": "manager", "first": True},
        )
        return issue(user.id, user.name, user.role)


def set_role(db: Database, actor: Operator, user_id: int, role: Role | str) -> Person:
    the_role = _role(role)
    with db.write() as session:
        authorise(session, actor, Action.USERS)
        user = _target(session, user_id)
        if user.role is Role.MANAGER and the_role is not Role.MANAGER and _managers_left(session, user) == 0:
            raise NotAllowed(_("{name} is the last active manager").format(name=user.name))
        before = user.role
        user.role = the_role
        audit(
            session,
            "user_role",
            actor.id,
            entity="user",
            entity_id=user.id,
            details={"from": before.value, "to": the_role.value},
        )
        return _person(user)


def set_active(db: Database, actor: Operator, user_id: int, active: bool) -> Person:
    """Deactivate (the user can no longer log in or act; their history stays) or reactivate."""
    with db.write() as session:
        authorise(session, actor, Action.USERS)
        user = _target(session, user_id)
        if not active and user.role is Role.MANAGER and _managers_left(session, user) == 0:
            raise NotAllowed(_("{name} is the last active manager").format(name=user.name))
        user.active = active
        audit(session, "user_activated" if active else "user_deactivated", actor.id, entity="user", entity_id=user.id)
        return _person(user)


def reset_pin(db: Database, actor: Operator, user_id: int, pin: str) -> Person:
    """A new PIN chosen with the person; it also unlocks them."""
    check_new_pin(pin)
    with db.write() as session:
        authorise(session, actor, Action.USERS)
        user = _target(session, user_id)
        user.pin_hash = hash_pin(pin)
        lockout.clear(user)
        audit(session, "user_pin_reset", actor.id, entity="user", entity_id=user.id)
        return _person(user)


def unlock(db: Database, actor: Operator, user_id: int) -> Person:
    with db.write() as session:
        authorise(session, actor, Action.USERS)
        user = _target(session, user_id)
        before = user.failed_attempts
        lockout.clear(user)
        audit(session, "user_unlocked", actor.id, entity="user", entity_id=user.id, details={"failed_attempts": before})
        return _person(user)


def user_id_named(db: Database, name: str) -> int:
    with db.read() as session:
        found = session.scalar(select(User.id).where(func.lower(User.name) == name.strip().lower()))
    if found is None:
        raise NotFound(_("no user called {name}").format(name=name))
    return int(found)


# ---------------------------------------------------------------- the seeding path


def seed_user(session: Session, name: str, role: Role, pin: str) -> Operator:
    """A user with a known PIN and their Operator, without a manager: the demo, the history
    generator and the tests only. The PIN may be a trivial one (the demo prints its PINs)."""
    user = _insert(session, _clean_name(name), role, pin)
    audit(
        session, "user_seeded", None, entity="user", entity_id=user.id, details={"name": user.name, "role": role.value}
    )
    return issue(user.id, user.name, user.role)


__all__ = ["Person", "acting_user"]
