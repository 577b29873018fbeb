"""Bar tabs: open, add a round, send to the kitchen, pay (whole, by items, or split evenly), merge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from inventory.search import Hit, fold
from orto.i18n import gettext as _
from orto.money import format_amount
from pos import selling
from pos.tui.context import TillContext
from pos.tui.dialogs import Choice, TextPrompt
from pos.tui.keys import KeyBar
from pos.tui.routes import SaleHost


def round_pick(text: str, hits: list[Hit]) -> Hit | None:
    """The product a round's text means when only one can be meant: its code, its whole name, or
    the only one found; None when several could be (the till then asks)."""
    folded = fold(text)
    for hit in hits:
        if hit.code.casefold() == text.strip().casefold() or fold(hit.name) == folded:
            return hit
    return hits[0] if len(hits) == 1 else None


class TabsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("n", "new", _("New tab")),
        Binding("r", "round", _("Round")),
        Binding("k", "kitchen", _("To kitchen")),
        Binding("p", "pay", _("Pay")),
        Binding("s", "split", _("Split")),
        Binding("m", "merge", _("Merge")),
        Binding("a", "on_account", _("On account")),
        Binding("escape", "close", _("Back")),
    ]

    def __init__(self, sale_screen: SaleHost) -> None:
        super().__init__()
        self.sale_screen = sale_screen
        self.tabs: list[selling.TabView] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Open tabs"), classes="dialog-title")
            yield OptionList(id="tabs")
            yield Static("", id="tab-lines", markup=False)
        yield KeyBar()

    @property
    def ctx(self) -> TillContext:
        return self.sale_screen.ctx

    def on_mount(self) -> None:
        self.refresh_tabs()

    def refresh_tabs(self) -> None:
        self.sale_screen.call(selling.open_tabs, self.ctx.db, self.ctx.counter.id, done=self._show)

    def _show(self, tabs: list[selling.TabView]) -> None:
        self.tabs = tabs
        options = self.query_one("#tabs", OptionList)
        options.clear_options()
        options.add_options([Option(f"{t.label:<16} {format_amount(t.total_cents):>8}", id=str(t.id)) for t in tabs])
        if tabs:
            options.highlighted = 0
            self._lines(tabs[0])
        options.focus()

    def _lines(self, tab: selling.TabView) -> None:
        self.query_one("#tab-lines", Static).update(
            "\n".join(
                # what the payment will ask: after the near-expiry markdown (▼), as the cart marks it
                ("▼ " if ln.markdown_cents else "")
                + f"{ln.quantity} x {ln.description}  {format_amount(ln.total_cents)}"
                + ("" if not ln.kitchen_item else (" ✓" if ln.sent_to_kitchen else " " + _("(to kitchen)")))
                for ln in tab.lines
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.tabs and event.option_index < len(self.tabs):
            self._lines(self.tabs[event.option_index])

    def _current(self) -> selling.TabView | None:
        index = self.query_one("#tabs", OptionList).highlighted
        return self.tabs[index] if self.tabs and index is not None else None

    @property
    def _user(self) -> selling.Operator:
        assert self.ctx.operator is not None
        return self.ctx.operator

    def action_new(self) -> None:
        def go(label: str | None) -> None:
            if label:
                self.sale_screen.call(
                    selling.open_tab,
                    self.ctx.db,
                    self.ctx.counter.id,
                    self._user,
                    label,
                    done=lambda _t: self.refresh_tabs(),
                )

        self.app.push_screen(TextPrompt(_("Table number or name")), go)

    def action_round(self) -> None:
        tab = self._current()
        if tab is None:
            return

        def go(text: str | None) -> None:
            if not text:
                return
            wanted = []
            for word in text.split(","):
                count, _star, what = word.strip().partition("*") if "*" in word else ("1", "", word.strip())
                hits = self.ctx.index.search(what) if self.ctx.index else []
                if not hits or not count.strip().isdigit():
                    self.notify(_("{what!r}: no such product").format(what=what), severity="error")
                    return
                wanted.append((what, int(count), hits))
            resolve(wanted, [])

        def resolve(wanted: list[tuple[str, int, list[Hit]]], items: list[tuple[int, int, str | None]]) -> None:
            """One item at a time: an ambiguous text ('cornetto' for two cornetti) is asked, never guessed."""
            if not wanted:
                self.sale_screen.call(
                    selling.add_round, self.ctx.db, tab.id, self._user, items, done=lambda _t: self.refresh_tabs()
                )
                return
            (what, count, hits), rest = wanted[0], wanted[1:]
            chosen = round_pick(what, hits)
            if chosen is not None:
                resolve(rest, [*items, (chosen.product_id, count, None)])
                return

            def picked(product_id: int | None) -> None:
                if product_id:  # Esc: the round is not added (nothing half-done)
                    resolve(rest, [*items, (product_id, count, None)])

            options = [(h.product_id, f"{h.name}  {format_amount(h.price_cents)}") for h in hits]
            self.app.push_screen(Choice(_("Which one is {what!r}?").format(what=what), options), picked)

        self.app.push_screen(TextPrompt(_("Round: items separated by commas, e.g. 2*cappuccino, cornetto")), go)

    def action_kitchen(self) -> None:
        tab = self._current()
        if tab is not None:
            self.sale_screen.call(
                selling.send_to_kitchen,
                self.ctx.db,
                self.ctx.settings,
                tab.id,
                self._user,
                done=self._sent,
            )

    def _sent(self, _jobs: list[int]) -> None:
        self.notify(_("Sent to the kitchen."))
        self.refresh_tabs()

    def action_pay(self) -> None:
        tab = self._current()
        if tab is None:
            return

        def moved(sale: selling.SaleView) -> None:
            self.dismiss(None)
            self.sale_screen.show_sale(sale)
            self.sale_screen.action_pay()

        self.sale_screen.call(selling.tab_to_sale, self.ctx.db, tab.id, self.ctx.counter.id, self._user, done=moved)

    def action_split(self) -> None:
        tab = self._current()
        if tab is None:
            return

        def go(text: str | None) -> None:
            if not (text and text.isdigit() and int(text) > 0):
                return

            def moved(sale: selling.SaleView) -> None:
                # the shares of what is left to pay, each taken in turn on the payment screen
                parts = selling.split_evenly(sale.total_cents, int(text))
                self.dismiss(None)
                self.sale_screen.show_sale(sale)
                self.sale_screen.action_pay(parts)

            self.sale_screen.call(selling.tab_to_sale, self.ctx.db, tab.id, self.ctx.counter.id, self._user, done=moved)

        self.app.push_screen(TextPrompt(_("Split evenly among how many?"), "2"), go)

    def action_merge(self) -> None:
        tab = self._current()
        if tab is None:
            return

        def go(label: str | None) -> None:
            target = next((t for t in self.tabs if t.label == label), None)
            if target is None:
                self.notify(_("no open tab {label}").format(label=label), severity="error")
                return
            self.sale_screen.call(
                selling.merge_tabs, self.ctx.db, tab.id, target.id, self._user, done=lambda _t: self.refresh_tabs()
            )

        self.app.push_screen(TextPrompt(_("Merge into which tab?")), go)

    def action_on_account(self) -> None:
        """The tab closed on a customer's account (an association's): its invoice and the charge."""
        from catering.money import account_customers, tab_on_account

        tab = self._current()
        if tab is None:
            return

        def charge(customer_id: int | None) -> None:
            if customer_id:
                self.sale_screen.call(
                    tab_on_account,
                    self.ctx.db,
                    self.ctx.settings,
                    self._user,
                    tab.id,
                    customer_id,
                    done=charged,
                )

        def charged(result: object) -> None:
            amount = getattr(result, "amount_cents", 0)
            self.notify(_("Tab {label} on account: {amount}").format(label=tab.label, amount=format_amount(amount)))
            self.refresh_tabs()

        def found(rows: list[tuple[int, str, int]]) -> None:
            if not rows:
                self.notify(_("no customer allowed an account matches"), severity="error")
                return
            options = [
                (i, _("{name}  (balance {amount})").format(name=name, amount=format_amount(balance)))
                for i, name, balance in rows
            ]
            self.app.push_screen(Choice(_("On whose account?"), options), charge)

        def search(text: str | None) -> None:
            if text:
                self.sale_screen.call(account_customers, self.ctx.db, text, done=found)

        self.app.push_screen(TextPrompt(_("Customer (name or code)")), search)

    def action_close(self) -> None:
        self.dismiss(None)
