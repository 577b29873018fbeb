"""Who may do what: the one permission table, and the check every write service makes.

The services are the boundary. A write service takes the ``Operator`` that ``login`` returned
(never a bare user id), and calls ``authorise`` inside its transaction before writing. The
screens ask ``may`` the same table what to show, so a menu never offers what the service would
refuse. See docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from orto.enums import Role


class Action(StrEnum):
    """Everything a service checks. Values are stored in the audit log: never rename one."""

    SELL = "sell"
    TAB = "tab"
    SHIFT = "shift"
    CANCEL_SALE = "cancel_sale"
    DISCOUNT_OVER_THRESHOLD = "discount_over_threshold"
    PRICE_OVERRIDE = "price_override"
    REFUND = "refund"
    CASH_OUT = "cash_out"
    OPEN_DRAWER = "open_drawer"
    Z_REPORT = "z_report"
    SOLIDARITY_REDEMPTION = "solidarity_redemption"
    GIFT_CARD = "gift_card"
    GIFT_CARD_BLOCK = "gift_card_block"
    STOCK = "stock"
    LAB_DECISION = "lab_decision"
    RECALL = "recall"
    SUPPLIERS = "suppliers"
    CATALOG = "catalog"
    HACCP = "haccp"
    APPLIANCES = "appliances"
    REPORTS = "reports"
    USERS = "users"
    FISCAL = "fiscal"
    CATERING = "catering"
    INVOICES = "invoices"
    CUSTOMERS = "customers"
    PRINTERS = "printers"


_ALL = frozenset(Role)
_COUNTER = frozenset({Role.CASHIER, Role.MANAGER})
_KITCHEN = frozenset({Role.KITCHEN, Role.MANAGER})
_MANAGER = frozenset({Role.MANAGER})

# What each role may do on its own.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.SELL: _ALL,
    Action.TAB: _ALL,
    Action.SHIFT: _COUNTER,
    Action.CANCEL_SALE: _COUNTER,
    Action.DISCOUNT_OVER_THRESHOLD: _MANAGER,
    Action.PRICE_OVERRIDE: _MANAGER,
    Action.REFUND: _MANAGER,
    Action.CASH_OUT: _MANAGER,
    Action.OPEN_DRAWER: _MANAGER,
    Action.Z_REPORT: _MANAGER,
    Action.SOLIDARITY_REDEMPTION: _COUNTER,
    Action.GIFT_CARD: _COUNTER,
    # a lost or stolen card stops (and a found one starts again) on a manager's word: its balance is
    # someone's money, so a cashier asks for the PIN at the counter
    Action.GIFT_CARD_BLOCK: _MANAGER,
    Action.STOCK: _KITCHEN,
    Action.LAB_DECISION: _MANAGER,
    Action.RECALL: _MANAGER,
    Action.SUPPLIERS: _KITCHEN,
    Action.CATALOG: _MANAGER,
    Action.HACCP: _KITCHEN,
    Action.APPLIANCES: _MANAGER,  # which fridges a site has and their limits: the HACCP plan's
    Action.REPORTS: _MANAGER,
    Action.USERS: _MANAGER,
    Action.FISCAL: _MANAGER,
    Action.CATERING: _ALL,
    Action.INVOICES: _MANAGER,
    Action.CUSTOMERS: _ALL,
    Action.PRINTERS: _ALL,
}

# Anything here that a role may not do alone it may still do with a manager's PIN typed at the
# till (an approval). Everything else outside a role's row is refused outright.
APPROVABLE = frozenset(
    {
        Action.DISCOUNT_OVER_THRESHOLD,
        Action.PRICE_OVERRIDE,
        Action.REFUND,
        Action.CASH_OUT,
        Action.OPEN_DRAWER,
        Action.CANCEL_SALE,
        Action.GIFT_CARD_BLOCK,
    }
)


def may(role: Role, action: Action | str) -> bool:
    """Whether ``role`` may do ``action`` on its own (what a screen asks before offering it)."""
    return role in PERMISSIONS.get(Action(action), frozenset())


def may_with_approval(role: Role, action: Action | str) -> bool:
    """Whether ``role`` may do ``action`` at all, perhaps with a manager's PIN."""
    return may(role, action) or Action(action) in APPROVABLE


# The seal proves that an Operator came from a PIN check in this process: a caller of the Python
# API cannot make one from a user id it happens to know. It is per process on purpose: an
# Operator is never stored or sent anywhere.
_SEAL_KEY = secrets.token_bytes(32)


def _seal(user_id: int, role: Role) -> str:
    return hmac.new(_SEAL_KEY, f"{user_id}:{role.value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Operator:
    """The person acting, as authenticated by ``login`` (or ``orto.policy.issue`` after a PIN)."""

    id: int
    name: str
    role: Role
    seal: str = field(default="", repr=False, compare=False)

    @cached_property
    def genuine(self) -> bool:
        # checked at every write (five a sale); the fields are frozen, so once is enough
        return bool(self.seal) and hmac.compare_digest(self.seal, _seal(self.id, self.role))


def issue(user_id: int, name: str, role: Role) -> Operator:
    """An Operator for a user whose PIN was just checked. Only the PIN checks call this."""
    return Operator(user_id, name, role, _seal(user_id, role))
