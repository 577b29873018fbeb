"""PINs: the rules a new PIN must meet, and hashing with argon2 (the parameters travel inside
each hash, so they can be raised later)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from orto.errors import InvalidInput
from orto.i18n import gettext as _

# PINs are short, so the hash must be slow to try offline; these cost ~15 ms on the tills.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8

# The PINs tried first by anyone guessing: repeated digits, runs up and down, and their longer
# forms. A person choosing a PIN is told why one of these is refused.
TRIVIAL_PINS = frozenset(
    {d * n for d in "0123456789" for n in range(PIN_MIN_DIGITS, PIN_MAX_DIGITS + 1)}
    | {"0123456789"[i : i + n] for n in range(PIN_MIN_DIGITS, PIN_MAX_DIGITS + 1) for i in range(11 - n)}
    | {"9876543210"[i : i + n] for n in range(PIN_MIN_DIGITS, PIN_MAX_DIGITS + 1) for i in range(11 - n)}
    | {"1212", "6969", "1004", "2000", "2580", "0852", "1122", "1313", "4444", "7777"}
)


def check_pin_format(pin: str) -> None:
    """The shape every stored PIN has (the seeding path may keep a trivial one)."""
    if (
        not isinstance(pin, str)
        or not pin.isascii()
        or not pin.isdigit()
        or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS
    ):
        raise InvalidInput(_("a PIN is {low} to {high} digits").format(low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS))


def check_new_pin(pin: str) -> None:
    """A PIN a person chooses: the right shape and not one of the first a guesser tries."""
    check_pin_format(pin)
    if pin in TRIVIAL_PINS:
        raise InvalidInput(_("PIN {pin} is among the first anyone would guess: choose another").format(pin=pin))


def hash_pin(pin: str) -> str:
    check_pin_format(pin)
    return _HASHER.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
