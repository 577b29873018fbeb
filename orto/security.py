"""PIN hashing with argon2 (the parameters travel inside each hash, so they can be raised later)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from orto.errors import InvalidInput

# PINs are short, so the hash must be slow to try offline; these cost ~15 ms on the tills.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8


def check_pin_format(pin: str) -> None:
    if not pin.isdigit() or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidInput(f"a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")


def hash_pin(pin: str) -> str:
    check_pin_format(pin)
    return _HASHER.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
