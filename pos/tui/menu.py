"""The till's menu (F12): what an entry is, and which entries a role sees at a counter.

The entries themselves are declared in one list, in the menu's order, in
``pos.tui.navigation.menu_entries`` (the place that knows every screen). ``action`` receives the
screen the entry was chosen on: the sale screen, or the kitchen's home for its entries.
"""

from __future__ import annotations

from orto.enums import CounterKind, Role
from orto.policy import Action, may, may_with_approval
from pos.tui.routes import MenuEntry

__all__ = ["ALL_ROLES", "MANAGERS", "STOCK_ROLES", "MenuEntry", "entries_for", "offered"]

ALL_ROLES = frozenset(Role)  # MenuEntry's default (pos.tui.routes)
MANAGERS = frozenset({Role.MANAGER})
STOCK_ROLES = frozenset({Role.KITCHEN, Role.MANAGER})


def offered(role: Role, action: Action | None) -> bool:
    """Whether a menu offers ``action`` to ``role``: the policy's answer, approvals for counter roles only."""
    if action is None or may(role, action):
        return True
    return may_with_approval(role, action) and may(role, Action.SHIFT)


def entries_for(entries: list[MenuEntry], role: Role, counter: CounterKind) -> list[MenuEntry]:
    return [
        e
        for e in entries
        if role in e.roles and offered(role, e.needs) and (e.counters is None or counter in e.counters)
    ]
