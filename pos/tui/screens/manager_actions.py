"""The built-in menu entries: parked sales, refunds, reprints, price check, cash, reports, shift, tabs."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from inventory.search import Hit
from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import N_, format_date, format_time
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import CounterKind, PaymentMethod
from orto.money import format_amount, format_kg, parse_money
from orto.policy import Action
from pos import selling
from pos.selling import RefundLine
from pos.tui.keys import KeyBar
from pos.tui.menu import MANAGERS, MenuEntry, register
from pos.tui.screens.dialogs import TextPreview, TextPrompt
from pos.tui.screens.refund import AS_PAID, RefundScreen
from pos.tui.screens.sale import SaleScreen
from receipts.documents import shift_report
from receipts.layout import render_text


class Choice(ModalScreen[int | None]):
    """Pick one of a list (parked sales, tabs); Esc to give up."""

    BINDINGS = [Binding("escape", "cancel", _("Back"))]

    def __init__(self, title: str, options: list[tuple[int, str]]) -> None:
        super().__init__()
        self.choice_title = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.choice_title, classes="dialog-title")
            yield OptionList(*[Option(text, id=str(key)) for key, text in self.options], id="choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _user(screen: SaleScreen) -> selling.Operator:
    assert screen.ctx.operator is not None
    return screen.ctx.operator


def _parked_with_names(db: Database, counter_id: int) -> tuple[list[selling.SaleView], dict[int, str]]:
    return selling.parked_sales(db, counter_id), {u.id: u.name for u in selling.list_users(db)}


def parked(screen: SaleScreen) -> None:
    def show(found: tuple[list[selling.SaleView], dict[int, str]]) -> None:
        sales, names = found
        if not sales:
            screen.notify(_("No parked sales."))
            return
        # whose basket (the name given at F6), since when, who rang it: told apart at a glance
        options = [
            (
                s.id,
                f"{(s.note or '-')[:22]:<22} {format_time(s.started_at)}  {names.get(s.user_id, '-')[:12]:<12}"
                f" {len(s.lines):>3} " + _("items") + f" {format_amount(s.total_cents):>9}",
            )
            for s in sales
        ]

        def resume(sale_id: int | None) -> None:
            if sale_id:
                screen.call(selling.resume_sale, screen.ctx.db, sale_id, _user(screen), done=screen._show)

        screen.app.push_screen(Choice(_("Parked sales"), options), resume)

    screen.call(_parked_with_names, screen.ctx.db, screen.ctx.counter.id, done=show)


def refund(screen: SaleScreen) -> None:
    def found(number: str | None) -> None:
        if not number:
            return

        def choose(lines: list[tuple[int, str, int]]) -> None:
            listing = "  ".join(f"{i}) {d} ({q})" for i, (_id, d, q) in enumerate(lines, 1) if q)

            def confirm(answer: str | None) -> None:
                if answer is None:
                    return
                try:
                    chosen = _parse_refund(answer, lines)
                except InvalidInput as exc:
                    screen.notify(str(exc), severity="error")
                    return

                def plans() -> tuple[selling.RefundPlan, selling.RefundPlan]:
                    db = screen.ctx.db
                    return (
                        selling.refund_plan(db, number, lines=chosen),
                        selling.refund_plan(db, number, lines=chosen, to_method=PaymentMethod.CASH),
                    )

                def shown(both: tuple[selling.RefundPlan, selling.RefundPlan]) -> None:
                    screen.app.push_screen(RefundScreen(*both), make)

                def make(choice: str | None) -> None:
                    if choice is None:
                        return
                    screen.call(
                        selling.refund,
                        screen.ctx.db,
                        screen.ctx.settings,
                        number,
                        screen.ctx.counter.id,
                        _user(screen),
                        lines=chosen,
                        to_method=None if choice == AS_PAID else PaymentMethod(choice),
                        done=screen.show_refund,
                    )

                screen.call(plans, done=shown)

            screen.app.push_screen(
                TextPrompt(
                    _("Refund what? Enter = everything; or 1, 1x2, 2d (d = not resellable). {lines}").format(
                        lines=listing
                    ),
                    empty_is_an_answer=True,
                ),
                confirm,
            )

        screen.call(selling.refundable, screen.ctx.db, number, done=choose)

    screen.app.push_screen(TextPrompt(_("Scan the slip's barcode or type the sale number")), found)


def _parse_refund(answer: str, lines: list[tuple[int, str, int]]) -> list[RefundLine] | None:
    """'' = all; '1, 2x3, 3d' = line 1 whole, 3 of line 2, line 3 whole and not resellable."""
    if not answer.strip():
        return None
    chosen = []
    for part in answer.replace(" ", "").split(","):
        damaged = part.endswith("d")
        part = part.rstrip("d")
        position, _x, quantity = part.partition("x")
        if not position.isdigit() or not 1 <= int(position) <= len(lines) or (quantity and not quantity.isdigit()):
            raise InvalidInput(_("{part!r}: write a line number, optionally x quantity").format(part=part))
        line_id, _description, left = lines[int(position) - 1]
        chosen.append(RefundLine(line_id, int(quantity) if quantity else left, restock=not damaged))
    return chosen


def reprint_last(screen: SaleScreen) -> None:
    from receipts.queue import last_job_for, reprint

    def go(job: int | None) -> None:
        if job is None:
            screen.notify(_("No slip to reprint yet."))
        else:
            screen.call(
                reprint, screen.ctx.db, job, actor=_user(screen), done=lambda new: screen.notify(_("Reprint queued."))
            )

    screen.call(last_job_for, screen.ctx.db, screen.ctx.counter.id, done=go)


def reprint_any(screen: SaleScreen) -> None:
    from receipts.queue import reprint

    def go(text: str | None) -> None:
        if text and text.isdigit():
            screen.call(
                reprint,
                screen.ctx.db,
                int(text),
                actor=_user(screen),
                done=lambda new: screen.notify(_("Reprint queued.")),
            )

    screen.app.push_screen(TextPrompt(_("Print job number (see orto printer queue --all)")), go)


def price_check(screen: SaleScreen) -> None:
    def go(code: str | None) -> None:
        if not code:
            return

        def show(check: selling.PriceCheck) -> None:
            unit = "/kg" if check.unit == "kg" else ""
            quantity = f"{format_kg(check.on_hand)} kg" if check.unit == "kg" else str(check.on_hand)
            lots = "\n".join(
                f"  {code}  {format_date(_iso(expiry)) if expiry else '-'}  {q}" for code, expiry, q in check.lots
            )
            screen.app.push_screen(
                TextPreview(
                    check.name,
                    "\n".join(
                        [
                            _("Price: {price} €{unit}").format(price=format_amount(check.price_cents), unit=unit),
                            _("On hand here: {quantity}").format(quantity=quantity),
                            _("Lots:"),
                            lots or "  -",
                        ]
                    ),
                )
            )

        hits = _search(screen, code)
        product_id = hits[0].product_id if hits and not code.isdigit() else None
        screen.call(selling.price_check, screen.ctx.db, screen.ctx.counter.id, code, product_id=product_id, done=show)

    screen.app.push_screen(TextPrompt(_("Price check: scan or type a product")), go)


def stock_lookup(screen: SaleScreen) -> None:
    """Lots, dates and quantities of a product at every site and location."""
    from inventory.stock_lookup import StockRow, stock_of_product
    from orto.money import format_quantity

    def go(code: str | None) -> None:
        if not code:
            return

        def found(check: selling.PriceCheck) -> None:
            screen.call(
                stock_of_product,
                screen.ctx.db,
                check.product_id,
                today=local_today(),
                done=lambda rows: show(check, rows),
            )

        def show(check: selling.PriceCheck, rows: list[StockRow]) -> None:
            lines = [f"{check.code}  {check.name}", ""]
            for row in rows:
                when = format_date(row.expiry) if row.expiry else "-"
                lines.append(
                    f"{row.site:<4}{row.location[:14]:<15}{row.lot_code[:18]:<19}{when:>9} "
                    f"{format_quantity(row.quantity, check.unit):>12}"
                )
                if row.blocked:
                    lines.append("      " + row.blocked)
            if not rows:
                lines.append(_("No stock at any site."))
            screen.app.push_screen(TextPreview(_("Stock at every site"), "\n".join(lines)))

        hits = _search(screen, code)
        product_id = hits[0].product_id if hits and not code.isdigit() else None
        screen.call(selling.price_check, screen.ctx.db, screen.ctx.counter.id, code, product_id=product_id, done=found)

    screen.app.push_screen(TextPrompt(_("Stock lookup: scan or type a product")), go)


def _iso(text: str) -> date:
    return date.fromisoformat(text)


def _search(screen: SaleScreen, text: str) -> list[Hit]:
    index = screen.ctx.index
    return index.search(text, limit=1) if index else []


def _amount(screen: SaleScreen, text: str | None) -> int | None:
    """Cents from what was typed in a prompt, or None (nothing typed, or malformed: said on screen)."""
    if not text:
        return None
    try:
        return parse_money(text)
    except InvalidInput as exc:
        screen.notify(str(exc), severity="error")
        return None


def _cash(screen: SaleScreen, sign: int) -> None:
    def amount_then_reason(text: str | None) -> None:
        cents = _amount(screen, text)
        if cents is None:
            return

        def with_reason(reason: str | None) -> None:
            if reason:
                screen.call(
                    selling.cash_movement,
                    screen.ctx.db,
                    screen.ctx.counter.id,
                    _user(screen),
                    sign * cents,
                    reason,
                    done=lambda _r: screen.notify(_("Recorded.")),
                )

        screen.app.push_screen(TextPrompt(_("Reason")), with_reason)

    screen.app.push_screen(
        TextPrompt(_("Cash in") if sign > 0 else _("Cash out"), format_amount(1000)), amount_then_reason
    )


def donation(screen: SaleScreen) -> None:
    def go(text: str | None) -> None:
        cents = _amount(screen, text)
        if cents is None:
            return
        screen.call(
            selling.donate_to_fund,
            screen.ctx.db,
            screen.ctx.counter.id,
            _user(screen),
            cents,
            done=lambda balance: screen.notify(
                _("Thank you! The fund now holds {balance} €").format(balance=format_amount(balance))
            ),
        )

    screen.app.push_screen(TextPrompt(_("Spesa sospesa donation (cash)"), format_amount(500)), go)


def x_report(screen: SaleScreen) -> None:
    def show(totals: dict[str, Any]) -> None:
        doc = {"kind": "x_report", "counter": screen.ctx.counter.name, "number": 0, "totals": totals}
        screen.app.push_screen(TextPreview(_("X report"), render_text(shift_report(doc))))

    screen.call(
        selling.print_x_report, screen.ctx.db, screen.ctx.settings, screen.ctx.counter.id, _user(screen), done=show
    )


def close_day(screen: SaleScreen) -> None:
    """The day's close in one flow: the last shift's count and difference, then the Z."""
    from pos.tui.screens.shift import ShiftScreen

    screen.app.switch_screen(ShiftScreen(closing=True, take_z=True))


def close_shift(screen: SaleScreen) -> None:
    from pos.tui.screens.shift import ShiftScreen

    screen.app.switch_screen(ShiftScreen(closing=True))


def near_expiry_list(screen: SaleScreen) -> None:
    from inventory.near_expiry import NearExpiry, near_expiry

    days = screen.ctx.settings.near_expiry_days

    def show(found: list[NearExpiry]) -> None:
        from orto.money import format_quantity

        # The title's window only: lots already past their date are counted at the end (their
        # place is *Record waste* or a donation, not this list); two lines a lot so that at
        # 80 columns neither the quantity nor the advice wraps.
        soon = [n for n in found if n.days_left >= 0]
        lines = []
        for n in soon:
            quantity = format_quantity(n.quantity, n.unit.value)
            lines.append(f"{format_date(n.expiry)} {n.product[:24]:<24} {n.lot_code[:14]:<14} {quantity:>12}")
            lines.append(("           → " + _(n.action).format(**n.action_args))[:68])
        past = len(found) - len(soon)
        if past:
            lines += ["", _("{count} more lots are past their date: see Record waste.").format(count=past)]
        title = _("Lots within {days} days of their date").format(days=days)
        screen.app.push_screen(TextPreview(title, "\n".join(lines) or _("Nothing near its date.")))

    screen.call(near_expiry, screen.ctx.db, screen.ctx.counter.site_id, days=days, done=show)


def lottery_code(screen: SaleScreen) -> None:
    """The customer's lotteria degli scontrini code on the open sale; it reaches the RT with it."""
    from pos.selling.fiscal import set_lottery_code

    if not screen.ctx.fiscal_printer:
        screen.notify(_("This counter has no RT: the lotteria code goes only on a documento commerciale."))
        return
    if screen.sale is None or not screen.sale.lines:
        screen.notify(_("Ring up the sale first, then add the lotteria code."))
        return
    sale_id = screen.sale.id

    def go(code: str | None) -> None:
        if code:
            assert screen.ctx.operator is not None
            screen.call(
                set_lottery_code,
                screen.ctx.db,
                sale_id,
                screen.ctx.operator,
                code,
                done=lambda clean: screen.notify(_("Lotteria code {code} added to the sale.").format(code=clean)),
            )

    screen.app.push_screen(TextPrompt(_("Lotteria degli scontrini: the customer's code (8 characters)")), go)


