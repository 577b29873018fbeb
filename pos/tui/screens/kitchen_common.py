"""What the kitchen screens share: one big input that asks one thing at a time, with the
sensible answer already in it (Enter accepts it), pickers, parsing, a manager's PIN; the menu
entries; and the kitchen's home screen for a kitchen user at a terminal with no shift open.

Wet hands and little time: every question is one line with its default selected, so Enter
accepts and typing replaces; Esc drops the question being asked (a second Esc leaves the screen).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.errors import InvalidInput, OrtoError
from orto.i18n import N_, format_date
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import Role, Unit
from orto.money import format_kg, parse_kg_to_grams
from pos import selling
from pos.tui.app import TillScreen
from pos.tui.keys import KeyBar
from pos.tui.menu import STOCK_ROLES, MenuEntry, register
from pos.tui.screens.manager_actions import Choice  # (also: the till's own entries come first in the menu)

T = TypeVar("T")


# ---------------------------------------------------------------------- parsing what was typed


def business_day() -> date:
    """Today in Milan (``orto.localtime.today``)."""
    return local_today()


def unit_word(unit: Unit) -> str:
    return {Unit.KG: "kg", Unit.LITRE: "l"}.get(unit, _("pieces"))


def parse_quantity(text: str, unit: Unit) -> int:
    """Base units from what was typed: '1,250' kg -> 1250 g, '0,5' l -> 500 ml, '12' pieces -> 12."""
    text = text.strip()
    if unit is Unit.PIECE:
        if not text.isdigit() or int(text) <= 0:
            raise InvalidInput(_("{text!r}: type a whole number of pieces").format(text=text))
        return int(text)
    return parse_kg_to_grams(text)


def show_quantity(quantity: int, unit: Unit) -> str:
    """1250 g -> '1,250' (kg); 12 -> '12': what to put in an input for the same unit."""
    return str(quantity) if unit is Unit.PIECE else format_kg(quantity)


def show_with_unit(quantity: int, unit: Unit) -> str:
    """12 pz, 1,250 kg, 0,500 l: the abbreviation reads right for one piece or many."""
    return f"{show_quantity(quantity, unit)} {unit.value}"


def parse_day(text: str, today: date) -> date | None:
    """'25/11/2026', '25/11/26', '25/11' (this year), '2026-11-25' or '+5' (days from today); '' -> None."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("+") and text[1:].isdigit():
        return today + timedelta(days=int(text[1:]))
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.strptime(f"{text}/{today.year}", "%d/%m/%Y").date()
    except ValueError:
        raise InvalidInput(
            _("{text!r} is not a date: write 25/11/2026, 25/11 or +5 (days)").format(text=text)
        ) from None


def show_day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def parse_whole(text: str) -> int:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(_("{text!r} is not a number").format(text=text)) from None
    if value != value.to_integral_value() or value < 0:
        raise InvalidInput(_("{text!r}: type a whole number").format(text=text))
    return int(value)


# ---------------------------------------------------------------------- the screen


