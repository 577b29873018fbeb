"""Z reports per counter and day, as they were closed (their stored totals, never recomputed),
and the archive of the shifts closed in the period with their cash counts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from orto.i18n import gettext as _
from orto.models import Counter, PaymentMethod, Shift, ShiftStatus, User, ZReport
from pos.reports.figures import net_sales
from pos.reports.filters import Scope
from pos.reports.model import Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import in_period


def z_report_archive(session: Session, scope: Scope) -> Report:
    report = Report("z", _("Z reports"), scope.site_label, (scope.first, scope.last))
    where = [ZReport.business_date >= scope.first, ZReport.business_date <= scope.last]
    if scope.counter_ids is not None:
        where.append(ZReport.counter_id.in_(scope.counter_ids))
    zs = session.execute(
        select(Counter.code, ZReport.number, ZReport.business_date, ZReport.totals)
        .join(Counter, Counter.id == ZReport.counter_id)
        .where(*where)
        .order_by(ZReport.business_date, Counter.code)
    ).all()
    table = Table(
        _("Z reports by counter and day"),
        [
            Column(_("Day"), Kind.DATE),
            Column(_("Counter")),
            Column(_("Z no."), Kind.COUNT),
            Column(_("Sales"), Kind.COUNT),
            Column(_("Net (€)"), Kind.CENTS),
            Column(_("VAT (€)"), Kind.CENTS),
            Column(_("Cash (€)"), Kind.CENTS),
            Column(_("Card (€)"), Kind.CENTS),
            Column(_("Other (€)"), Kind.CENTS),
            Column(_("Refunds (€)"), Kind.CENTS),
        ],
    )
    sums = [0] * 7
    for code, number, day, totals in zs:
        payments = totals.get("payments", {})
        cash = int(payments.get(PaymentMethod.CASH.value, 0))
        card = int(payments.get(PaymentMethod.CARD.value, 0))
        other = sum(
            int(v) for k, v in payments.items() if k not in (PaymentMethod.CASH.value, PaymentMethod.CARD.value)
        )
        vat = sum(int(v.get("tax_cents", 0)) for v in totals.get("vat", []))
        values = [
            int(totals.get("sales_count", 0)),
            int(totals.get("net_cents", 0)),
            vat,
            cash,
            card,
            other,
            int(totals.get("refunds_cents", 0)),
        ]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        table.rows.append((day, code, number, *values))
    if table.rows:
        table.total = (_("Total"), "", None, *sums)

    opener, closer = aliased(User), aliased(User)
    shift_where = [Shift.status == ShiftStatus.CLOSED, *in_period(Shift.closed_at, scope)]
    if scope.counter_ids is not None:
        shift_where.append(Shift.counter_id.in_(scope.counter_ids))
    shifts = session.execute(
        select(
            Counter.code,
            Shift.opened_at,
            Shift.closed_at,
            opener.name,
            closer.name,
            Shift.opening_float_cents,
            Shift.expected_cash_cents,
            Shift.counted_cash_cents,
            Shift.difference_cents,
        )
        .join(Counter, Counter.id == Shift.counter_id)
        .join(opener, opener.id == Shift.opened_by)
        .outerjoin(closer, closer.id == Shift.closed_by)
        .where(*shift_where)
        .order_by(Shift.closed_at, Counter.code)
    ).all()
    archive = Table(
        _("Closed shifts"),
        [
            Column(_("Counter")),
            Column(_("Opened"), Kind.DATETIME),
            Column(_("Closed"), Kind.DATETIME),
            Column(_("Opened by")),
            Column(_("Closed by")),
            Column(_("Float (€)"), Kind.CENTS),
            Column(_("Expected cash (€)"), Kind.CENTS),
            Column(_("Counted (€)"), Kind.CENTS),
            Column(_("Difference (€)"), Kind.CENTS),
        ],
        [tuple(row) for row in shifts],
    )
    if archive.rows:
        archive.total = (
            _("Total"),
            None,
            None,
            "",
            "",
            None,
            None,
            None,
            sum(int(r[8] or 0) for r in shifts),
        )
    recorded = net_sales(session, scope)
    z_net = sums[1]
    report.summary = [
        Figure(_("Z reports"), len(zs), Kind.COUNT),
        Figure(_("Net in the Z reports (€)"), z_net, Kind.CENTS),
        Figure(_("Net of the sales recorded (€)"), recorded, Kind.CENTS),
        Figure(_("Shifts closed"), len(shifts), Kind.COUNT),
        Figure(_("Cash differences (€)"), archive.total[8] if archive.total else 0, Kind.CENTS),
    ]
    if z_net != recorded:
        report.notes.append(
            _("The Z reports and the sales differ: a day with sales has no Z report yet, or was closed early.")
        )
    report.landscape = True
    report.tables = [table, archive]
    return report
