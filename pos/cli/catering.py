"""orto catering … (customers, quotes and orders, money, the kitchen's plan, DDT, reports) and
orto invoices … (FatturaPA files, their PDF copy, their state at the SdI)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from orto.errors import InvalidInput, NotFound
from orto.i18n import gettext as _
from orto.localtime import today
from orto.policy import Operator
from pos.cli.common import ExportFile, ImportFile, PlainOption, exporting, importing, state
from pos.cli.identity import UserOption, acting

catering_app = typer.Typer(
    help="Catering: customers, quotes and orders, the kitchen's plan, DDT.", no_args_is_help=True
)
invoices_app = typer.Typer(
    help="Electronic invoices (FatturaPA): issue, export, state at the SdI.", no_args_is_help=True
)
customers_app = typer.Typer(help="Catering customers: import, export, cards.", no_args_is_help=True)
catering_app.add_typer(customers_app, name="customers")


def _actor(user: str | None) -> Operator:
    """The Operator behind a PIN, as at the till: every write of catering says who did it."""
    return acting(state.database(), user)


def _order_id(key: str) -> int:
    from catering.orders import find_order

    with state.database().read() as session:
        return find_order(session, key).id


def _customer_id(key: str) -> int:
    from catering.customers import find_customer

    with state.database().read() as session:
        return find_customer(session, key).id


def _counter_id(code: str | None) -> int | None:
    if code is None:
        return None
    from sqlalchemy import select

    from orto.models import Counter

    with state.database().read() as session:
        found = session.scalar(select(Counter.id).where(Counter.code == code))
    if found is None:
        raise NotFound(_("no counter {code}").format(code=code))
    return int(found)


def _day(text: str | None, default: date) -> date:
    """A day as the till writes it (25/11/2026) or as ISO (2026-11-25); the default is a Milan day."""
    from pos.reports.filters import parse_day

    return parse_day(text, _("day")) if text else default


def _money(cents: int) -> str:
    from orto.money import format_money

    return format_money(cents)


# ---------------------------------------------------------------- customers


@customers_app.command("import")
def customers_import(file: ImportFile, user: UserOption = None) -> None:
    """Import customers: all rows or none; a known code updates its customer."""
    from catering.customers_io import import_customers

    importing(lambda: import_customers(state.database(), _actor(user), file))


@customers_app.command("export")
def customers_export(file: ExportFile, plain: PlainOption = False, user: UserOption = None) -> None:
    """Export customers (CSV for Italian Excel by default, or XLSX): a manager's."""
    from catering.customers_io import export_customers

    db = state.database()
    actor = _actor(user)
    exporting(
        lambda: export_customers(db, actor, file, plain=plain, language=state.settings.language),
        file,
        _("{count} customers written to {path}"),
    )


@customers_app.command("card")
def customers_card(
    customer: Annotated[str, typer.Argument(help="Customer id, code, partita IVA or name")],
    number: Annotated[str, typer.Argument(help="The Tessera di quartiere's number")],
    until: Annotated[str, typer.Option("--until", help="Valid until, 25/11/2026 or 2026-11-25")],
    user: UserOption = None,
) -> None:
    """Give a customer a Tessera di quartiere."""
    from catering.customers import add_card

    add_card(state.database(), _actor(user), _customer_id(customer), number, _day(until, today()))
    typer.echo(_("card {number} issued").format(number=number.upper()))


# ---------------------------------------------------------------- quotes and orders


