"""How the screens reach each other without importing each other.

Where a screen can go, by name: a screen asks the app's ``Navigator`` (built once at start by
``pos.tui.navigation.build``) for the next screen. ``SaleHost`` is the sale screen as a menu entry
(or the tabs) sees it, and ``MenuEntry`` an entry of the F12 menu: the three refer to each other,
so they live together.

Each method makes a new screen, typed by what it gives back when dismissed; the caller pushes
or switches to it (``self.app.switch_screen(self.nav.sale())``). Nothing here imports a screen
or SQLAlchemy: the login uses it before either is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from orto.enums import CounterKind, Role
from orto.errors import OrtoError
from orto.policy import Action

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from pos.selling import RefundPlan, SaleResult, SaleView
    from pos.tui.context import TillContext
    from pos.tui.till_session import Till


# The refund screen's answer for "give back to the methods paid with" (else a PaymentMethod's value).
AS_PAID = "as_paid"


class Navigator(Protocol):
    def wizard(self) -> Screen[Any]: ...

    def login(self) -> Screen[Any]: ...

    def day(self) -> Screen[Any]: ...

    def sale(self) -> Screen[Any]: ...

    def kitchen_home(self) -> Screen[Any]: ...

    def shift(self, *, closing: bool, take_z: bool = False) -> Screen[Any]: ...

    def payment(self, sale: SaleView, shares: list[int] | None) -> Screen[SaleResult | None]: ...

    def refund(self, plan: RefundPlan, cash_plan: RefundPlan) -> Screen[str | None]: ...

    def tabs(self, origin: SaleHost) -> Screen[None]: ...

    def menu(self, entries: list[MenuEntry]) -> Screen[MenuEntry | None]: ...

    def menu_entries(self) -> list[MenuEntry]:
        """Every entry of the F12 menu, in the menu's order (filtered by ``pos.tui.menu.entries_for``)."""
        ...


class SaleHost(Protocol):
    """What a menu entry (and the tabs) may use of the sale screen it was opened from, so that
    neither imports the sale screen (``pos.tui.screens.sale.SaleScreen`` is one)."""

    sale: SaleView | None

    @property
    def app(self) -> App[Any]: ...

    @property
    def ctx(self) -> TillContext: ...

    @property
    def nav(self) -> Navigator: ...

    @property
    def till(self) -> Till: ...

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[OrtoError], None] | None = None,
        approval: bool = True,
        **kwargs: Any,
    ) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def show_sale(self, sale: SaleView) -> None: ...

    def show_refund(self, result: SaleResult) -> None: ...

    def action_pay(self, shares: list[int] | None = None) -> None: ...

    def action_lock(self) -> None: ...

    def reload(self) -> None: ...


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str  # an English message id: shown translated
    action: Callable[[SaleHost], Any]
    roles: frozenset[Role] = frozenset(Role)
    counters: frozenset[CounterKind] | None = None  # None: every kind of counter
    # What the entry does, in the policy's words: shown only to a role the policy lets do it
    # (on its own, or, for those who work a counter, with a manager's PIN asked on the spot).
    needs: Action | None = None
    # also offered on the kitchen's home (a kitchen user at a terminal with no shift open)
    kitchen_home: bool = False
