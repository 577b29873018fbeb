"""The RT's side of selling: the daily fiscal closure beside Orto's Z, the X read, annulli, lottery codes.

The fiscal closure (``fiscal_z``) issues whatever documents still wait (a Z with documents
pending would close the RT's day without them), sends the RT's Z, records its number and totals
with Orto's figures of the same business day per VAT rate and per payment type, and stores the
difference: it is shown at the till and kept, never absorbed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from orto.access import authorise
from orto.config import PrinterConfig, Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import Counter, FiscalClosure, FiscalDocument, LotteryCode, Sale, SaleStatus
from orto.policy import Action, Operator
from pos.selling.sales import business_date
from pos.selling.shifts import day_totals
from receipts.fiscal.client import EpsonRT, ZResult
from receipts.fiscal.jobs import department_map, fiscal_printer
from receipts.fiscal.queue import OPEN, FiscalQueue, client_for
from receipts.fiscal.rules import OUTSIDE_VAT, OUTSIDE_VAT_KEY, TENDERS, check_lottery_code

PAYMENT_NAMES = {0: "cash", 1: "cheque", 2: "electronic", 3: "ticket", 5: "not_collected"}


@dataclass(frozen=True)
class FiscalComparison:
    printer: str
    z_number: int
    rt: dict[str, Any]  # {"vat": {"400": cents}, "payments": {"cash": cents}, "total": cents}
    orto: dict[str, Any]
    differences: dict[str, int]  # "vat:400" / "payments:cash" / "total" -> RT minus Orto; {} when equal
    closure_id: int | None = None  # stored (a Z), or None (an X)

    @property
    def equal(self) -> bool:
        return not self.differences


def _rt_side(result: ZResult, departments: dict[int, int]) -> dict[str, Any]:
    rate_of = {dept: rate for rate, dept in departments.items()}
    vat: dict[str, int] = {}
    payments: dict[str, int] = {}
    for key, cents in result.totals.items():
        if key.startswith("dept") and key[4:].isdigit():
            rate = rate_of.get(int(key[4:]))
            if rate == OUTSIDE_VAT:
                vat[OUTSIDE_VAT_KEY] = cents  # gift cards sold (natura N2)
            else:
                vat[str(rate) if rate is not None else f"dept{key[4:]}"] = cents
        elif key.startswith("pay") and key[3:].isdigit():
            payments[PAYMENT_NAMES.get(int(key[3:]), key)] = cents
    return {"vat": vat, "payments": payments, "total": result.totals.get("dailyAmount", sum(vat.values()))}


def _orto_side(totals: dict[str, Any]) -> dict[str, Any]:
    vat = {str(v["rate_bp"]): int(v["gross_cents"]) for v in totals["vat"] if v["gross_cents"]}
    if totals.get("gift_cards_cents"):  # sold outside VAT: the RT's N2 department
        vat[OUTSIDE_VAT_KEY] = int(totals["gift_cards_cents"])
    payments: dict[str, int] = {}
    for method, cents in totals["payments"].items():
        name = PAYMENT_NAMES[TENDERS[method][1]]
        payments[name] = payments.get(name, 0) + int(cents)
    return {"vat": vat, "payments": {k: v for k, v in payments.items() if v}, "total": int(totals["net_cents"])}


def _differences(rt: dict[str, Any], orto: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in ("vat", "payments"):
        for key in sorted(set(rt[part]) | set(orto[part])):
            diff = int(rt[part].get(key, 0)) - int(orto[part].get(key, 0))
            if diff:
                out[f"{part}:{key}"] = diff
    if rt["total"] != orto["total"]:
        out["total"] = int(rt["total"]) - int(orto["total"])
    return out


def _counter_rt(db: Database, settings: Settings, counter_id: int) -> tuple[Counter, PrinterConfig]:
    with db.read() as session:
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        session.expunge(counter)
    config = fiscal_printer(settings, counter.code)
    if config is None:
        raise NotAllowed(_("counter {counter} has no RT (fiscal printer) in orto.toml").format(counter=counter.code))
    return counter, config


def _issue_pending(db: Database, settings: Settings, printer: str, factory: Any) -> None:
    FiscalQueue(db, settings, client_factory=factory, now_please=True).run_once()
    with db.read() as session:
        waiting = session.scalar(
            select(func.count())
            .select_from(FiscalDocument)
            .where(FiscalDocument.printer == printer, FiscalDocument.status.in_(OPEN))
        )
    if waiting:
        raise NotAllowed(
            _("{count} fiscal documents still wait for the RT {printer}: issue them before its Z").format(
                count=waiting, printer=printer
            )
        )


def fiscal_z(
    db: Database,
    settings: Settings,
    counter_id: int,
    actor: Operator,
    day: date | None = None,
    *,
    client_factory: Any = client_for,
) -> FiscalComparison:
    """The RT's daily closure (printZReport), compared with Orto's Z figures and stored."""
    counter, config = _counter_rt(db, settings, counter_id)
    with db.read() as session:
        authorise(session, actor, Action.Z_REPORT)  # refused before the RT closes anything
    _issue_pending(db, settings, config.name, client_factory)
    rt: EpsonRT = client_factory(config)
    status = rt.status()
    result = rt.report("z")
    the_day = day or business_date()
    with db.write() as session:
        authorise(session, actor, Action.Z_REPORT)
        rt_side = _rt_side(result, department_map(config))
        orto_side = _orto_side(day_totals(session, counter_id, the_day))
        differences = _differences(rt_side, orto_side)
        closure = FiscalClosure(
            printer=config.name,
            rt_serial=status.serial,
            z_number=result.z_number,
            counter_id=counter.id,
            user_id=actor.id,
            rt_totals=rt_side,
            orto_totals=orto_side,
            differences=differences,
        )
        session.add(closure)
        session.flush()
        from orto.audit import audit

        audit(
            session,
            "fiscal_z",
            actor.id,
            counter_id=counter.id,
            entity="fiscal_closure",
            entity_id=closure.id,
            details={"z_number": result.z_number, "differences": differences},
        )
        return FiscalComparison(config.name, result.z_number, rt_side, orto_side, differences, closure.id)


def close_day(
    db: Database, settings: Settings, counter_id: int, actor: Operator, *, client_factory: Any = client_for
) -> tuple[FiscalComparison, Any]:
    """The manager's Z at a counter with an RT: the RT's Z, then Orto's Z of the same day.

    Orto's own conditions are checked first (the shift closed), so the RT's day is never closed
    while Orto's cannot be.
    """
    from pos.selling.shifts import open_shift_of, z_report

    with db.read() as session:
        if open_shift_of(session, counter_id) is not None:
            raise NotAllowed(_("close the shift before the Z report"))
    comparison = fiscal_z(db, settings, counter_id, actor, client_factory=client_factory)
    return comparison, z_report(db, settings, counter_id, actor)


def fiscal_x(
    db: Database, settings: Settings, counter_id: int, *, client_factory: Any = client_for
) -> FiscalComparison:
    """The RT's X (its day so far, nothing closed) beside Orto's figures of today."""
    _counter, config = _counter_rt(db, settings, counter_id)
    result = client_factory(config).report("x")
    with db.read() as session:
        orto_side = _orto_side(day_totals(session, counter_id, business_date()))
    rt_side = _rt_side(result, department_map(config))
    return FiscalComparison(config.name, result.z_number, rt_side, orto_side, _differences(rt_side, orto_side))


def x_beside_rt(db: Database, settings: Settings, counter_id: int, *, client_factory: Any = client_for) -> list[str]:
    """What the till's X report adds at a counter with an RT: the RT's X beside Orto's figures,
    or, if the RT cannot be read now, a line saying why (the X itself is Orto's either way).
    Nothing at a counter without an RT."""
    from receipts.fiscal.client import FiscalFault

    try:
        comparison = fiscal_x(db, settings, counter_id, client_factory=client_factory)
    except NotAllowed:
        return []  # no RT at this counter
    except FiscalFault as exc:
        return [_("The RT could not be read: {error}").format(error=exc)]
    return comparison_lines(comparison)


def comparison_lines(comparison: FiscalComparison) -> list[str]:
    """RT and Orto side by side, one line per VAT rate and payment type, for the till and the CLI."""
    from orto.money import format_money

    def row(label: str, rt: int, orto: int) -> str:
        mark = "" if rt == orto else "  ≠ " + format_money(rt - orto)
        return f"{label:<16}{format_money(rt):>12}{format_money(orto):>12}{mark}"

    lines = [_("RT {printer}: Z {number}").format(printer=comparison.printer, number=comparison.z_number)]
    lines.append(f"{'':<16}{_('RT'):>12}{_('Orto'):>12}")
    for key in sorted(set(comparison.rt["vat"]) | set(comparison.orto["vat"]), key=lambda k: (len(k), k)):
        label = _("VAT {rate} %").format(rate=_pct(int(key))) if key.isdigit() else key
        if key == OUTSIDE_VAT_KEY:
            label = _("gift cards (N2)")
        lines.append(row(label, comparison.rt["vat"].get(key, 0), comparison.orto["vat"].get(key, 0)))
    for key in sorted(set(comparison.rt["payments"]) | set(comparison.orto["payments"])):
        lines.append(
            row(_payment_label(key), comparison.rt["payments"].get(key, 0), comparison.orto["payments"].get(key, 0))
        )
    lines.append(row(_("Total"), comparison.rt["total"], comparison.orto["total"]))
    lines.append(_("RT and Orto agree") if comparison.equal else _("RT and Orto DIFFER: the difference is stored"))
    return lines


def _payment_label(key: str) -> str:
    if key == "cash":
        return _("cash")
    if key == "electronic":
        return _("electronic")
    if key == "ticket":
        return _("meal vouchers")
    if key == "not_collected":
        return _("not collected")
    return key


def _pct(rate_bp: int) -> str:
    from receipts.fiscal.rules import percent

    return percent(rate_bp)


def set_lottery_code(db: Database, sale_id: int, actor: Operator, code: str) -> str:
    """The customer's lotteria degli scontrini code, sent with the sale's documento commerciale."""
    clean = check_lottery_code(code)
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = session.get(Sale, sale_id, with_for_update=True)
        if sale is None:
            raise NotFound(_("no sale {id}").format(id=sale_id))
        if sale.status is not SaleStatus.OPEN:
            raise InvalidInput(_("the lotteria code goes on the sale before it is paid"))
        existing = session.get(LotteryCode, sale_id)
        if existing is None:
            session.add(LotteryCode(sale_id=sale_id, code=clean))
        else:
            existing.code = clean
    return clean


def fiscal_reference(db: Database, sale_id: int) -> FiscalDocument | None:
    """The sale's documento commerciale (issued or still waiting), for a reprint or the screen."""
    with db.read() as session:
        doc = session.scalar(
            select(FiscalDocument).where(FiscalDocument.sale_id == sale_id, FiscalDocument.kind != "void")
        )
        if doc is not None:
            session.expunge(doc)
        return doc
