"""Sales: by site, counter, category, product, VAT rate, payment method, hour of day and day;
top products; social-tariff and spesa-sospesa totals.

Closed days already summarised (``pos.reports.summaries``: per day and counter, lines by
product and VAT rate, sales by local hour, kind and social tariff, payments by method) are read
from the summaries; the other days (today, or days not summarised yet) from the raw rows by the
same aggregates: lines by (product, VAT rate), sales by (counter, UTC hour, kind, social tariff),
payments by method. Donations come from their own rows. Everything else is folded from a few
thousand grouped rows, and the figures are identical whichever way a day was read.
Figures are net of refunds, like the Z report's "net": the total here is the
sum of the Z reports of the same days and counters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from orto.i18n import gettext as _
from orto.models import (
    Category,
    Counter,
    FundMovement,
    Payment,
    PaymentMethod,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SalesDayHour,
    SalesDayLine,
    SalesDayPayment,
    Site,
    Unit,
)
from orto.models.base import table_of
from orto.money import VatShare, vat_breakdown
from pos.reports.buckets import local_hour, utc_hour
from pos.reports.figures import share_bp
from pos.reports.filters import Scope
from pos.reports.model import Chart, Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import completed_sales, in_period
from pos.reports.summaries import social_tariff, summarised_through

TOP = 10


def sales_report(session: Session, scope: Scope, *, summaries: bool = True) -> Report:
    """The report; closed days already summarised are read from the per-day summaries (see
    ``pos.reports.summaries``), the rest from the raw rows. ``summaries=False`` reads raw rows only:
    the figures are the same either way."""
    report = Report("sales", _("Sales"), scope.site_label, (scope.first, scope.last))
    newest = summarised_through(session) if summaries else None
    raw_first = scope.first
    lines_by_key: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    paid_by_method: dict[PaymentMethod, list[int]] = defaultdict(lambda: [0, 0])
    # gross per (Milan day, counter, VAT rate): the Z's basis, see ``_vat_of_days``
    day_gross: dict[tuple[date, int, int], int] = defaultdict(int)
    folded = _Folded()
    if newest is not None and newest >= scope.first:
        last = min(newest, scope.last)
        raw_first = last + timedelta(days=1)
        _read_summaries(session, scope, last, lines_by_key, paid_by_method, folded, day_gross)
    if raw_first <= scope.last:
        _read_raw(session, replace(scope, first=raw_first), lines_by_key, paid_by_method, folded, day_gross)
    lines = [(product, rate, q, t) for (product, rate), (q, t) in sorted(lines_by_key.items())]
    payments = [(method, n, t) for method, (n, t) in paid_by_method.items()]
    donation_where = [FundMovement.kind == "donation", *in_period(FundMovement.at, scope)]
    if scope.counter_ids is not None:
        donation_where.append(FundMovement.counter_id.in_(scope.counter_ids))
    donated = int(
        session.scalar(select(func.coalesce(func.sum(FundMovement.amount_cents), 0)).where(*donation_where)) or 0
    )

    counters = {
        cid: (code, name, site_code, site_name)
        for cid, code, name, site_code, site_name in session.execute(
            select(Counter.id, Counter.code, Counter.name, Site.code, Site.name).join(Site, Site.id == Counter.site_id)
        )
    }
    products = {
        pid: (code, name, unit, category or _("(no category)"))
        for pid, code, name, unit, category in session.execute(
            select(Product.id, Product.code, Product.name, Product.unit, Category.name).outerjoin(
                Category, Category.id == Product.category_id
            )
        )
    }

    # -- the sales folded by day, local hour and counter
    count, gross, refunds_count, refunds = folded.count, folded.gross, folded.refunds_count, folded.refunds
    social_count, social_cents = folded.social_count, folded.social_cents
    by_day, by_hour, by_counter = folded.by_day, folded.by_hour, folded.by_counter
    net = gross + refunds

    vat = _vat_of_days(day_gross)
    paid = {m: (n, t) for m, n, t in payments}
    redeemed = paid.get(PaymentMethod.SOLIDARITY, (0, 0))[1]

    report.summary = [
        Figure(_("Sales"), count, Kind.COUNT),
        Figure(_("Takings before refunds (€)"), gross, Kind.CENTS),
        Figure(_("Refunds"), refunds_count, Kind.COUNT),
        Figure(_("Refunded (€)"), -refunds, Kind.CENTS),
        Figure(_("Net takings (€)"), net, Kind.CENTS),
        Figure(_("of which VAT (€)"), sum(v.tax_cents for v in vat), Kind.CENTS),
        Figure(_("Average sale (€)"), gross // count if count else 0, Kind.CENTS),
        Figure(_("Social-tariff sales (Tessera di quartiere)"), social_count, Kind.COUNT),
        Figure(_("Social-tariff takings (€)"), social_cents, Kind.CENTS),
        Figure(_("Spesa sospesa redeemed (€)"), redeemed, Kind.CENTS),
        Figure(_("Spesa sospesa donations (€)"), donated, Kind.CENTS),
    ]

    # -- by site and counter
    site_names: dict[str, str] = {}
    site_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    counter_table = Table(
        _("By counter"),
        [
            Column(_("Counter")),
            Column(_("Name")),
            Column(_("Site")),
            Column(_("Sales"), Kind.COUNT),
            Column(_("Net (€)"), Kind.CENTS),
        ],
    )
    for counter_id in sorted(by_counter, key=lambda c: counters[c][0]):
        code, name, site_code, site_name = counters[counter_id]
        n, total = by_counter[counter_id]
        counter_table.rows.append((code, name, site_code, n, total))
        site_names[site_code] = site_name
        site_totals[site_code][0] += n
        site_totals[site_code][1] += total
    site_table = Table(
        _("By site"),
        [Column(_("Site")), Column(_("Name")), Column(_("Sales"), Kind.COUNT), Column(_("Net (€)"), Kind.CENTS)],
        [(code, site_names[code], n, total) for code, (n, total) in sorted(site_totals.items())],
    )
    for table in (site_table, counter_table):
        if table.rows:
            table.total = (_("Total"), *[""] * (len(table.columns) - 3), count, net)

    # -- by product and category
    per_product: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_category: dict[str, int] = defaultdict(int)
    for product_id, _rate, quantity, total in lines:
        per_product[product_id][0] += int(quantity or 0)
        per_product[product_id][1] += int(total or 0)
        per_category[products[product_id][3]] += int(total or 0)
    category_table = Table(
        _("By category"),
        [Column(_("Category")), Column(_("Net (€)"), Kind.CENTS), Column(_("Share"), Kind.PERCENT_BP)],
        [(name, total, _share(total, net)) for name, total in sorted(per_category.items(), key=lambda kv: -kv[1])],
    )
    if category_table.rows:
        category_table.total = (_("Total"), net, 10_000 if net else 0)
    product_columns = [
        Column(_("Code")),
        Column(_("Product")),
        Column(_("Category")),
        Column(_("kg or l"), Kind.GRAMS),
        Column(_("Pieces"), Kind.COUNT),
        Column(_("Net (€)"), Kind.CENTS),
    ]
    product_rows = []
    for product_id, (quantity, total) in per_product.items():
        code, name, unit, category = products[product_id]
        weighed = unit is not Unit.PIECE
        product_rows.append((code, name, category, quantity if weighed else None, None if weighed else quantity, total))
    by_value = sorted(product_rows, key=lambda r: (-int(r[5] or 0), str(r[0])))
    top_table = Table(_("Top {n} products").format(n=TOP), product_columns, by_value[:TOP])
    product_table = Table(_("By product"), product_columns, sorted(product_rows, key=lambda r: str(r[0])))
    if product_table.rows:
        product_table.total = (_("Total"), "", "", None, None, net)

    vat_table = Table(
        _("By VAT rate"),
        [
            Column(_("VAT rate"), Kind.PERCENT_BP),
            Column(_("Gross (€)"), Kind.CENTS),
            Column(_("Taxable (€)"), Kind.CENTS),
            Column(_("VAT (€)"), Kind.CENTS),
        ],
        [(v.rate_bp, v.gross_cents, v.taxable_cents, v.tax_cents) for v in vat],
    )
    if vat:
        vat_table.total = (
            _("Total"),
            sum(v.gross_cents for v in vat),
            sum(v.taxable_cents for v in vat),
            sum(v.tax_cents for v in vat),
        )
    payment_table = Table(
        _("By payment method"),
        [Column(_("Method")), Column(_("Payments"), Kind.COUNT), Column(_("Amount (€)"), Kind.CENTS)],
        [(_(method.value), n, total) for method, (n, total) in sorted(paid.items(), key=lambda kv: kv[0].value)],
    )
    if paid:
        payment_table.total = (_("Total"), sum(n for n, _t in paid.values()), sum(t for _n, t in paid.values()))
    hour_table = Table(
        _("By hour of day"),
        [Column(_("Hour")), Column(_("Sales"), Kind.COUNT), Column(_("Net (€)"), Kind.CENTS)],
        [(f"{h:02d}:00-{h + 1:02d}:00", n, total) for h, (n, total) in sorted(by_hour.items())],
    )
    day_table = Table(
        _("By day"),
        [Column(_("Day"), Kind.DATE), Column(_("Sales"), Kind.COUNT), Column(_("Net (€)"), Kind.CENTS)],
        [(d, n, total) for d, (n, total) in sorted(by_day.items())],
    )
    if by_day:
        day_table.total = (_("Total"), count, net)
    report.tables = [
        site_table,
        counter_table,
        category_table,
        top_table,
        vat_table,
        payment_table,
        hour_table,
        day_table,
        product_table,
    ]
    if len(by_day) > 1:
        report.charts.append(
            Chart(
                _("Net takings by day (€)"),
                "line",
                [d.strftime("%d/%m") for d in sorted(by_day)],
                [(_("Net (€)"), [by_day[d][1] for d in sorted(by_day)])],
            )
        )
    return report


def _vat_of_days(day_gross: dict[tuple[date, int, int], int]) -> list[VatShare]:
    """VAT per rate as the sum of each counter's daily Z: the Z splits VAT from each rate's total
    of one counter's day (``vat_breakdown``), and the Z is the fiscal basis, so the period's VAT is
    the sum of those splits, not one split of the period's total (which differs by rounding)."""
    per_day: dict[tuple[date, int], list[tuple[int, int]]] = defaultdict(list)
    for (day, counter_id, rate), gross in day_gross.items():
        per_day[(day, counter_id)].append((rate, gross))
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pairs in per_day.values():
        for share in vat_breakdown(pairs):
            cell = sums[share.rate_bp]
            cell[0] += share.gross_cents
            cell[1] += share.taxable_cents
            cell[2] += share.tax_cents
    return [VatShare(rate, *sums[rate]) for rate in sorted(sums)]