@catering_app.command("quote")
def quote_command(
    customer: Annotated[str, typer.Argument(help="Customer id, code, partita IVA or name")],
    event: Annotated[str, typer.Option("--event", help="Date and time, YYYY-MM-DD HH:MM (Milan)")],
    guests: Annotated[int, typer.Option("--guests")],
    dish: Annotated[list[str], typer.Option("--dish", help="[@CODE[:PORTION]] DESCRIPTION=PRICE[xQTY][/p]")],
    place: Annotated[str, typer.Option("--place")] = "",
    dietary: Annotated[str, typer.Option("--dietary", help="Dietary requirements")] = "",
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the quote's PDF here")] = None,
    user: UserOption = None,
) -> None:
    """A quote for an event; dishes are products or lab recipes, per guest or in total."""
    from catering.dishes import parse_dish
    from catering.orders import QuoteInput, create_quote
    from orto.localtime import ROME

    try:
        when = datetime.fromisoformat(event).replace(tzinfo=ROME).astimezone(UTC)
    except ValueError:
        raise InvalidInput(_("--event {text}: YYYY-MM-DD HH:MM expected").format(text=event)) from None
    db = state.database()
    with db.read() as session:
        lines = [parse_dish(session, d) for d in dish]
    order_id = create_quote(db, _actor(user), QuoteInput(_customer_id(customer), when, guests, lines, place, dietary))
    if pdf:
        from catering.documents import quote_pdf

        quote_pdf(db, state.settings, order_id, pdf)
    with db.read() as session:
        from orto.models import CateringOrder

        order = session.get(CateringOrder, order_id)
        assert order is not None
        typer.echo(_("quote {number}: {total}").format(number=order.number, total=_money(order.total_cents)))


@catering_app.command("orders")
def orders_command(
    first: Annotated[str | None, typer.Option("--from", help="First day, 25/11/2026 or 2026-11-25 (today)")] = None,
    days: Annotated[int, typer.Option("--days")] = 7,
    cancelled: Annotated[bool, typer.Option("--cancelled", help="Show cancelled ones too")] = False,
    user: UserOption = None,
) -> None:
    """Orders and quotes by event date."""
    from catering.orders import orders_between
    from orto.i18n import format_datetime
    from orto.localtime import ROME

    day = _day(first, today())
    start = datetime.combine(day, datetime.min.time(), ROME)
    rows = orders_between(
        state.database(), _actor(user), start, start + timedelta(days=days), include_cancelled=cancelled
    )
    for row in rows:
        typer.echo(
            f"{row.number}  {format_datetime(row.event_at)}  {_(row.status):<10} {row.customer}  "
            + _("{n} guests").format(n=row.guests)
            + f"  {_money(row.total_cents)}  "
            + _("paid {amount}").format(amount=_money(row.paid_cents))
        )


@catering_app.command("quote-pdf")
def quote_pdf_command(order: str, file: Path) -> None:
    """The quote (or order) as an A4 PDF with the allergen matrix."""
    from catering.documents import quote_pdf

    quote_pdf(state.database(), state.settings, _order_id(order), file)
    typer.echo(str(file))


@catering_app.command("confirm")
def confirm_command(order: str, user: UserOption = None) -> None:
    """A quote becomes an order."""
    from catering.orders import confirm

    confirm(state.database(), _actor(user), _order_id(order))
    typer.echo(_("{order} confirmed").format(order=order))


@catering_app.command("prepared")
def prepared_command(order: str, user: UserOption = None) -> None:
    """The kitchen has made an order: it waits to be delivered (a confirmed order may be delivered directly too)."""
    from catering.orders import advance

    advance(state.database(), _actor(user), _order_id(order), "prepared")
    typer.echo(_("{order} prepared").format(order=order))


@catering_app.command("cancel")
def cancel_command(order: str, reason: Annotated[str, typer.Option("--reason")], user: UserOption = None) -> None:
    """Cancel a quote or an order, with the reason (it is kept)."""
    from catering.orders import cancel

    cancel(state.database(), _actor(user), _order_id(order), reason)
    typer.echo(_("{order} cancelled").format(order=order))


