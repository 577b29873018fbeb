"""What the kitchen screens share: one big input that asks one thing at a time, with the
sensible answer already in it (Enter accepts it), pickers and a manager's PIN. Not a screen of its
own: the kitchen's screens (``pos.tui.screens.kitchen_*``, catering) are made of it.

Wet hands and little time: every question is one line with its default selected, so Enter
accepts and typing replaces; Esc drops the question being asked (a second Esc leaves the screen).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, Static

from orto.errors import OrtoError
from orto.i18n import gettext as _
from orto.models import Role
from pos import selling
from pos.tui.dialogs import Choice
from pos.tui.keys import KeyBar
from pos.tui.parsing import business_day, expiry_hint, show_with_unit, unit_word
from pos.tui.till_screen import TillScreen

if TYPE_CHECKING:
    from pos.tui.kitchen_data import LotRow, ProductRow

T = TypeVar("T")


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

    # -- picking: each a coroutine (in a flow: ``pos.tui.till_session``), and the callback form
    # the kitchen's screens call, which runs it as a flow and hands a result on

    def _hand_on(self, answer: Coroutine[Any, Any, T | None], then: Callable[[T], None]) -> None:
        async def flow() -> None:
            value = await answer
            if value is not None:
                then(value)

        self.till.flow(flow())

    async def choose(self, title: str, options: list[tuple[int, str]]) -> int | None:
        """A list to choose from (arrows, Enter); Esc gives up (None) and goes back to idle."""
        self.stop_asking()
        key = await self.till.ask(Choice(title, options))
        if key is None:
            self.idle()
        return key

    def pick(self, title: str, options: list[tuple[int, str]], then: Callable[[int], None]) -> None:
        self._hand_on(self.choose(title, options), then)

    async def product(self, text: str) -> ProductRow | None:
        """Barcode, product code or words of the name -> one product (a list when several match)."""
        from pos.tui.kitchen_data import find_products

        till = self.till
        rows = await till.run(find_products, till.db, text, index=till.context.index)
        if not rows:
            self.notify(_("{text!r}: no such product").format(text=text), severity="error")
            self.idle()
            return None
        if len(rows) == 1:
            return rows[0]
        by_id = {r.id: r for r in rows}
        key = await self.choose(
            _("Which product?"), [(r.id, f"{r.name}  ({r.code}, {unit_word(r.unit)})") for r in rows]
        )
        return None if key is None else by_id[key]

    def pick_product(self, text: str, then: Callable[[Any], None]) -> None:
        self._hand_on(self.product(text), then)

    async def lots(self, text: str) -> list[LotRow] | None:
        """A scanned lot code, or else a product typed or scanned -> its lots at this site."""
        from orto.errors import NotFound
        from pos.tui.kitchen_data import lot_by_code, lots_of_product

        till = self.till
        try:
            return await till.attempt(lot_by_code, till.db, text, today=self.today)
        except NotFound:
            product = await self.product(text)
            if product is None:
                return None
            return await till.run(lots_of_product, till.db, product.id, self.site_id, today=self.today)
        except OrtoError as exc:
            self.notify(str(exc), severity="error")
            self.idle()
            return None

    def find_lots(self, text: str, then: Callable[[Any], None]) -> None:
        if not text:
            self.idle()
            return
        self._hand_on(self.lots(text), then)

    async def manager(self, reason: str) -> selling.Operator | None:
        """A manager chosen from the list (when there are several) who logs in with their PIN here
        (a wrong PIN counts toward their lockout like at the login screen); None if none did."""
        from pos.tui.dialogs import PinPrompt

        till = self.till
        found = [u for u in await till.run(selling.list_users, till.db) if u.role is Role.MANAGER]
        if not found:
            self.notify(_("no manager is set up"), severity="error")
            return None
        if len(found) == 1:
            manager_id: int | None = found[0].id
        else:
            manager_id = await self.choose(_("Which manager?"), [(u.id, u.name) for u in found])
        if manager_id is None:
            return None
        pin = await till.ask(PinPrompt(reason))
        if not pin:
            return None
        return await till.run(selling.login, till.db, manager_id, pin, counter_id=till.counter.id)

    def with_manager(self, reason: str, then: Callable[[selling.Operator], None]) -> None:
        """A manager to act as: the one logged in, or one who gives their PIN here (``manager``)."""
        operator = self.ctx.operator
        if operator is not None and operator.role is Role.MANAGER:
            then(operator)
            return
        self._hand_on(self.manager(reason), then)


def lot_option(row: LotRow) -> str:
    """A lot as one line of a list: code, where it is, its date and what is left."""
    quantity = show_with_unit(row.quantity, row.unit)
    return f"{row.code:<18} {row.location[:14]:<14} {expiry_hint(row.expiry):>10} {quantity:>12}"