def _share(part: int, whole: int) -> int:
    return share_bp(part, whole)


class _Folded:
    """The completed sales: totals, and sales and net by local day, local hour and counter. A
    refund counts among the refunds, not the sales, and its (negative) total in the nets."""

    def __init__(self) -> None:
        self.count = self.gross = self.refunds_count = self.refunds = 0
        self.social_count = self.social_cents = 0
        self.by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        self.by_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        self.by_counter: dict[int, list[int]] = defaultdict(lambda: [0, 0])

    def add_day(self, day: date, kind: SaleKind, social: bool, n: int, total: int) -> None:
        """Every sale passes here once: the totals with the day."""
        if kind is SaleKind.REFUND:
            self.refunds_count += n
            self.refunds += total
        else:
            self.count += n
            self.gross += total
            if social:
                self.social_count += n
                self.social_cents += total
        self._add(self.by_day[day], kind, n, total)

    def add_hour(self, hour: int, kind: SaleKind, n: int, total: int) -> None:
        self._add(self.by_hour[hour], kind, n, total)

    def add_counter(self, counter_id: int, kind: SaleKind, n: int, total: int) -> None:
        self._add(self.by_counter[counter_id], kind, n, total)

    @staticmethod
    def _add(cell: list[int], kind: SaleKind, n: int, total: int) -> None:
        if kind is not SaleKind.REFUND:
            cell[0] += n
        cell[1] += total


