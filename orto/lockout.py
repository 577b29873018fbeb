"""Wrong PINs and the lockout that grows with them (docs/security.md, "Lockout").

``users.failed_attempts`` counts the wrong PINs since the last successful login, at the till's
login and as a manager's approval; only a successful login (or a manager's unlock) resets it.
Every fifth wrong PIN locks the person for longer: 1 minute, then 5, then 15; the twentieth
locks them until a manager unlocks them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from orto.i18n import gettext as _
from orto.localtime import ROME
from orto.models import User


class LockState(Protocol):
    """What the lockout reads of a person: a ``User`` row, or the light row ``authorise`` loads."""

    @property
    def name(self) -> str: ...
    @property
    def failed_attempts(self) -> int: ...
    @property
    def locked_until(self) -> datetime | None: ...

WRONG_PINS_PER_STEP = 5
STEPS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
# this many wrong PINs lock until a manager unlocks
UNTIL_UNLOCKED = WRONG_PINS_PER_STEP * (len(STEPS) + 1)


def lock_for(failed_attempts: int) -> timedelta | None:
    """How long the wrong PIN number ``failed_attempts`` locks for (None: not at all, or for good)."""
    if failed_attempts <= 0 or failed_attempts % WRONG_PINS_PER_STEP or failed_attempts >= UNTIL_UNLOCKED:
        return None
    return STEPS[failed_attempts // WRONG_PINS_PER_STEP - 1]


def locked_for_good(user: LockState) -> bool:
    return user.failed_attempts >= UNTIL_UNLOCKED


def is_locked(user: LockState, now: datetime) -> bool:
    return locked_for_good(user) or (user.locked_until is not None and _aware(user.locked_until) > now)


def count_wrong_pin(user: User, now: datetime) -> None:
    """One more wrong PIN for ``user``: counted, and the lock set when it is due."""
    user.failed_attempts += 1
    span = lock_for(user.failed_attempts)
    if span is not None:
        user.locked_until = now + span
    elif locked_for_good(user):
        user.locked_until = None


def clear(user: User) -> None:
    """After a successful login or a manager's unlock."""
    user.failed_attempts = 0
    user.locked_until = None


def locked_message(user: LockState) -> str:
    """What the till says: until when (time of day in Milan), or that a manager must unlock."""
    if locked_for_good(user):
        return _("{name} is locked after too many wrong PINs: a manager must unlock").format(name=user.name)
    assert user.locked_until is not None
    until = _aware(user.locked_until).astimezone(ROME)
    return _("{name} is locked until {time} after too many wrong PINs").format(
        name=user.name, time=until.strftime("%H:%M:%S")
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
