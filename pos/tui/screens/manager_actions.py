"""The till's own menu entries: parked sales, refunds, reprints, price check, cash, reports, shift,
tabs (listed, in the menu's order, in pos.tui.navigation.menu_entries).

Each entry that asks something is a flow (``pos.tui.till_session``): the questions and the
service calls one after the other, each ``await``ed; a refusal is said and ends the flow.
"""

from __future__ import annotations

from datetime import date

from inventory.search import Hit
from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import format_date, format_time
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import PaymentMethod
from orto.money import format_amount, format_kg
from pos import selling
from pos.selling import RefundLine
from pos.tui.dialogs import Choice, TextPreview, TextPrompt
from pos.tui.parsing import amount_of
from pos.tui.routes import AS_PAID, SaleHost
from receipts.documents import shift_report
from receipts.layout import render_text


def _parked_with_names(db: Database, counter_id: int) -> tuple[list[selling.SaleView], dict[int, str]]:
    return selling.parked_sales(db, counter_id), {u.id: u.name for u in selling.list_users(db)}


def parked(screen: SaleHost) -> None:
    screen.till.flow(_parked(screen))


async def _parked(screen: SaleHost) -> None:
    till = screen.till
    sales, names = await till.run(_parked_with_names, till.db, till.counter.id)
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
    sale_id = await till.ask(Choice(_("Parked sales"), options))
    if sale_id:
        screen.show_sale(await till.run(selling.resume_sale, till.db, sale_id, till.operator))


def refund(screen: SaleHost) -> None:
    screen.till.flow(_refund(screen))


def _refund_plans(
    db: Database, number: str, chosen: list[RefundLine] | None
) -> tuple[selling.RefundPlan, selling.RefundPlan]:
    """The refund as paid, and all in cash: the refund screen switches between them (F2)."""
    return (
        selling.refund_plan(db, number, lines=chosen),
        selling.refund_plan(db, number, lines=chosen, to_method=PaymentMethod.CASH),
    )


async def _refund(screen: SaleHost) -> None:
    till = screen.till
    number = await till.ask(TextPrompt(_("Scan the slip's barcode or type the sale number")))
    if not number:
        return
    lines = await till.run(selling.refundable, till.db, number)
    listing = "  ".join(f"{i}) {d} ({q})" for i, (_id, d, q) in enumerate(lines, 1) if q)
    question = _("Refund what? Enter = everything; or 1, 1x2, 2d (d = not resellable). {lines}")
    answer = await till.ask(TextPrompt(question.format(lines=listing), empty_is_an_answer=True))
    if answer is None:
        return
    try:
        chosen = _parse_refund(answer, lines)
    except InvalidInput as exc:
        screen.notify(str(exc), severity="error")
        return
    plans = await till.run(_refund_plans, till.db, number, chosen)
    choice = await till.ask(screen.nav.refund(*plans))
    if choice is None:
        return
    result = await till.run(
        selling.refund,
        till.db,
        till.settings,
        number,
        till.counter.id,
        till.operator,
        lines=chosen,
        to_method=None if choice == AS_PAID else PaymentMethod(choice),
    )
    screen.show_refund(result)


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


def reprint_last(screen: SaleHost) -> None:
    screen.till.flow(_reprint_last(screen))


async def _reprint_last(screen: SaleHost) -> None:
    from receipts.queue import last_job_for, reprint

    till = screen.till
    job = await till.run(last_job_for, till.db, till.counter.id)
    if job is None:
        screen.notify(_("No slip to reprint yet."))
        return
    await till.run(reprint, till.db, job, actor=till.operator)
    screen.notify(_("Reprint queued."))


def reprint_any(screen: SaleHost) -> None:
    screen.till.flow(_reprint_any(screen))


async def _reprint_any(screen: SaleHost) -> None:
    from receipts.queue import reprint

    till = screen.till
    text = await till.ask(TextPrompt(_("Print job number (see orto printer queue --all)")))
    if text and text.isdigit():
        await till.run(reprint, till.db, int(text), actor=till.operator)
        screen.notify(_("Reprint queued."))


async def _checked(screen: SaleHost, title: str) -> selling.PriceCheck | None:
    """A product asked for (scanned, its code, or words of its name) and its price check."""
    till = screen.till
    code = await till.ask(TextPrompt(title))
    if not code:
        return None
    hits = _search(screen, code)
    product_id = hits[0].product_id if hits and not code.isdigit() else None
    return await till.run(selling.price_check, till.db, till.counter.id, code, product_id=product_id)


def price_check(screen: SaleHost) -> None:
    screen.till.flow(_price_check(screen))