def _read_raw(
    session: Session,
    scope: Scope,
    lines_by_key: dict[tuple[int, int], list[int]],
    paid_by_method: dict[PaymentMethod, list[int]],
    folded: _Folded,
    day_gross: dict[tuple[date, int, int], int],
) -> None:
    """The days of the scope from the raw rows: four aggregate queries."""
    where = completed_sales(scope)
    # Lines of the sales in scope through IN (…) rather than a join: SQLite then reads the sales'
    # index once and each sale's lines by theirs (half the time of the join over a year). A
    # refund line names the line it refunds, which gives its sign without the sale's kind.
    refunded = SaleLine.original_line_id.is_not(None)
    for product_id, rate, quantity, total in session.execute(
        select(
            SaleLine.product_id,
            SaleLine.vat_rate_bp,
            func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
            func.sum(SaleLine.total_cents),
        )
        .where(SaleLine.sale_id.in_(select(Sale.id).where(*where)))
        .group_by(SaleLine.product_id, SaleLine.vat_rate_bp)
    ):
        cell = lines_by_key[(product_id, rate)]
        cell[0] += int(quantity or 0)
        cell[1] += int(total or 0)
    hour = utc_hour(session, Sale.completed_at)
    for counter_id, bucket, rate, total in session.execute(
        select(Sale.counter_id, hour, SaleLine.vat_rate_bp, func.sum(SaleLine.total_cents))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(*where)
        .group_by(Sale.counter_id, hour, SaleLine.vat_rate_bp)
    ):
        day_gross[(local_hour(bucket).date(), counter_id, rate)] += int(total or 0)
    social = social_tariff(session)
    for counter_id, bucket, kind, is_social, n, total in session.execute(
        select(Sale.counter_id, hour, Sale.kind, social, func.count(), func.sum(Sale.total_cents))
        .where(*where)
        .group_by(Sale.counter_id, hour, Sale.kind, social)
    ):
        moment = local_hour(bucket)
        n, total = int(n), int(total or 0)
        folded.add_day(moment.date(), kind, bool(is_social), n, total)
        folded.add_hour(moment.hour, kind, n, total)
        folded.add_counter(counter_id, kind, n, total)
    for method, n, total in session.execute(
        select(Payment.method, func.count(), func.sum(Payment.amount_cents))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(*where)
        .group_by(Payment.method)
    ):
        cell = paid_by_method[PaymentMethod(method)]
        cell[0] += int(n)
        cell[1] += int(total or 0)


