"""The sale screen: one input that always has focus, the cart, the total large, keys on F-keys."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from inventory.search import Hit
from orto.errors import InvalidInput, NotFound, OrtoError
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import CounterKind, PaymentMethod
from orto.money import format_amount, format_kg, format_percent_bp, parse_money, parse_percent_bp
from pos import selling
from pos.selling import SaleView
from pos.selling.gift_cards import grouped
from pos.tui.cart import CartTable
from pos.tui.entry import parse_entry
from pos.tui.keys import KeyBar
from pos.tui.till_screen import TillScreen
from receipts.queue import FAULTS, confirm_printed, unconfirmed_jobs

if TYPE_CHECKING:
    from receipts.fiscal.queue import FiscalQueue


class SaleScreen(TillScreen):
    BINDINGS = [
        Binding("f2", "search", _("Search")),
        Binding("f4", "quantity", _("Qty")),
        Binding("f5", "discount", _("Discount")),
        Binding("f6", "park", _("Park")),
        Binding("f8", "remove", _("Remove")),
        # the bar only (check_action): the line, or the whole sale, taken away at the shelf VAT rate
        Binding("f7", "take_away", _("To go")),
        Binding("f3", "take_away_sale", _("All to go")),
        Binding("f9", "card", _("Nbhd")),  # the neighbourhood card: "Card" is the payment's
        Binding("f10", "pay", _("Pay")),
        Binding("f12", "menu", _("Menu")),
        Binding("ctrl+l", "lock", _("Lock")),
        Binding("up", "cursor(-1)", show=False, priority=True),
        Binding("down", "cursor(1)", show=False, priority=True),
        # not priority: in the input ← → move the cursor; on a quick key they move to the next key
        Binding("left", "quick_side(-1)", show=False),
        Binding("right", "quick_side(1)", show=False),
        Binding("escape", "clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sale: SaleView | None = None
        self._texts: dict[str, str] = {}
        self._printer_state = "…"
        self._printer_kind = "unknown"  # the last state a notice was given for
        self.hits: list[Hit] = []
        self.pending_grams: int | None = None
        self.change_shown = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Scan, type a code or search a product"), id="entry")
        yield OptionList(id="results")
        with Horizontal(id="body"):
            yield CartTable(id="cart")
            with Vertical(id="side"):
                yield Label(_("TOTAL"), id="total-label")
                yield Digits(format_amount(0), id="total")
                yield Static("", id="hint", markup=False)
                if self.ctx.counter.kind is CounterKind.BAR:
                    from pos.tui.quickkeys import QuickKeys

                    yield QuickKeys(id="quickkeys")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        columns = (_("Product"), _("Qty"), _("Price"), _("Disc."), _("Total"), _("VAT"))
        self.query_one("#cart", CartTable).set_columns(*columns)
        self.query_one("#results", OptionList).display = False
        self.query_one("#entry", Input).focus()
        self._status()
        self.call(
            selling.start_sale, self.ctx.db, self.ctx.counter.id, self._user, done=self._show, failed=self._no_sale
        )
        self.set_interval(3, self._refresh_printer)
        self._last_activity = time.monotonic()
        if self.ctx.settings.idle_lock_seconds > 0:
            self.set_interval(5, self._lock_when_idle)

    def on_resize(self, event: events.Resize) -> None:
        # a bar's quick keys get more room when the terminal has it (120 columns: two columns of keys)
        self.set_class(self.ctx.counter.kind is CounterKind.BAR, "-bar")
        self.set_class(event.size.width >= 110, "-wide-side")

    def on_key(self, event: events.Key) -> None:
        self._last_activity = time.monotonic()
        focused = self.focused
        if focused is not None and focused.has_class("quick") and event.is_printable and event.character:
            # a scan (or typing) while a quick key has the focus goes to the input, as always:
            # never lost, and its Enter never presses the key
            entry = self.query_one("#entry", Input)
            entry.focus()
            entry.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def _lock_when_idle(self) -> None:
        """An unattended till locks itself ([till] idle_lock_seconds); the sale stays open for the next login."""
        if self.app.screen is self and time.monotonic() - self._last_activity >= self.ctx.settings.idle_lock_seconds:
            self.action_lock()

    @property
    def _user(self) -> selling.Operator:
        assert self.ctx.operator is not None
        return self.ctx.operator

    def _no_sale(self, exc: OrtoError) -> None:
        self.notify(str(exc), severity="warning")
        self.app.switch_screen(self.nav.day())

    # ------------------------------------------------------------------ showing the sale

    def show_sale(self, sale: SaleView) -> None:
        """The sale as the menu's entries and the tabs leave it (``pos.tui.routes.SaleHost``)."""
        self._show(sale)

    def _show(self, sale: SaleView) -> None:
        self.sale = sale
        table = self.query_one("#cart", CartTable)
        soon = local_today() + timedelta(days=self.ctx.settings.near_expiry_days)
        rows = []
        for line in sale.lines:
            quantity = f"{format_kg(line.quantity)} kg" if line.weighed else str(line.quantity)
            reduction = line.discount_cents + line.markdown_cents
            # a one-character mark before the name, so a long name never hides it: ▼ marked down, ! near its date
            mark = ""
            if line.take_away:
                mark = "» "  # taken away: the shelf VAT rate (docs/till.md, the bar)
            elif line.markdown_cents:
                mark = "▼ "
            elif line.lot_expiry and date.fromisoformat(line.lot_expiry) <= soon:
                mark = "! "
            rows.append(
                (
                    mark + line.description,
                    quantity,
                    format_amount(line.unit_price_cents),
                    format_amount(reduction) if reduction else "",
                    format_amount(line.total_cents),
                    format_percent_bp(line.vat_rate_bp),
                )
            )
        for card in sale.gift_cards:  # sold outside VAT: after the goods, "-" in the VAT column
            label = _("Gift card {code}") if card.kind == "new" else _("Gift card top-up {code}")
            amount = format_amount(card.amount_cents)
            rows.append((label.format(code=grouped(card.code)), "1", amount, "", amount, "-"))
        # a new line is the one the cashier acts on next (F4 quantity, F8 remove); otherwise the selection stays
        grew = len(rows) > table.row_count
        table.set_rows(rows, len(rows) - 1 if grew else table.cursor_row)
        if not self.change_shown or not sale.empty:
            self.change_shown = False
            self.query_one("#total-label", Label).update(_("TOTAL"))
            self.query_one("#total", Digits).update(format_amount(sale.total_cents))
        for warning in sale.warnings:
            self.notify(warning, severity="warning", timeout=6)
        tariff = _("tessera {card}").format(card=sale.customer_card) if sale.customer_card else ""
        if sale.take_away:
            tariff = (tariff + "  " if tariff else "") + _("» take-away sale")
        self._update("#hint", tariff)
        self._status()

    def _status(self, printer: str | None = None) -> None:
        ctx = self.ctx
        user = ctx.operator.name if ctx.operator else "-"
        number = self.sale.id if self.sale else "-"
        if printer is not None:
            self._printer_state = printer
        # the printer's state before the site and counter: at 80 columns the end of the line is
        # cut, and the header above already names the site and the counter
        self._update(
            "#status",
            _("{user} | shift open | sale {sale} | printer: {printer} | {site} | {counter}").format(
                user=user,
                site=ctx.counter.site_name,
                counter=ctx.counter.name,
                sale=number,
                printer=self._printer_state,  # the last known state, until the next check
            ),
        )

    def _update(self, selector: str, text: str) -> None:
        """Redraw a line only when its text changes: each update lays the screen out again."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    def _refresh_printer(self) -> None:
        if self.ctx.fiscal_printer and self.host.fiscal_queue is not None:
            self._refresh_rt(self.host.fiscal_queue, self.ctx.fiscal_printer)
            return
        queue, name = self.host.queue, self.ctx.receipt_printer
        if queue is None or name is None:
            self._status(_("none") if name is None else None)
            return

        def show(state: object) -> None:
            pending = getattr(state, "pending", 0)
            kind = getattr(state, "state", "unknown")
            label = _(kind)
            self._status(label + (f" ({pending})" if pending else ""))
            self._say_printer_change(name, kind, pending, getattr(state, "last_error", None))
            if kind == "unconfirmed":
                self._ask_if_printed(name)

        self.call(queue.state, name, done=show)

    def _ask_if_printed(self, name: str) -> None:
        """The printer took a slip without confirming it: only the cashier can see whether it came
        out. Printed, it is done; not printed, a copy marked COPIA is queued (never a second original)."""
        if not getattr(self, "_asking_printed", False):
            self.till.flow(self._printed_or_copy(name))

    async def _printed_or_copy(self, name: str) -> None:
        from pos.tui.dialogs import Choice

        till = self.till
        jobs = await till.run(unconfirmed_jobs, till.db, [name])
        if not jobs or getattr(self, "_asking_printed", False):
            return
        job_id = jobs[0][0]
        self._asking_printed = True
        try:
            choice = await till.ask(
                Choice(
                    _("Printer {name} took slip {job} without confirming it. Did it print?").format(
                        name=name, job=job_id
                    ),
                    [(1, _("Yes, it printed")), (0, _("No: print it again (marked COPIA)"))],
                )
            )
        finally:
            self._asking_printed = False
        if choice is None:
            return  # asked again at the next check
        await till.run(confirm_printed, till.db, job_id, actor=till.operator, printed=bool(choice))
        if self.host.queue is not None:
            self.host.queue.kick()
        self._refresh_printer()

    def _refresh_rt(self, queue: FiscalQueue, name: str) -> None:
        """The RT's state in words on the status line (the documents still to issue counted)."""
        from receipts.fiscal.queue import state_words

        def show(state: object) -> None:
            kind = getattr(state, "state", "unknown")
            pending = getattr(state, "pending", 0)
            words = state_words(kind, pending)
            if self.ctx.settings.printers[name].options.get("simulated"):
                words = _("SIMULATED RT, not fiscal") + " · " + words
            self._status(words)
            self._say_printer_change(name, kind, pending, getattr(state, "last_error", None))

        self.call(queue.state, name, done=show)

    def _say_printer_change(self, name: str, kind: str, pending: int, error: str | None) -> None:
        """A notice when the printer fails and when it is back; selling goes on either way."""
        before, self._printer_kind = self._printer_kind, kind
        if kind in FAULTS and kind != before:
            self.notify(
                _("{pending} slip(s) wait in the queue and print when it is back; selling goes on.").format(
                    pending=pending
                )
                + (f" ({error})" if error else ""),
                title=_("Printer {name}: {state}").format(name=name, state=_(kind)),
                severity="warning",
                timeout=10,
            )
        elif kind == "ok" and before in FAULTS:
            self.notify(_("Printer {name} is back.").format(name=name), timeout=4)

    # ------------------------------------------------------------------ typing and scanning

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "entry":
            return
        text = event.value.strip()
        results = self.query_one("#results", OptionList)
        index = self.ctx.index
        query = text.split("*", 1)[-1].strip()
        if index is None or len(query) < 2 or query.isdigit():
            results.display = False
            self.hits = []
            return
        self.hits = index.search(query, limit=6)
        results.clear_options()
        results.add_options(
            [
                Option(
                    f"{h.name}  {format_amount(h.price_cents)}{'/kg' if h.sold_by_weight else ''}", id=str(h.product_id)
                )
                for h in self.hits
            ]
        )
        results.display = bool(self.hits)
        if self.hits:
            results.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "entry" or self.sale is None:
            return
        text = event.value
        try:
            entry = parse_entry(text)
        except InvalidInput as exc:
            self.notify(str(exc), severity="error")
            return
        event.input.value = ""
        if not entry.code:
            if entry.grams:
                self.pending_grams = entry.grams
                self._update(
                    "#hint", _("weight {kg} kg: now scan or choose the product").format(kg=format_kg(entry.grams))
                )
            return
        quantity = entry.grams or entry.pieces or self.pending_grams
        self.pending_grams = None
        results = self.query_one("#results", OptionList)
        if not entry.looks_like_code and self.hits:
            hit = self.hits[results.highlighted or 0]
            self._add_hit(hit, entry.grams or entry.pieces)
            return
        hits = list(self.hits)
        results.display = False

        def not_found(exc: OrtoError) -> None:
            if isinstance(exc, NotFound) and hits and not entry.code.isdigit():
                self._add_hit(hits[0], quantity)
            else:
                self.notify(str(exc), severity="error", timeout=6)

        self.call(
            selling.add_item,
            self.ctx.db,
            self.sale.id,
            self._user,
            entry.code,
            quantity=quantity,
            done=self._show,
            failed=not_found,
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "results" and self.hits:
            self._add_hit(self.hits[event.option_index], None)

    def _add_hit(self, hit: Hit, quantity: int | None) -> None:
        assert self.sale is not None
        self.query_one("#results", OptionList).display = False
        self.query_one("#entry", Input).value = ""
        self.query_one("#entry", Input).focus()
        sale_id = self.sale.id
        if hit.sold_by_weight and quantity is None:
            from pos.tui.dialogs import TextPrompt

            def weighed(text: str | None) -> None:
                if text:
                    try:
                        grams = parse_entry(text.rstrip("*") + "*x").grams
                    except InvalidInput as exc:
                        self.notify(str(exc), severity="error")
                        return
                    self.call(
                        selling.add_product,
                        self.ctx.db,
                        sale_id,
                        self._user,
                        hit.product_id,
                        quantity=grams,
                        done=self._show,
                    )

            self.app.push_screen(
                TextPrompt(_("Weight of {product} in kg").format(product=hit.name), format_kg(1250)), weighed
            )
            return
        self.call(
            selling.add_product,
            self.ctx.db,
            sale_id,
            self._user,
            hit.product_id,
            quantity=quantity,
            done=self._show,
        )

    def add_quick(self, product_id: int) -> None:
        """From the bar's quick keys."""
        if self.sale is not None:
            self.call(selling.add_product, self.ctx.db, self.sale.id, self._user, product_id, done=self._show)

    # ------------------------------------------------------------------ keys

    def _selected_line(self) -> int | None:
        table = self.query_one("#cart", CartTable)
        if self.sale is None or not self.sale.lines or table.cursor_row < 0:
            return None
        return self.sale.lines[min(table.cursor_row, len(self.sale.lines) - 1)].id

    def action_cursor(self, step: int) -> None:
        results = self.query_one("#results", OptionList)
        if results.display and self.hits:
            current = results.highlighted or 0
            results.highlighted = max(0, min(len(self.hits) - 1, current + step))
            return
        if self._move_among_quick_keys(rows=step):
            return
        table = self.query_one("#cart", CartTable)
        table.move_cursor(table.cursor_row + step)

    def _quick_columns(self) -> int:
        return 2 if self.has_class("-wide-side") else 1  # as laid out by till.tcss

    def _move_among_quick_keys(self, rows: int = 0, keys: int = 0) -> bool:
        """Move the focus a row up or down the grid (``rows``) or a key on in reading order
        (``keys``) when a quick key has it; False when none has. Each group is a grid of its own:
        a row down from a group's last row is the next group's first, in the same column."""
        focused = self.focused
        if focused is None or not focused.has_class("quick"):
            return False
        grids = [list(grid.query(".quick")) for grid in self.query(".quick-grid")]
        grids = [grid for grid in grids if grid]
        g = next(i for i, grid in enumerate(grids) if focused in grid)
        at, cols = grids[g].index(focused), self._quick_columns()
        if keys:
            flat = [key for grid in grids for key in grid]
            target = flat[max(0, min(len(flat) - 1, flat.index(focused) + keys))]
        elif rows > 0:
            if at + cols < len(grids[g]):
                target = grids[g][at + cols]
            elif g + 1 < len(grids):
                target = grids[g + 1][min(at % cols, len(grids[g + 1]) - 1)]
            else:
                target = grids[g][-1] if at // cols < (len(grids[g]) - 1) // cols else focused
        elif at - cols >= 0:
            target = grids[g][at - cols]
        elif g > 0:
            previous = grids[g - 1]
            last_row = (len(previous) - 1) // cols * cols
            target = previous[min(last_row + at % cols, len(previous) - 1)]
        else:
            target = focused
        target.focus()
        return True

    def action_quick_side(self, step: int) -> None:
        self._move_among_quick_keys(keys=step)

    def action_clear(self) -> None:
        self.query_one("#entry", Input).value = ""
        self.query_one("#results", OptionList).display = False
        self.pending_grams = None

    def action_search(self) -> None:
        self.query_one("#entry", Input).focus()

    def _prompt(self, title: str, placeholder: str, then: Callable[[str | None], None]) -> None:
        from pos.tui.dialogs import TextPrompt

        self.app.push_screen(TextPrompt(title, placeholder), then)

    def action_quantity(self) -> None:
        line = self._selected_line()
        if line is None or self.sale is None:
            return
        weighed = next(x for x in self.sale.lines if x.id == line).weighed
        sale_id = self.sale.id

        def apply(text: str | None) -> None:
            if not text:
                return
            try:
                quantity = parse_entry(text + "*x").grams if weighed else int(text)
            except (InvalidInput, ValueError):
                self.notify(_("{text!r} is not a quantity").format(text=text), severity="error")
                return
            self.call(selling.set_quantity, self.ctx.db, sale_id, self._user, line, quantity or 0, done=self._show)

        self._prompt(_("New weight in kg") if weighed else _("New quantity"), "1,250" if weighed else "2", apply)

    def action_discount(self) -> None:
        if self.sale is None or not self.sale.lines:
            return
        line = self._selected_line()
        sale_id = self.sale.id

        def apply(text: str | None) -> None:
            if not text:
                return
            whole = text.lower().startswith("t")
            value = text[1:].strip() if whole else text.strip()
            try:
                percent = parse_percent_bp(value) if value.endswith("%") else None
                amount = None if percent is not None else parse_money(value)
            except InvalidInput as exc:
                self.notify(str(exc), severity="error")
                return
            if whole:
                self.call(
                    selling.discount_sale,
                    self.ctx.db,
                    self.ctx.settings,
                    sale_id,
                    self._user,
                    percent_bp=percent,
                    amount_cents=amount,
                    done=self._show,
                )
            elif line is not None:
                self.call(
                    selling.discount_line,
                    self.ctx.db,
                    self.ctx.settings,
                    sale_id,
                    self._user,
                    line,
                    percent_bp=percent,
                    amount_cents=amount,
                    done=self._show,
                )

        self._prompt(_("Discount on the line: 10%, or 1.50 (T10%: the whole sale)"), "10%", apply)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("take_away", "take_away_sale"):
            return self.ctx.counter.kind is CounterKind.BAR  # the emporio sells at the shelf rate
        return True

    def action_take_away(self) -> None:
        line = self._selected_line()
        if line is None or self.sale is None:
            return
        now = not next(x for x in self.sale.lines if x.id == line).take_away
        self.call(selling.set_take_away, self.ctx.db, self.sale.id, self._user, now, line_id=line, done=self._show)

    def action_take_away_sale(self) -> None:
        if self.sale is None:
            return
        away = not self.sale.take_away
        self.call(selling.set_take_away, self.ctx.db, self.sale.id, self._user, away, done=self._show)

    def action_remove(self) -> None:
        table = self.query_one("#cart", CartTable)
        if self.sale is not None and self.sale.gift_cards and table.cursor_row >= len(self.sale.lines):
            from pos.selling.gift_cards import remove_card

            card = self.sale.gift_cards[min(table.cursor_row - len(self.sale.lines), len(self.sale.gift_cards) - 1)]
            self.call(remove_card, self.ctx.db, self.sale.id, self._user, card.id, done=self._show)
            return
        line = self._selected_line()
        if line is not None and self.sale is not None:
            self.call(selling.remove_line, self.ctx.db, self.sale.id, self._user, line, done=self._show)

    def action_card(self) -> None:
        if self.sale is None:
            return
        sale_id = self.sale.id

        def apply(card: str | None) -> None:
            if card == "-":
                self.call(selling.set_price_list, self.ctx.db, sale_id, self._user, None, done=self._show)
            elif card:
                self.call(
                    selling.set_price_list,
                    self.ctx.db,
                    sale_id,
                    self._user,
                    "tessera",
                    card=card,
                    settings=self.ctx.settings,
                    done=self._show,
                )

        self._prompt(_("Neighbourhood card number (- to remove)"), "T-0000", apply)

    def action_park(self) -> None:
        if self.sale is None or self.sale.empty:
            return
        from pos.tui.dialogs import TextPrompt

        sale_id = self.sale.id

        def park(name: str | None) -> None:
            if name is None:  # Esc: not parked after all
                return
            self.call(
                selling.park_sale,
                self.ctx.db,
                sale_id,
                self._user,
                name.strip() or None,
                done=lambda _s: self._next_sale(),
            )

        # a name says whose basket it is when several wait (Enter alone parks it without one)
        self.app.push_screen(
            TextPrompt(_("Park the sale: the customer's name (optional)"), empty_is_an_answer=True), park
        )

    def _next_sale(self) -> None:
        self.call(
            selling.start_sale, self.ctx.db, self.ctx.counter.id, self._user, done=self._show, failed=self._no_sale
        )

    def action_pay(self, shares: list[int] | None = None) -> None:
        if self.sale is None or self.sale.empty:
            return
        self.app.push_screen(self.nav.payment(self.sale, shares), self._paid)

    def _paid(self, result: selling.SaleResult | None) -> None:
        if result is None:
            return
        if self.host.queue is not None:
            self.host.queue.kick()
        if self.host.fiscal_queue is not None:
            self.host.fiscal_queue.kick()
        self.change_shown = True
        self.query_one("#total-label", Label).update(_("CHANGE"))
        self.query_one("#total", Digits).update(format_amount(result.change_cents))
        self._update(
            "#hint",
            _("Sale {number}: {total}").format(number=result.sale.number, total=format_amount(result.sale.total_cents)),
        )
        for warning in result.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self._next_sale()

    def show_refund(self, result: selling.SaleResult) -> None:
        """A refund made: the cash to hand over large where the change shows, and what went where."""
        if self.host.queue is not None:
            self.host.queue.kick()
        cash = -sum(p.amount_cents for p in result.sale.payments if p.method is PaymentMethod.CASH)
        self.change_shown = True
        self.query_one("#total-label", Label).update(_("TO HAND BACK"))
        self.query_one("#total", Digits).update(format_amount(cash))
        back = ", ".join(f"{_(p.method.value)} {format_amount(-p.amount_cents)}" for p in result.sale.payments)
        self._update("#hint", _("Refund {number}: {back}").format(number=result.sale.number, back=back))

    def action_menu(self) -> None:
        from pos.tui.menu import MenuEntry, entries_for

        def chosen(entry: MenuEntry | None) -> None:
            if entry is not None:
                entry.action(self)

        assert self.ctx.operator is not None
        entries = entries_for(self.nav.menu_entries(), self.ctx.operator.role, self.ctx.counter.kind)
        self.app.push_screen(self.nav.menu(entries), chosen)

    def action_lock(self) -> None:
        self.ctx.operator = None
        self.app.switch_screen(self.nav.login())

    def reload(self) -> None:
        """After a menu action that changed the counter's sale (resume, refund)."""
        self._next_sale()
