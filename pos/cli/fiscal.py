"""orto fiscal status NAME | z NAME | x NAME | pending | run: the RTs (fiscal printers)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from orto.config import PrinterConfig
from orto.i18n import gettext as _
from pos.cli.common import EXIT_INPUT, state

if TYPE_CHECKING:
    from orto.policy import Operator

fiscal_app = typer.Typer(help="RTs (fiscal printers): state, pending documents, X and Z.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help='An RT\'s name from [printers] in orto.toml (kind = "epson-rt")')]


def _rt(name: str) -> PrinterConfig:
    config = state.settings.printers.get(name)
    if config is None or config.kind != "epson-rt":
        known = ", ".join(n for n, p in sorted(state.settings.printers.items()) if p.kind == "epson-rt") or _("none")
        typer.echo(
            _("orto: no RT {name} in orto.toml (RTs configured: {known})").format(name=name, known=known), err=True
        )
        raise typer.Exit(EXIT_INPUT)
    return config


def _counter_of(name: str) -> int:
    from sqlalchemy import select

    from orto.models import Counter

    codes = [code for code, roles in state.settings.counter_printers.items() if roles.get("fiscal") == name]
    if not codes:
        typer.echo(_("orto: no counter uses the RT {name} ([counters.X.printers] fiscal)").format(name=name), err=True)
        raise typer.Exit(EXIT_INPUT)
    with state.database().read() as session:
        counter_id = session.scalar(select(Counter.id).where(Counter.code == codes[0]))
    if counter_id is None:
        typer.echo(_("orto: counter {code} is not in the database").format(code=codes[0]), err=True)
        raise typer.Exit(EXIT_INPUT)
    return counter_id


@fiscal_app.command("status")
def status(name: NameArg) -> None:
    """The RT's state and paper, its serial, last document and Z numbers, its clock against ours."""
    from receipts.fiscal.jobs import check_catalog
    from receipts.fiscal.queue import FiscalQueue, client_for, state_words

    config = _rt(name)
    with state.database().read() as session:
        check_catalog(session, state.settings)  # a rate without department: said before anything else
    rt_state = client_for(config).status()
    pending = FiscalQueue(state.database(), state.settings).state(name).pending
    typer.echo(f"{name}: {state_words(rt_state.state, pending)}")
    typer.echo(
        _("serial {serial}; open Z period {z}; last document {number}").format(
            serial=rt_state.serial or "?", z=rt_state.last_z_number, number=rt_state.last_doc_number
        )
    )
    if rt_state.clock is not None:
        from orto.localtime import ROME

        ours = datetime.now(ROME).replace(microsecond=0, tzinfo=None)  # the RT keeps Italian time
        drift = int((rt_state.clock - ours).total_seconds())
        typer.echo(
            _("RT clock {rt}, ours {ours}: {drift:+d} s").format(
                rt=rt_state.clock.isoformat(sep=" "), ours=ours.isoformat(sep=" "), drift=drift
            )
        )
        if abs(drift) > 120:
            typer.echo(_("the RT's clock is off by more than two minutes: set it before selling"), err=True)


@fiscal_app.command("pending")
def pending() -> None:
    """The fiscal documents still to issue, oldest first, with why they wait."""
    from sqlalchemy import select

    from orto.models import FiscalDocument, Sale
    from orto.money import format_money

    with state.database().read() as session:
        rows = session.execute(
            select(FiscalDocument, Sale.number)
            .join(Sale, Sale.id == FiscalDocument.sale_id)
            .where(FiscalDocument.status.in_(("pending", "issuing")))
            .order_by(FiscalDocument.id)
        ).all()
    if not rows:
        typer.echo(_("No fiscal document waits."))
        return
    for doc, number in rows:
        typer.echo(
            f"{doc.id:>6}  {doc.printer:<10} {doc.kind:<7} {number or '':<16} {format_money(doc.amount_cents):>10}  "
            + (_("checked with the RT before any new try") + "; " if doc.in_doubt else "")
            + (doc.last_error or _("not tried yet"))
        )


@fiscal_app.command("run")
def run() -> None:
    """Issue every fiscal document that waits, in order, now (the till does it on its own)."""
    from receipts.fiscal.queue import FiscalQueue

    issued = FiscalQueue(state.database(), state.settings, now_please=True).run_once()
    typer.echo(_("{count} fiscal document(s) issued.").format(count=issued))


def _report(name: str, which: str, user: str | None) -> None:
    from pos.selling.fiscal import comparison_lines, fiscal_x, fiscal_z

    config = _rt(name)
    counter_id = _counter_of(config.name)
    if which == "x":
        comparison = fiscal_x(state.database(), state.settings, counter_id)
    else:
        comparison = fiscal_z(state.database(), state.settings, counter_id, _manager(user))
    for line in comparison_lines(comparison):
        typer.echo(line)


def _manager(user: str | None) -> Operator:
    """The manager taking the Z: --user NAME, else ORTO_USER; the PIN from ORTO_PIN or asked."""
    from pos.cli.identity import acting

    return acting(state.database(), user)


@fiscal_app.command("z")
def z(
    name: NameArg,
    user: Annotated[str | None, typer.Option("--user", help="The manager closing the day")] = None,
) -> None:
    """The RT's daily fiscal closure (printZReport), compared with Orto's figures and stored."""
    _report(name, "z", user)


@fiscal_app.command("void")
def void(
    sale: Annotated[str, typer.Argument(help="The sale's number, as on its slip (or the till's number)")],
    reason: Annotated[str, typer.Option("--reason", help="Why the document was issued by mistake (kept)")],
    user: Annotated[str | None, typer.Option("--user", help="The manager voiding it")] = None,
) -> None:
    """The annullo of a documento commerciale issued by mistake: the whole sale, at its own counter's RT."""
    from pos import selling

    db = state.database()
    found = selling.find_sale(db, sale)
    result = selling.refund(db, state.settings, sale, found.counter_id, _manager(user), void=True, reason=reason)
    typer.echo(
        _("Sale {sale} voided: the annullo is queued for the RT ({number}).").format(
            sale=found.number or sale, number=result.sale.number or result.sale.id
        )
    )


@fiscal_app.command("x")
def x(name: NameArg) -> None:
    """The RT's X (the day so far; nothing closed) beside Orto's figures."""
    _report(name, "x", None)
