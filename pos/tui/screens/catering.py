"""Catering at the CAP-1 counter: orders by date, a new quote, confirm, the deposit, delivery with
its DDT, the invoice, an order on account and settling an account; the kitchen's plan for a week.

Money a private person pays is put on the counter's sale (the sale screen takes the payment when
this screen closes); a business's is recorded with its TD02 invoice. PDFs and invoice files go to
the documents folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from catering import delivery, invoices, lookup, money, orders, plan
from catering.orders import MenuLine, QuoteInput
from orto.errors import InvalidInput, OrtoError
from orto.i18n import N_, format_datetime
from orto.i18n import gettext as _
from orto.localtime import ROME
from orto.money import format_amount, format_money, parse_money
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.parsing import parse_day, parse_whole
from pos.tui.routes import SaleHost


def _time(text: str) -> time:
    try:
        hours, _sep, minutes = text.strip().partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise InvalidInput(_("{text!r}: a time as 13:30 expected").format(text=text)) from None


class CateringScreen(KitchenScreen):
    TITLE_TEXT = N_("Catering")
    BINDINGS = [
        Binding("n", "new", _("New quote")),
        Binding("c", "confirm", _("Confirm")),
        Binding("d", "deposit", _("Deposit")),
        Binding("v", "deliver", _("Deliver")),
        Binding("i", "invoice", _("Invoice")),
        Binding("a", "account", _("On account")),
        Binding("s", "settle", _("Settle account")),
        Binding("e", "statement", _("Statement")),
        Binding("p", "plan", _("Kitchen plan")),
        Binding("x", "cancel_order", _("Cancel")),
        Binding("escape", "back", _("Back")),
    ]
    DAYS_BACK, DAYS_AHEAD = 7, 90

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[orders.OrderRow] = []
        self._quote: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="c-orders", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#c-orders", DataTable).add_columns(
            _("Order"), _("Event"), _("Customer"), _("Guests"), _("State"), _("Total €"), _("Paid €")
        )
        self.reload()

    def idle(self) -> None:
        self.stop_asking(
            _(
                "N new quote · C confirm · D deposit · V deliver · I invoice · A on account · "
                "S settle an account · E statement · P kitchen plan · X cancel · Esc back"
            )
        )
        self.query_one("#c-orders", DataTable).focus()

    def reload(self) -> None:
        now = datetime.now(UTC)
        self.call(
            orders.orders_between,
            self.ctx.db,
            self.actor,
            now - timedelta(days=self.DAYS_BACK),
            now + timedelta(days=self.DAYS_AHEAD),
            done=self._show,
        )

    def _show(self, rows: list[orders.OrderRow]) -> None:
        self.rows = rows
        table = self.query_one("#c-orders", DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r.number,
                format_datetime(r.event_at),
                r.customer,
                str(r.guests),
                _(r.status),
                format_amount(r.total_cents),
                format_amount(r.paid_cents),
                key=str(r.id),
            )
        self.info(_("{n} orders and quotes, by event date").format(n=len(rows)))
        self.idle()

    def selected(self) -> orders.OrderRow | None:
        table = self.query_one("#c-orders", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            self.notify(_("no order chosen"), severity="warning")
            return None
        return self.rows[table.cursor_row]

    def done(self, message: str) -> None:
        self.notify(message)
        self.reload()

    @property
    def actor(self) -> Any:
        return self.ctx.operator

    # -- a new quote, one question at a time

    def action_new(self) -> None:
        if self.asking:
            return
        self._quote = {"lines": []}
        self.ask(_("Customer (name, code or partita IVA)"), self._customer)

    def _customer(self, text: str) -> None:
        self._find_customer(text, self._chosen_customer)

    def _chosen_customer(self, customer_id: int) -> None:
        self._quote["customer"] = customer_id
        self.ask(_("Event day (25/11, +30)"), self._day, parse=lambda t: parse_day(t, self.today))

    def _day(self, day: Any) -> None:
        if day is None:
            self.idle()
            return
        self._quote["day"] = day
        self.ask(_("Time"), self._hour, default="13:00", parse=_time)

    def _hour(self, at: time) -> None:
        self._quote["at"] = datetime.combine(self._quote["day"], at, ROME).astimezone(UTC)
        self.ask(_("Guests"), self._guests, parse=parse_whole)

    def _guests(self, guests: int) -> None:
        self._quote["guests"] = guests
        self.ask(_("Place"), self._place)

    def _place(self, place: str) -> None:
        self._quote["place"] = place
        self._ask_dish()

    def _ask_dish(self) -> None:
        n = len(self._quote["lines"])
        self.ask(
            _("Dish {n}: @CODE:PORTION DESCRIPTION=PRICE, xQTY in total, /p per guest (empty: done)").format(n=n + 1),
            self._dish,
            placeholder="@LASV:250 Lasagne=12,00",
        )

    def _dish(self, text: str) -> None:
        if not text:
            self.ask(_("Dietary requirements"), self._save_quote)
            return

        def parsed(line: MenuLine) -> None:
            self._quote["lines"].append(line)
            self._ask_dish()

        def refused(exc: OrtoError) -> None:
            self.notify(str(exc), severity="error")
            self._ask_dish()

        self.call(lookup.dish, self.ctx.db, text, done=parsed, failed=refused)

    def _save_quote(self, dietary: str) -> None:
        q = self._quote
        data = QuoteInput(q["customer"], q["at"], q["guests"], q["lines"], place=q["place"], dietary=dietary)
        self.call(
            orders.create_quote,
            self.ctx.db,
            self.actor,
            data,
            done=lambda _id: self.done(_("quote saved")),
            failed=self.fail,
        )

    # -- the order's steps

    def action_confirm(self) -> None:
        row = self.selected()
        if row and not self.asking:
            self.call(
                orders.confirm,
                self.ctx.db,
                self.actor,
                row.id,
                done=lambda _r: self.done(_("{n} confirmed").format(n=row.number)),
                failed=self.fail,
            )

    def action_deposit(self) -> None:
        row = self.selected()
        if row is None or self.asking:
            return
        due = row.total_cents - row.paid_cents
        suggested = min(due, row.total_cents * 30 // 100) if row.paid_cents == 0 else due
        kind = "deposit" if row.status in ("confirmed", "prepared") else "balance"

        def take(amount: int) -> None:
            self.call(
                money.take_payment,
                self.ctx.db,
                self.actor,
                row.id,
                amount,
                kind=kind,
                method="counter",
                counter_id=self.ctx.counter.id,
                settings=self.ctx.settings,
                done=taken,
                failed=self.fail,
            )

        def taken(result: money.PaymentTaken) -> None:
            if result.sale_id:
                self.done(_("on the counter's sale: Esc and take the payment there"))
            else:
                self.done(_("recorded with its deposit invoice"))

        self.ask(
            _("Amount (€) for {n}, {due} due").format(n=row.number, due=format_money(due)),
            take,
            default=format_amount(suggested),
            parse=parse_money,
        )

    def action_deliver(self) -> None:
        row = self.selected()
        if row is None or self.asking:
            return

        def delivered(note_id: int) -> None:
            from catering.documents import ddt_pdf
            from pos.tui import documents

            path = documents.documents_dir() / f"DDT-{row.number}-{note_id}.pdf"
            self.call(
                ddt_pdf,
                self.ctx.db,
                self.ctx.settings,
                note_id,
                path,
                done=lambda _r: self.done(_("delivered; DDT in {path}").format(path=path)),
            )

        self.call(delivery.deliver, self.ctx.db, self.actor, row.id, done=delivered, failed=self.fail)

    def action_invoice(self) -> None:
        row = self.selected()
        if row is None or self.asking:
            return

        def issued(invoice_id: int) -> None:
            from catering.documents import invoice_pdf
            from pos.tui import documents

            folder = documents.documents_dir()
            path = invoices.export_xml(self.ctx.db, invoice_id, folder)
            invoice_pdf(self.ctx.db, self.ctx.settings, invoice_id, path.with_suffix(".pdf"))
            self.done(_("invoice {name} in {folder}").format(name=path.name, folder=folder))

        self.call(
            invoices.invoice_order, self.ctx.db, self.ctx.settings, self.actor, row.id, done=issued, failed=self.fail
        )

    def action_account(self) -> None:
        row = self.selected()
        if row and not self.asking:
            self.call(
                money.put_on_account,
                self.ctx.db,
                self.actor,
                row.id,
                done=lambda _r: self.done(_("{n} put on account").format(n=row.number)),
                failed=self.fail,
            )

    def action_settle(self) -> None:
        if self.asking:
            return
        self.ask(_("Settle the account of (name, code or partita IVA)"), self._settle_who)

    def _settle_who(self, text: str) -> None:
        self._find_customer(text, self._settle_amount)

    def _find_customer(self, text: str, then: Callable[[int], None]) -> None:
        """The customer a name, code or partita IVA finds (asked which when several do)."""

        def found(rows: list[tuple[int, str]]) -> None:
            if not rows:
                self.notify(_("{text!r}: no such customer").format(text=text), severity="error")
                self.idle()
            elif len(rows) == 1:
                then(rows[0][0])
            else:
                self.pick(_("Which customer?"), rows, then)

        self.call(lookup.customers_matching, self.ctx.db, text, done=found)

    def action_statement(self) -> None:
        """A customer's statement: charges and payments, the balance after each, what is overdue."""
        if self.asking:
            return
        self.ask(_("Statement of (name, code or partita IVA)"), self._statement_of)

    def _statement_of(self, text: str) -> None:
        def show(found: money.Statement) -> None:
            self.info("\n".join(money.statement_lines(found)))

        def read(customer_id: int) -> None:
            self.call(money.statement, self.ctx.db, self.actor, customer_id, done=show, failed=self.fail)

        self._find_customer(text, read)

    def _settle_amount(self, customer_id: int) -> None:
        def ask(balance: int) -> None:
            self.ask(
                _("Amount (€), balance {b}").format(b=format_money(balance)),
                pay,
                default=format_amount(balance),
                parse=parse_money,
            )

        def pay(amount: int) -> None:
            self.call(
                money.settle_account,
                self.ctx.db,
                self.actor,
                customer_id,
                amount,
                method="counter",
                counter_id=self.ctx.counter.id,
                done=settled,
                failed=self.fail,
            )

        def settled(result: money.PaymentTaken) -> None:
            self.done(_("on the counter's sale: Esc and take the payment there") if result.sale_id else _("recorded"))

        self.call(lookup.account_balance_of, self.ctx.db, customer_id, done=ask)

    def action_plan(self) -> None:
        if self.asking:
            return

        def show(p: plan.KitchenPlan) -> None:
            from orto.money import format_quantity

            lines = [_("Kitchen plan {a} – {b}: {n} dishes").format(a=p.first, b=p.last, n=len(p.dishes))]
            for item in (*p.ready, *p.ingredients):
                short = (
                    "  " + _("SHORT {q}").format(q=format_quantity(item.short, item.unit.value)) if item.short else ""
                )
                rescue = " ♻" if any(lot.rescue for lot in item.lots) else ""
                lines.append(f"  {item.product}: {format_quantity(item.needed, item.unit.value)}{rescue}{short}")
            self.info("\n".join(lines))

        self.call(
            plan.kitchen_plan,
            self.ctx.db,
            self.today,
            days=7,
            site_code=self.ctx.counter.site_code,
            done=show,
            failed=self.fail,
        )

    def action_cancel_order(self) -> None:
        row = self.selected()
        if row is None or self.asking:
            return
        self.ask(
            _("Why is {n} cancelled?").format(n=row.number),
            lambda reason: self.call(
                orders.cancel,
                self.ctx.db,
                self.actor,
                row.id,
                reason,
                done=lambda _r: self.done(_("{n} cancelled").format(n=row.number)),
                failed=self.fail,
            ),
        )


def open_catering(origin: SaleHost) -> None:
    """From the menu; back on the sale screen, its sale is read again (an order may have made one)."""
    origin.app.push_screen(CateringScreen(), lambda _result: origin.reload())