def _read_summaries(
    session: Session,
    scope: Scope,
    last: date,
    lines_by_key: dict[tuple[int, int], list[int]],
    paid_by_method: dict[PaymentMethod, list[int]],
    folded: _Folded,
    day_gross: dict[tuple[date, int, int], int],
) -> None:
    """The summarised days ``scope.first`` … ``last`` from the per-day summaries."""

    def within(model: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [model.day >= scope.first, model.day <= last]
        if scope.counter_ids is not None:
            conditions.append(model.counter_id.in_(scope.counter_ids))
        return conditions

    for product_id, rate, quantity, total in session.execute(
        select(
            SalesDayLine.product_id,
            SalesDayLine.vat_rate_bp,
            func.sum(SalesDayLine.quantity),
            func.sum(SalesDayLine.total_cents),
        )
        .where(*within(SalesDayLine))
        .group_by(SalesDayLine.product_id, SalesDayLine.vat_rate_bp)
    ):
        cell = lines_by_key[(product_id, rate)]
        cell[0] += int(quantity or 0)
        cell[1] += int(total or 0)
    for day, counter_id, rate, total in session.execute(
        select(SalesDayLine.day, SalesDayLine.counter_id, SalesDayLine.vat_rate_bp, func.sum(SalesDayLine.total_cents))
        .where(*within(SalesDayLine))
        .group_by(SalesDayLine.day, SalesDayLine.counter_id, SalesDayLine.vat_rate_bp)
    ):
        day_gross[(day, counter_id, rate)] += int(total or 0)
    # the sales grouped three ways (by day, hour, counter): some hundreds of rows over a year
    hours = table_of(SalesDayHour).c
    sold_sum, cents_sum = func.sum(hours.sales), func.sum(hours.total_cents)
    for day, kind, is_social, sold, cents in session.execute(
        select(hours.day, hours.kind, hours.social, sold_sum, cents_sum)
        .where(*within(hours))
        .group_by(hours.day, hours.kind, hours.social)
    ):
        folded.add_day(day, kind, bool(is_social), int(sold), int(cents))
    for hour, kind, sold, cents in session.execute(
        select(hours.hour, hours.kind, sold_sum, cents_sum).where(*within(hours)).group_by(hours.hour, hours.kind)
    ):
        folded.add_hour(hour, kind, int(sold), int(cents))
    for counter_id, kind, sold, cents in session.execute(
        select(hours.counter_id, hours.kind, sold_sum, cents_sum)
        .where(*within(hours))
        .group_by(hours.counter_id, hours.kind)
    ):
        folded.add_counter(counter_id, kind, int(sold), int(cents))
    for method, n, total in session.execute(
        select(SalesDayPayment.method, func.sum(SalesDayPayment.payments), func.sum(SalesDayPayment.amount_cents))
        .where(*within(SalesDayPayment))
        .group_by(SalesDayPayment.method)
    ):
        cell = paid_by_method[PaymentMethod(method)]
        cell[0] += int(n or 0)
        cell[1] += int(total or 0)
