"""Every screen of the till by name, and the F12 menu in its order: the one place that imports
the screen modules, so that they never import each other (import-linter keeps them independent).

The app builds the registry once (``build``) and the screens reach it as ``self.nav``. The imports
are inside the methods: the login is drawn before SQLAlchemy loads (``OrtoTill.opening``), and a
screen's module loads when it is first opened (or ahead, in the opening worker: ``preload``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from pos.selling import RefundPlan, SaleResult, SaleView
    from pos.tui.menu import MenuEntry
    from pos.tui.routes import SaleHost


class Screens:
    """The ``pos.tui.routes.Navigator`` of the till."""

    def __init__(self) -> None:
        self._entries: list[MenuEntry] | None = None

    def preload(self) -> None:
        """The sale screen's module (and with it pos.selling, the login's own code), loaded behind
        the login so that switching to it imports nothing."""
        import pos.tui.screens.sale  # noqa: F401

    def wizard(self) -> Screen[Any]:
        from pos.tui.screens.wizard import WizardScreen

        return WizardScreen()

    def login(self) -> Screen[Any]:
        from pos.tui.screens.login import LoginScreen

        return LoginScreen()

    def day(self) -> Screen[Any]:
        from pos.tui.screens.day import DayScreen

        return DayScreen()

    def sale(self) -> Screen[Any]:
        from pos.tui.screens.sale import SaleScreen

        return SaleScreen()

    def kitchen_home(self) -> Screen[Any]:
        from pos.tui.screens.kitchen_home import KitchenHome

        return KitchenHome()

    def shift(self, *, closing: bool, take_z: bool = False) -> Screen[Any]:
        from pos.tui.screens.shift import ShiftScreen

        return ShiftScreen(closing=closing, take_z=take_z)

    def payment(self, sale: SaleView, shares: list[int] | None) -> Screen[SaleResult | None]:
        from pos.tui.screens.payment import PaymentScreen

        return PaymentScreen(sale, shares)

    def refund(self, plan: RefundPlan, cash_plan: RefundPlan) -> Screen[str | None]:
        from pos.tui.screens.refund import RefundScreen

        return RefundScreen(plan, cash_plan)

    def tabs(self, origin: SaleHost) -> Screen[None]:
        from pos.tui.screens.tabs import TabsScreen

        return TabsScreen(origin)

    def menu(self, entries: list[MenuEntry]) -> Screen[MenuEntry | None]:
        from pos.tui.screens.menu import MenuScreen

        return MenuScreen(entries)

    def menu_entries(self) -> list[MenuEntry]:
        if self._entries is None:
            self._entries = menu_entries()
        return self._entries


def build() -> Screens:
    return Screens()


def _pushing(make: Callable[[], Screen[Any]]) -> Callable[[SaleHost], None]:
    """A menu entry that opens a screen over the one it was chosen on."""

    def action(origin: SaleHost) -> None:
        origin.app.push_screen(make())

    return action


def menu_entries() -> list[MenuEntry]:
    """The F12 menu, in the order a cashier reads it (its numbers are what they type): the
    counter's work, gift cards, the kitchen's, catering, people and reports; locking the till last."""
    from orto.enums import CounterKind
    from orto.i18n import N_
    from orto.policy import Action as A
    from pos.tui.menu import MANAGERS, STOCK_ROLES, MenuEntry
    from pos.tui.screens import (
        catering,
        gift_cards,
        kitchen_cold,
        kitchen_count,
        kitchen_delivery,
        kitchen_lab,
        kitchen_suppliers,
        kitchen_trace,
        kitchen_transfer,
        kitchen_waste,
        people,
        reports,
    )
    from pos.tui.screens import manager_actions as m

    kitchen = STOCK_ROLES
    return [
        MenuEntry("parked", N_("Parked sales"), m.parked, needs=A.SELL),
        MenuEntry("refund", N_("Refund"), m.refund, needs=A.REFUND),
        MenuEntry("reprint", N_("Reprint the last slip"), m.reprint_last, needs=A.PRINTERS),
        MenuEntry("reprint_any", N_("Reprint a slip by job number"), m.reprint_any, needs=A.PRINTERS),
        MenuEntry("price", N_("Price check and stock"), m.price_check),
        MenuEntry("stock", N_("Stock lookup (lots, dates, every site)"), m.stock_lookup),
        MenuEntry("near_expiry", N_("Near-expiry list"), m.near_expiry_list, kitchen_home=True),
        MenuEntry("tabs", N_("Tables and tabs"), m.tabs, counters=frozenset({CounterKind.BAR}), needs=A.TAB),
        # money into the drawer is the business of whoever works the drawer (who may open a shift)
        MenuEntry("donation", N_("Spesa sospesa donation"), m.donation, needs=A.SHIFT),
        MenuEntry("lottery", N_("Lotteria degli scontrini code"), m.lottery_code, needs=A.SELL),
        MenuEntry("cash_in", N_("Cash in"), m.cash_in, needs=A.SHIFT),
        MenuEntry("cash_out", N_("Cash out"), m.cash_out, needs=A.CASH_OUT),
        MenuEntry("x", N_("X report (day so far)"), m.x_report, needs=A.SHIFT),
        MenuEntry("close_shift", N_("Close the shift"), m.close_shift, needs=A.SHIFT),
        MenuEntry("z", N_("Close the day: shift and Z report"), m.close_day, roles=MANAGERS, needs=A.Z_REPORT),
        MenuEntry("gift_card_sell", N_("Sell a gift card"), gift_cards.sell, needs=A.GIFT_CARD),
        MenuEntry("gift_card_top_up", N_("Top up a gift card"), gift_cards.top_up, needs=A.GIFT_CARD),
        MenuEntry("gift_card_balance", N_("Gift card balance"), gift_cards.look_up),
        MenuEntry(
            "k_delivery",
            N_("Receive a delivery"),
            _pushing(kitchen_delivery.DeliveryScreen),
            roles=kitchen,
            kitchen_home=True,
        ),
        MenuEntry("k_lab", N_("Lab batches"), _pushing(kitchen_lab.LabScreen), roles=kitchen, kitchen_home=True),
        MenuEntry("k_waste", N_("Record waste"), _pushing(kitchen_waste.WasteScreen), roles=kitchen, kitchen_home=True),
        MenuEntry(
            "k_transfer",
            N_("Transfers between sites"),
            _pushing(kitchen_transfer.TransferScreen),
            roles=kitchen,
            kitchen_home=True,
        ),
        MenuEntry("k_count", N_("Stock count"), _pushing(kitchen_count.CountScreen), roles=kitchen, kitchen_home=True),
        MenuEntry(
            "k_trace", N_("Trace a lot, recalls"), _pushing(kitchen_trace.TraceScreen), roles=kitchen, kitchen_home=True
        ),
        MenuEntry(
            "k_suppliers",
            N_("Suppliers"),
            _pushing(kitchen_suppliers.SuppliersScreen),
            roles=kitchen,
            kitchen_home=True,
        ),
        MenuEntry(
            "k_cold",
            N_("Cold chain readings"),
            _pushing(kitchen_cold.ColdChainScreen),
            roles=kitchen,
            kitchen_home=True,
        ),
        MenuEntry(
            "catering",
            N_("Catering: orders, quotes, invoices"),
            catering.open_catering,
            counters=frozenset({CounterKind.CUCINA}),
        ),
        MenuEntry("people", N_("People"), people.people, roles=MANAGERS),
        MenuEntry(
            "reports",
            N_("Reports (stock, waste, sales, Z, impact, HACCP, trace)"),
            reports.open_reports,
            roles=MANAGERS,
            needs=A.REPORTS,
        ),
        MenuEntry("lock", N_("Lock the till"), m.lock),
    ]