@catering_app.command("pay")
def pay_command(
    order: str,
    amount: Annotated[str, typer.Argument(help="Euro, e.g. 208,50")],
    kind: Annotated[str, typer.Option("--kind", help="deposit or balance")] = "deposit",
    method: Annotated[str, typer.Option("--method", help="bank_transfer, cash, card or counter")] = "bank_transfer",
    counter: Annotated[str | None, typer.Option("--counter", help="e.g. CAP-1")] = None,
    reference: Annotated[str, typer.Option("--reference", help="The transfer's CRO/TRN")] = "",
    user: UserOption = None,
) -> None:
    """Record a deposit or the balance (a business's deposit issues its TD02 invoice)."""
    from catering.money import take_payment
    from orto.money import parse_money

    taken = take_payment(
        state.database(),
        _actor(user),
        _order_id(order),
        parse_money(amount),
        kind=kind,
        method=method,
        counter_id=_counter_id(counter),
        reference=reference,
        settings=state.settings,
    )
    if taken.sale_id:
        typer.echo(_("on the counter's sale: complete it at the till"))
    if taken.invoice_id:
        typer.echo(_("deposit invoice issued (id {id})").format(id=taken.invoice_id))
    typer.echo(_("recorded"))


@catering_app.command("plan")
def plan_command(
    first: Annotated[str | None, typer.Option("--from", help="First day, 25/11/2026 or 2026-11-25 (today)")] = None,
    days: Annotated[int, typer.Option("--days", help="1 for a day, 7 for a week")] = 1,
    site: Annotated[str, typer.Option("--site")] = "CAP",
) -> None:
    """What to prepare and how much of each ingredient, against stock; rescued lots first; what is short."""
    from catering.plan import kitchen_plan
    from orto.money import format_quantity

    plan = kitchen_plan(state.database(), _day(first, today()), days=days, site_code=site)
    typer.echo(_("Dishes"))
    for d in plan.dishes:
        typer.echo(f"  {d.event_day} {d.order}  {d.dish}: " + _("{n} portions").format(n=d.portions))
    for title, items in ((_("From stock"), plan.ready), (_("Ingredients"), plan.ingredients)):
        typer.echo(title)
        for item in items:
            lots = ", ".join(
                f"{lot.lot_code} {format_quantity(lot.take, item.unit.value)}" + (" ♻" if lot.rescue else "")
                for lot in item.lots
            )
            extra = ""
            if item.short:
                extra = "  " + _("SHORT {q}").format(q=format_quantity(item.short, item.unit.value))
            if item.to_make:
                extra += "  " + _("to make {q}").format(q=format_quantity(item.to_make, item.unit.value))
            typer.echo(f"  {item.product}: {format_quantity(item.needed, item.unit.value)}  [{lots}]{extra}")


@catering_app.command("reserve")
def reserve_command(order: str, lot: str, quantity: int, user: UserOption = None) -> None:
    """Keep a quantity (base units) of a lot for an order."""
    from catering.plan import reserve_lot

    reserve_lot(state.database(), _actor(user), _order_id(order), lot, quantity)
    typer.echo(_("reserved"))


@catering_app.command("deliver")
def deliver_command(
    order: str,
    ddt: Annotated[Path | None, typer.Option("--ddt", help="Write the DDT's PDF here")] = None,
    destination: Annotated[str | None, typer.Option("--destination")] = None,
    user: UserOption = None,
) -> None:
    """Deliver an order: the DDT with its lots, stock out (reserved lots first)."""
    from catering.delivery import deliver

    note_id = deliver(state.database(), _actor(user), _order_id(order), destination=destination)
    if ddt:
        from catering.documents import ddt_pdf

        ddt_pdf(state.database(), state.settings, note_id, ddt)
        typer.echo(str(ddt))
    typer.echo(_("{order} delivered").format(order=order))


@catering_app.command("on-account")
def on_account_command(order: str, user: UserOption = None) -> None:
    """Put what is due on an order on its customer's account."""
    from catering.money import put_on_account

    put_on_account(state.database(), _actor(user), _order_id(order))
    typer.echo(_("{order} put on account").format(order=order))