class KitchenScreen(TillScreen):
    """A full screen of the kitchen: a title, a body, and the ask bar at the bottom."""

    BINDINGS = [Binding("escape", "back", _("Back"))]
    TITLE_TEXT = ""

    def __init__(self) -> None:
        super().__init__()
        self._parse: Callable[[str], Any] | None = None
        self._then: Callable[[Any], None] | None = None
        self._home = False  # the question asked is the screen's own (Esc leaves the screen)
        self._warned = False  # Esc was pressed once with work not saved yet

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="kitchen"):
            yield Label(_(self.TITLE_TEXT), classes="dialog-title", id="k-title")
            yield Static("", id="k-info", markup=False)
            yield from self.compose_body()
            yield Label("", id="k-prompt")
            yield Input(id="k-input", classes="k-big")
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        return iter(())

    @property
    def actor(self) -> selling.Operator:
        """Who is logged in: every service call is made as them."""
        assert self.ctx.operator is not None
        return self.ctx.operator

    @property
    def site_id(self) -> int:
        return self.ctx.counter.site_id

    @property
    def today(self) -> date:
        return business_day()

    def info(self, text: str) -> None:
        self.query_one("#k-info", Static).update(text)

    # -- asking one thing at a time

    def ask(
        self,
        prompt: str,
        then: Callable[[T], None],
        *,
        default: str = "",
        parse: Callable[[str], T] | None = None,
        placeholder: str = "",
        home: bool = False,
    ) -> None:
        """Ask in the big input; ``parse`` turns the text into the answer (raising InvalidInput
        keeps the question asked, saying why); ``then`` gets it. ``home``: the question the screen
        rests on, where Esc leaves the screen rather than dropping the question."""
        self._parse = parse
        self._then = cast(Callable[[Any], None], then)
        self._home = home
        self._warned = False
        self.query_one("#k-prompt", Label).update(prompt)
        field = self.query_one("#k-input", Input)
        field.placeholder = placeholder
        field.value = default
        field.disabled = False
        field.focus()
        field.select_all()

    def stop_asking(self, prompt: str = "") -> None:
        self._parse = self._then = None
        self.query_one("#k-prompt", Label).update(prompt)
        field = self.query_one("#k-input", Input)
        field.value = ""
        field.placeholder = ""
        field.disabled = True  # so that letter keys reach the screen's bindings

    @property
    def asking(self) -> bool:
        return self._then is not None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "k-input" or self._then is None:
            return
        event.stop()
        text = event.value.strip()
        parse, then = self._parse, self._then
        try:
            answer = parse(text) if parse is not None else text
        except OrtoError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            event.input.select_all()
            return
        self._parse = self._then = None
        then(answer)

    def action_back(self) -> None:
        if self.asking and not self._home:
            self.stop_asking()
            self.idle()
            return
        warning = self.unsaved()
        if warning and not self._warned:
            self._warned = True
            self.notify(warning, severity="warning", timeout=8)
            return
        self.dismiss(None)

    def unsaved(self) -> str | None:
        """What leaving now would lose, said at the first Esc (the second one leaves)."""
        return None

    def idle(self) -> None:
        """What the screen offers when nothing is being asked (override)."""
        self.stop_asking()

    def fail(self, exc: OrtoError) -> None:
        """A refused action: say why, and offer what the screen offers."""
        self.notify(str(exc), severity="error", timeout=8)
        self.idle()

    # -- picking

    def pick(self, title: str, options: list[tuple[int, str]], then: Callable[[int], None]) -> None:
        """A list to choose from (arrows, Enter); Esc gives up and goes back to idle."""
        self.stop_asking()

        def chosen(key: int | None) -> None:
            if key is None:
                self.idle()
            else:
                then(key)

        self.app.push_screen(Choice(title, options), chosen)

    def pick_product(self, text: str, then: Callable[[Any], None]) -> None:
        """Barcode, product code or words of the name -> one product (a list when several match)."""
        from pos.tui.screens.kitchen_data import ProductRow, find_products

        def found(rows: list[ProductRow]) -> None:
            if not rows:
                self.notify(_("{text!r}: no such product").format(text=text), severity="error")
                self.idle()
            elif len(rows) == 1:
                then(rows[0])
            else:
                by_id = {r.id: r for r in rows}
                self.pick(
                    _("Which product?"),
                    [(r.id, f"{r.name}  ({r.code}, {unit_word(r.unit)})") for r in rows],
                    lambda key: then(by_id[key]),
                )

        self.call(find_products, self.ctx.db, text, index=self.ctx.index, done=found)

    def find_lots(self, text: str, then: Callable[[Any], None]) -> None:
        """A scanned lot code, or else a product typed or scanned -> its lots at this site."""
        from orto.errors import NotFound
        from pos.tui.screens.kitchen_data import ProductRow, lot_by_code, lots_of_product

        if not text:
            self.idle()
            return

        def of_product(product: ProductRow) -> None:
            self.call(lots_of_product, self.ctx.db, product.id, self.site_id, today=self.today, done=then)

        def by_product(exc: OrtoError) -> None:
            if isinstance(exc, NotFound):
                self.pick_product(text, of_product)
            else:
                self.notify(str(exc), severity="error")
                self.idle()

        self.call(lot_by_code, self.ctx.db, text, today=self.today, done=then, failed=by_product)

    def with_manager(self, reason: str, then: Callable[[selling.Operator], None]) -> None:
        """A manager to act as: the one logged in, or a manager chosen from the list who logs in
        with their PIN here (a wrong PIN counts toward their lockout like at the login screen)."""
        operator = self.ctx.operator
        if operator is not None and operator.role is Role.MANAGER:
            then(operator)
            return
        from pos.tui.screens.dialogs import PinPrompt

        def managers(users: list[selling.Operator]) -> None:
            found = [u for u in users if u.role is Role.MANAGER]
            if not found:
                self.notify(_("no manager is set up"), severity="error")
                return

            def with_pin(manager_id: int) -> None:
                def check(pin: str | None) -> None:
                    if pin:
                        self.call(
                            selling.login, self.ctx.db, manager_id, pin, counter_id=self.ctx.counter.id, done=then
                        )

                self.app.push_screen(PinPrompt(reason), check)

            if len(found) == 1:
                with_pin(found[0].id)
            else:
                self.pick(_("Which manager?"), [(u.id, u.name) for u in found], with_pin)

        self.call(selling.list_users, self.ctx.db, done=managers)