async def _price_check(screen: SaleHost) -> None:
    check = await _checked(screen, _("Price check: scan or type a product"))
    if check is None:
        return
    unit = "/kg" if check.unit == "kg" else ""
    quantity = f"{format_kg(check.on_hand)} kg" if check.unit == "kg" else str(check.on_hand)
    lots = "\n".join(f"  {code}  {format_date(_iso(expiry)) if expiry else '-'}  {q}" for code, expiry, q in check.lots)
    text = [
        _("Price: {price} €{unit}").format(price=format_amount(check.price_cents), unit=unit),
        _("On hand here: {quantity}").format(quantity=quantity),
        _("Lots:"),
        lots or "  -",
    ]
    screen.app.push_screen(TextPreview(check.name, "\n".join(text)))


def stock_lookup(screen: SaleHost) -> None:
    """Lots, dates and quantities of a product at every site and location."""
    screen.till.flow(_stock_lookup(screen))


async def _stock_lookup(screen: SaleHost) -> None:
    from inventory.stock_lookup import stock_of_product
    from orto.money import format_quantity

    check = await _checked(screen, _("Stock lookup: scan or type a product"))
    if check is None:
        return
    till = screen.till
    rows = await till.run(stock_of_product, till.db, check.product_id, today=local_today())
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


def _iso(text: str) -> date:
    return date.fromisoformat(text)


def _search(screen: SaleHost, text: str) -> list[Hit]:
    index = screen.ctx.index
    return index.search(text, limit=1) if index else []


async def _cash(screen: SaleHost, sign: int) -> None:
    till = screen.till
    text = await till.ask(TextPrompt(_("Cash in") if sign > 0 else _("Cash out"), format_amount(1000)))
    cents = amount_of(screen, text)
    if cents is None:
        return
    reason = await till.ask(TextPrompt(_("Reason")))
    if reason:
        await till.run(selling.cash_movement, till.db, till.counter.id, till.operator, sign * cents, reason)
        screen.notify(_("Recorded."))


def cash_in(screen: SaleHost) -> None:
    screen.till.flow(_cash(screen, 1))


def cash_out(screen: SaleHost) -> None:
    screen.till.flow(_cash(screen, -1))


def donation(screen: SaleHost) -> None:
    screen.till.flow(_donation(screen))


async def _donation(screen: SaleHost) -> None:
    till = screen.till
    cents = amount_of(screen, await till.ask(TextPrompt(_("Spesa sospesa donation (cash)"), format_amount(500))))
    if cents is None:
        return
    balance = await till.run(selling.donate_to_fund, till.db, till.counter.id, till.operator, cents)
    screen.notify(_("Thank you! The fund now holds {balance} €").format(balance=format_amount(balance)))


def x_report(screen: SaleHost) -> None:
    screen.till.flow(_x_report(screen))


async def _x_report(screen: SaleHost) -> None:
    till = screen.till
    totals = await till.run(selling.print_x_report, till.db, till.settings, till.counter.id, till.operator)
    doc = {"kind": "x_report", "counter": till.counter.name, "number": 0, "totals": totals}
    text = render_text(shift_report(doc))
    from pos.selling.fiscal import x_beside_rt

    rt = await till.run(x_beside_rt, till.db, till.settings, till.counter.id)
    if rt:  # a counter with an RT: its own X beside ours, so a difference shows before the Z
        text = text + "\n\n" + "\n".join(rt)
    screen.app.push_screen(TextPreview(_("X report"), text))


def close_day(screen: SaleHost) -> None:
    """The day's close in one flow: the last shift's count and difference, then the Z."""
    screen.app.switch_screen(screen.nav.shift(closing=True, take_z=True))


def close_shift(screen: SaleHost) -> None:
    screen.app.switch_screen(screen.nav.shift(closing=True))


def near_expiry_list(screen: SaleHost) -> None:
    screen.till.flow(_near_expiry_list(screen))


async def _near_expiry_list(screen: SaleHost) -> None:
    from inventory.near_expiry import near_expiry
    from orto.money import format_quantity

    till = screen.till
    days = till.settings.near_expiry_days
    found = await till.run(near_expiry, till.db, till.counter.site_id, days=days)
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


def lottery_code(screen: SaleHost) -> None:
    """The customer's lotteria degli scontrini code on the open sale; it reaches the RT with it."""
    if not screen.ctx.fiscal_printer:
        screen.notify(_("This counter has no RT: the lotteria code goes only on a documento commerciale."))
        return
    if screen.sale is None or not screen.sale.lines:
        screen.notify(_("Ring up the sale first, then add the lotteria code."))
        return
    screen.till.flow(_lottery_code(screen, screen.sale.id))


async def _lottery_code(screen: SaleHost, sale_id: int) -> None:
    from pos.selling.fiscal import set_lottery_code

    till = screen.till
    code = await till.ask(TextPrompt(_("Lotteria degli scontrini: the customer's code (8 characters)")))
    if code:
        clean = await till.run(set_lottery_code, till.db, sale_id, till.operator, code)
        screen.notify(_("Lotteria code {code} added to the sale.").format(code=clean))


def tabs(screen: SaleHost) -> None:
    screen.app.push_screen(screen.nav.tabs(screen))


def lock(screen: SaleHost) -> None:
    screen.action_lock()