def tabs(screen: SaleScreen) -> None:
    from pos.tui.screens.tabs import TabsScreen

    screen.app.push_screen(TabsScreen(screen))


A = Action
register(MenuEntry("parked", N_("Parked sales"), parked, needs=A.SELL))
register(MenuEntry("refund", N_("Refund"), refund, needs=A.REFUND))
register(MenuEntry("reprint", N_("Reprint the last slip"), reprint_last, needs=A.PRINTERS))
register(MenuEntry("reprint_any", N_("Reprint a slip by job number"), reprint_any, needs=A.PRINTERS))
register(MenuEntry("price", N_("Price check and stock"), price_check))
register(MenuEntry("stock", N_("Stock lookup (lots, dates, every site)"), stock_lookup))
register(MenuEntry("near_expiry", N_("Near-expiry list"), near_expiry_list))
register(MenuEntry("tabs", N_("Tables and tabs"), tabs, counters=frozenset({CounterKind.BAR}), needs=A.TAB))
# money into the drawer is the business of whoever works the drawer (who may open a shift)
register(MenuEntry("donation", N_("Spesa sospesa donation"), donation, needs=A.SHIFT))
register(MenuEntry("lottery", N_("Lotteria degli scontrini code"), lottery_code, needs=A.SELL))
register(MenuEntry("cash_in", N_("Cash in"), lambda s: _cash(s, 1), needs=A.SHIFT))
register(MenuEntry("cash_out", N_("Cash out"), lambda s: _cash(s, -1), needs=A.CASH_OUT))
register(MenuEntry("x", N_("X report (day so far)"), x_report, needs=A.SHIFT))
register(MenuEntry("close_shift", N_("Close the shift"), close_shift, needs=A.SHIFT))
register(MenuEntry("z", N_("Close the day: shift and Z report"), close_day, roles=MANAGERS, needs=A.Z_REPORT))
register(MenuEntry("lock", N_("Lock the till"), lambda s: s.action_lock()))