def expiry_hint(day: date | None) -> str:
    return format_date(day) if day else "-"


# ---------------------------------------------------------------------- home and menu entries


def _open(module: str, screen: str) -> Callable[[Any], None]:
    def action(origin: Any) -> None:
        import importlib

        cls = getattr(importlib.import_module(f"pos.tui.screens.{module}"), screen)
        origin.app.push_screen(cls())

    return action


KITCHEN_ENTRIES = (
    MenuEntry("k_delivery", N_("Receive a delivery"), _open("kitchen_delivery", "DeliveryScreen"), roles=STOCK_ROLES),
    MenuEntry("k_lab", N_("Lab batches"), _open("kitchen_lab", "LabScreen"), roles=STOCK_ROLES),
    MenuEntry("k_waste", N_("Record waste"), _open("kitchen_waste", "WasteScreen"), roles=STOCK_ROLES),
    MenuEntry(
        "k_transfer", N_("Transfers between sites"), _open("kitchen_transfer", "TransferScreen"), roles=STOCK_ROLES
    ),
    MenuEntry("k_count", N_("Stock count"), _open("kitchen_count", "CountScreen"), roles=STOCK_ROLES),
    MenuEntry("k_trace", N_("Trace a lot, recalls"), _open("kitchen_trace", "TraceScreen"), roles=STOCK_ROLES),
    MenuEntry("k_suppliers", N_("Suppliers"), _open("kitchen_suppliers", "SuppliersScreen"), roles=STOCK_ROLES),
    MenuEntry("k_cold", N_("Cold chain readings"), _open("kitchen_cold", "ColdChainScreen"), roles=STOCK_ROLES),
)
for _entry in KITCHEN_ENTRIES:
    register(_entry)


class KitchenHome(TillScreen):
    """Where a kitchen user lands at a terminal with no shift open: the kitchen's screens only."""

    BINDINGS = [Binding("ctrl+l", "lock", _("Lock")), Binding("escape", "lock", _("Lock"), show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="kitchen"):
            yield Label(_("Kitchen and lab"), classes="dialog-title")
            yield OptionList(
                *[Option(f"{i:>2}  {_(e.label)}", id=e.key) for i, e in enumerate(self._entries(), 1)], id="k-home"
            )
            yield Static(_("Enter opens · Ctrl+L locks"), id="k-info", markup=False)
        yield KeyBar()

    def _entries(self) -> list[MenuEntry]:
        from pos.tui.menu import load_entries

        wanted = {e.key for e in KITCHEN_ENTRIES} | {"near_expiry"}
        return [e for e in load_entries() if e.key in wanted]

    def on_mount(self) -> None:
        self.query_one("#k-home", OptionList).focus()
        self._last_activity = time.monotonic()
        if self.ctx.settings.idle_lock_seconds > 0:
            self.set_interval(5, self._lock_when_idle)
        self._remind_readings()
        self.set_interval(300, self._remind_readings)

    def _remind_readings(self) -> None:
        """The cold chain's reading times ([haccp] reading_times): say which appliances wait."""
        from pos.tui.screens.kitchen_cold import site_appliances

        def remind(found: tuple[Any, set[str]]) -> None:
            due = sorted(found[1])
            if due:
                self.notify(
                    _("Temperature reading due: {appliances}").format(appliances=", ".join(due)),
                    severity="warning",
                    timeout=15,
                )

        self.call(site_appliances, self.ctx.db, self.ctx.settings, self.ctx.counter.site_code, done=remind)

    def on_key(self, _event: object) -> None:
        self._last_activity = time.monotonic()

    def on_screen_resume(self) -> None:
        self._last_activity = time.monotonic()  # back from a kitchen screen: it was in use

    def _lock_when_idle(self) -> None:
        """Like the sale screen: an unattended kitchen terminal locks itself ([till] idle_lock_seconds)."""
        if self.app.screen is self and time.monotonic() - self._last_activity >= self.ctx.settings.idle_lock_seconds:
            self.action_lock()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._entries()[event.option_index].action(cast(Any, self))

    def action_lock(self) -> None:
        from pos.tui.screens.login import LoginScreen

        self.ctx.operator = None
        self.app.switch_screen(LoginScreen())