@catering_app.command("tab-on-account")
def tab_on_account_command(
    tab: Annotated[str, typer.Argument(help="The open tab's table number or name")],
    customer: Annotated[str, typer.Argument(help="Customer id, code, partita IVA or name")],
    counter: Annotated[str, typer.Option("--counter", help="The bar's counter code")],
    user: UserOption = None,
) -> None:
    """Close a bar tab on a customer's account (an association's): its TD01 invoice and the charge."""
    from sqlalchemy import select

    from catering.invoices import invoice_number
    from catering.money import tab_on_account
    from orto.models import Invoice, Tab, TabStatus

    db = state.database()
    counter_id = _counter_id(counter)
    with db.read() as session:
        tab_id = session.scalar(
            select(Tab.id).where(Tab.counter_id == counter_id, Tab.label == tab.strip(), Tab.status == TabStatus.OPEN)
        )
    if tab_id is None:
        raise NotFound(_("no open tab {label} at {counter}").format(label=tab, counter=counter))
    charged = tab_on_account(db, state.settings, _actor(user), int(tab_id), _customer_id(customer))
    with db.read() as session:
        invoice = session.get(Invoice, charged.invoice_id)
        assert invoice is not None
        number = invoice_number(invoice)
    typer.echo(
        _("tab {label} on account: {amount}, invoice {number}").format(
            label=tab, amount=_money(charged.amount_cents), number=number
        )
    )


@catering_app.command("order-ref")
def order_ref_command(
    order: str,
    reference: Annotated[str, typer.Argument(help="The public body's order (IdDocumento), up to 20 characters")],
    cig: Annotated[str | None, typer.Option("--cig", help="CIG, 10 characters")] = None,
    cup: Annotated[str | None, typer.Option("--cup", help="CUP, 15 characters")] = None,
    user: UserOption = None,
) -> None:
    """The order reference, CIG and CUP a public body's invoice carries (DatiOrdineAcquisto)."""
    from catering.orders import set_purchase_order

    set_purchase_order(state.database(), _actor(user), _order_id(order), reference, cig=cig, cup=cup)
    typer.echo(_("recorded"))


@catering_app.command("settle")
def settle_command(
    customer: str,
    amount: str,
    method: Annotated[str, typer.Option("--method")] = "bank_transfer",
    counter: Annotated[str | None, typer.Option("--counter")] = None,
    reference: Annotated[str, typer.Option("--reference")] = "",
    user: UserOption = None,
) -> None:
    """A payment on a customer's account (oldest charges first)."""
    from catering.money import settle_account
    from orto.money import parse_money

    settle_account(
        state.database(),
        _actor(user),
        _customer_id(customer),
        parse_money(amount),
        method=method,
        counter_id=_counter_id(counter),
        reference=reference,
    )
    typer.echo(_("recorded"))


@catering_app.command("account")
def account_command(customer: str, user: UserOption = None) -> None:
    """A customer's statement: charges, payments, balance, overdue."""
    from catering.money import statement, statement_lines

    for line in statement_lines(statement(state.database(), _actor(user), _customer_id(customer))):
        typer.echo(line)


@catering_app.command("receivables")
def receivables_command(user: UserOption = None) -> None:
    """Every customer's balance on account, the overdue first: a manager's."""
    from catering.money import receivables

    for r in receivables(state.database(), _actor(user)):
        typer.echo(f"{r.customer}: {_money(r.balance_cents)}  " + _("overdue {o}").format(o=_money(r.overdue_cents)))


@catering_app.command("report")
def report_command(
    first: Annotated[
        str | None, typer.Option("--from", help="25/11/2026 or 2026-11-25 (the first of the month)")
    ] = None,
    last: Annotated[str | None, typer.Option("--to", help="25/11/2026 or 2026-11-25 (today)")] = None,
    user: UserOption = None,
) -> None:
    """Catering takings by method and each delivered order's margin (cost from lots and lab batches): a manager's."""
    from catering.reports import takings_and_margins

    day = today()
    t = takings_and_margins(state.database(), _actor(user), _day(first, day.replace(day=1)), _day(last, day))
    typer.echo(_("Takings"))
    for method, amount in sorted(t.by_method.items()):
        typer.echo(f"  {_(method)}: {_money(amount)}")
    typer.echo(_("Margins (taxable less cost)"))
    for o in t.orders:
        typer.echo(
            f"  {o.day} {o.number} {o.customer}: {_money(o.taxable_cents)} - {_money(o.cost_cents)} = "
            f"{_money(o.margin_cents)}"
        )


