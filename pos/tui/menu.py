"""The till's menu (F12): a registry of entries, so each area plugs in its own screens.

To add an entry, register it from your module and import the module in ``load_entries``::

    register(MenuEntry("waste", N_("Record waste"), open_waste, roles=STOCK_ROLES))

``action`` receives the sale screen it was opened from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orto.models import CounterKind, Role
from orto.policy import Action, may, may_with_approval

if TYPE_CHECKING:
    from pos.tui.screens.sale import SaleScreen

ALL_ROLES = frozenset(Role)
MANAGERS = frozenset({Role.MANAGER})
STOCK_ROLES = frozenset({Role.KITCHEN, Role.MANAGER})


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str  # an English message id: shown translated
    action: Callable[[SaleScreen], Any]
    roles: frozenset[Role] = ALL_ROLES
    counters: frozenset[CounterKind] | None = None  # None: every kind of counter
    # What the entry does, in the policy's words: shown only to a role the policy lets do it
    # (on its own, or, for those who work a counter, with a manager's PIN asked on the spot).
    needs: Action | None = None


ENTRIES: list[MenuEntry] = []


def register(entry: MenuEntry) -> None:
    if all(e.key != entry.key for e in ENTRIES):
        ENTRIES.append(entry)


# The menu's order, by the module an entry's screen lives in: the counter's work first, then gift
# cards, the kitchen's, catering, people and reports; locking the till last. Entries register
# when their module is imported, and which module is imported first depends on what the process
# did before (a test, a screen opened earlier): the order must not, or a number chooses another
# entry in another process.
AREAS = (
    "pos.tui.screens.manager_actions",
    "pos.tui.screens.gift_cards",
    "pos.tui.screens.kitchen_common",
    "pos.tui.screens.catering",
    "pos.tui.screens.people",
    "pos.tui.screens.reports",
)


def _place(entry: MenuEntry) -> tuple[bool, int]:
    module = entry.action.__module__
    area = next((i for i, name in enumerate(AREAS) if module == name or module.startswith(name + "_")), len(AREAS))
    return entry.key == "lock", area


def load_entries() -> list[MenuEntry]:
    import pos.tui.screens.gift_cards  # noqa: F401  (its entries: sell, top up, balance)
    from pos.tui.screens import catering, kitchen_common, manager_actions, people, reports  # noqa: F401  (register their entries)

    ENTRIES.sort(key=_place)  # stable: within an area, the order its module registers them in
    return ENTRIES


def offered(role: Role, action: Action | None) -> bool:
    """Whether a menu offers ``action`` to ``role``: the policy's answer, approvals for counter roles only."""
    if action is None or may(role, action):
        return True
    return may_with_approval(role, action) and may(role, Action.SHIFT)


def entries_for(role: Role, counter: CounterKind) -> list[MenuEntry]:
    return [
        e
        for e in load_entries()
        if role in e.roles and offered(role, e.needs) and (e.counters is None or counter in e.counters)
    ]
