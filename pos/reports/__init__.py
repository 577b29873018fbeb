"""Manager reports: stock, waste, sales, Z reports, km0 and impact, HACCP register, lot trace.

Each report family is a module returning a ``Report`` (typed tables computed by SQL
aggregates); ``render_*`` modules write it as PDF, CSV or XLSX. ``make_report`` is the one
entry point the CLI and the till use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.policy import Action, Operator
from pos.reports.filters import ROME, Scope, resolve_scope
from pos.reports.model import Report

FORMATS = ("pdf", "csv", "xlsx")


@dataclass(frozen=True)
class ReportSpec:
    name: str
    label: str  # English message id
    build: Callable[[Session, Scope, str | None], Report]
    needs_lot: bool = False


def _sales(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.sales import sales_report

    return sales_report(session, scope)


def _waste(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.waste import waste_report

    return waste_report(session, scope)


def _stock(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.stock import stock_report

    return stock_report(session, scope)


def _z(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.z import z_report_archive

    return z_report_archive(session, scope)


def _impact(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.impact import impact_report

    return impact_report(session, scope)


def _haccp(session: Session, scope: Scope, _lot: str | None) -> Report:
    from pos.reports.haccp import haccp_report

    return haccp_report(session, scope)


def _trace(session: Session, scope: Scope, lot: str | None) -> Report:
    from pos.reports.trace import trace_report

    if not lot:
        raise InvalidInput(_("the trace report needs a lot code (--lot CODE)"))
    return trace_report(session, scope, lot)


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec("sales", N_("Sales"), _sales),
        ReportSpec("waste", N_("Waste"), _waste),
        ReportSpec("stock", N_("Stock on hand"), _stock),
        ReportSpec("z", N_("Z reports"), _z),
        ReportSpec("impact", N_("km0 and social impact"), _impact),
        ReportSpec("haccp", N_("HACCP register"), _haccp),
        ReportSpec("trace", N_("Lot traceability"), _trace, needs_lot=True),
    )
}


# the reports that read the per-day summaries (pos.reports.summaries)
SUMMARISED = frozenset({"sales", "waste", "impact"})


def make_report(
    db: Database,
    name: str,
    *,
    actor: Operator,
    site: str | None = None,
    first: date | None = None,
    last: date | None = None,
    lot: str | None = None,
    km0_radius_km: int = 70,
    km0_lab_min_share_pct: int = 50,
) -> Report:
    """Build a report by name over a site (None: all) and a period of local days (checked).

    Every report names people or their work (operators' takings, who recorded a temperature, the
    customers a lot went to), so each is the policy's ``REPORTS``, checked here for the till, the
    CLI and any caller alike.
    """
    with db.read() as session:
        authorise(session, actor, Action.REPORTS)
    spec = REPORTS.get(name)
    if spec is None:
        raise InvalidInput(
            _("no report {name!r} (the reports are {names})").format(name=name, names=", ".join(REPORTS))
        )
    if spec.name in SUMMARISED:
        # A report may write: the closed days not summarised yet are summarised first (one write
        # transaction, only when there is such a day), so the report reads them from the summaries.
        from pos.reports.summaries import ensure_summaries

        ensure_summaries(db, datetime.now(ROME).date())
    with db.read() as session:
        scope = replace(
            resolve_scope(session, site, first, last, km0_radius_km), km0_lab_min_share_pct=km0_lab_min_share_pct
        )
        return spec.build(session, scope, lot)


def write_report(report: Report, path: Path, fmt: str, *, plain: bool = False, company_name: str | None = None) -> Path:
    """Write the report in a format (pdf, csv, xlsx); an unwritable path is one clear error."""
    if fmt not in FORMATS:
        raise InvalidInput(_("no format {fmt!r} (use pdf, csv or xlsx)").format(fmt=fmt))
    existed = path.exists()
    _check_writable(path)
    try:
        if fmt == "pdf":
            from pos.reports.render_pdf import write_pdf_report

            write_pdf_report(report, path, company_name=company_name or "Fuori e Dentro")
        elif fmt == "csv":
            from pos.reports.render_sheets import write_csv_report

            write_csv_report(report, path, plain=plain)
        else:
            from pos.reports.render_sheets import write_xlsx_report

            write_xlsx_report(report, path)
    except BaseException:
        if not existed:  # no half-written file left behind under the name asked for
            path.unlink(missing_ok=True)
        raise
    return path


def file_name(report: Report, fmt: str, *, site: str | None = None, lot: str | None = None) -> str:
    """sales-PAL-20261001-20261031.pdf, stock-TUTTE-20261125.csv, trace-PAL-261125-0001.pdf."""
    if report.name == "trace" and lot:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in lot.strip())
        return f"trace-{safe}.{fmt}"
    if report.period:
        period = f"{report.period[0]:%Y%m%d}-{report.period[1]:%Y%m%d}"
    else:
        from datetime import datetime

        from orto.localtime import ROME

        period = f"{datetime.now(ROME):%Y%m%d}"
    return f"{report.name}-{(site or 'tutte').strip().upper()}-{period}.{fmt}"


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InvalidInput(_("{path} is a folder: give a file name").format(path=path))
    if not folder.is_dir():
        raise InvalidInput(
            _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=folder)
        )
    try:
        with path.open("ab"):
            pass
    except OSError as exc:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from exc