# ---------------------------------------------------------------- invoices


@invoices_app.command("issue")
def invoices_issue(
    order: str,
    xml_dir: Annotated[Path | None, typer.Option("--xml-dir", help="Write the XML file into this folder")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the courtesy copy here")] = None,
    user: UserOption = None,
) -> None:
    """TD01 for a delivered order, deposits deducted; validated against the FatturaPA schema."""
    from catering.invoices import export_xml, invoice_order

    db = state.database()
    invoice_id = invoice_order(db, state.settings, _actor(user), _order_id(order))
    _outputs(invoice_id, xml_dir, pdf)
    if xml_dir is None:
        typer.echo(str(export_xml(db, invoice_id, Path.cwd())))


def _outputs(invoice_id: int, xml_dir: Path | None, pdf: Path | None) -> None:
    from catering.documents import invoice_pdf
    from catering.invoices import export_xml

    if xml_dir:
        typer.echo(str(export_xml(state.database(), invoice_id, xml_dir)))
    if pdf:
        invoice_pdf(state.database(), state.settings, invoice_id, pdf)
        typer.echo(str(pdf))


@invoices_app.command("list")
def invoices_list(year: Annotated[int | None, typer.Option("--year")] = None, user: UserOption = None) -> None:
    """Invoices of a year with their state at the SdI (a manager's)."""
    from catering.invoices import invoices_of

    for inv in invoices_of(state.database(), _actor(user), year):
        reason = f" ({inv.state_reason})" if inv.state_reason else ""
        typer.echo(
            f"{inv.id:>4} {inv.year}/{inv.number:04d} {inv.doc_type} {inv.issued_on} {inv.customer}  "
            f"{_money(inv.total_cents)}  {inv.file_name}  {_(inv.state)}{reason}"
        )


@invoices_app.command("export")
def invoices_export(invoice: int, folder: Path, pdf: Annotated[Path | None, typer.Option("--pdf")] = None) -> None:
    """Write an invoice's XML (named as the SdI expects) and, if asked, its PDF copy."""
    _outputs(invoice, folder, pdf)


@invoices_app.command("credit")
def invoices_credit(
    invoice: int,
    reason: Annotated[str, typer.Option("--reason")],
    amount: Annotated[str | None, typer.Option("--amount", help="Euro; the whole invoice if not given")] = None,
    user: UserOption = None,
) -> None:
    """A credit note (TD04) for a refund."""
    from catering.invoices import credit_note
    from orto.money import parse_money

    note = credit_note(
        state.database(),
        state.settings,
        _actor(user),
        invoice,
        reason,
        amount_cents=parse_money(amount) if amount else None,
    )
    _outputs(note, Path.cwd(), None)


@invoices_app.command("state")
def invoices_state(
    invoice: int,
    to: Annotated[str, typer.Argument(help="to_send, sent, delivered, accepted, rejected")],
    reason: Annotated[str, typer.Option("--reason")] = "",
    user: UserOption = None,
) -> None:
    """Record an invoice's state at the SdI by hand."""
    from catering.invoices import set_invoice_state

    set_invoice_state(state.database(), _actor(user), invoice, to, reason)
    typer.echo(_("recorded"))


@invoices_app.command("import-receipt")
def invoices_import_receipt(file: Path) -> None:
    """Record the state an SdI notification (RC, MC, NS, NE, DT) gives the invoice it names."""
    from catering.invoices import import_receipt

    result = import_receipt(state.database(), file)
    typer.echo(
        f"{result.file_name}: {result.kind} → {_(result.state)}" + (f" ({result.reason})" if result.reason else "")
    )
