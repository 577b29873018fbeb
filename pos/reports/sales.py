"""Sales: by site, counter, category, product, VAT rate, payment method, hour of day and day;
top products; social-tariff and spesa-sospesa totals.

Four aggregate queries: lines by (product, VAT rate), sales by (counter, UTC hour, kind,
social tariff), payments by method, donations. Everything else is folded from their
few thousand rows. Figures are net of refunds, like the Z report's "net": the total here is the
sum of the Z reports of the same days and counters.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from orto.i18n import gettext as _
from orto.models import (
    Category,
    Counter,
    FundMovement,
    Payment,
    PaymentMethod,
    PriceList,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    Site,
    Unit,
)
from orto.money import vat_breakdown
from pos.reports.buckets import local_hour, utc_hour
from pos.reports.figures import share_bp
from pos.reports.filters import Scope
from pos.reports.model import Chart, Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import completed_sales, in_period

TOP = 10


def sales_report(session: Session, scope: Scope) -> Report:
    report = Report("sales", _("Sales"), scope.site_label, (scope.first, scope.last))
    where = completed_sales(scope)
    # Lines of the sales in scope through IN (…) rather than a join: SQLite then reads the sales'
    # index once and each sale's lines by theirs (half the time of the join over a year). A
    # refund line names the line it refunds, which gives its sign without the sale's kind.
    refunded = SaleLine.original_line_id.is_not(None)
    lines = session.execute(
        select(
            SaleLine.product_id,
            SaleLine.vat_rate_bp,
            func.sum(case((refunded, -SaleLine.quantity), else_=SaleLine.quantity)),
            func.sum(SaleLine.total_cents),
        )
        .where(SaleLine.sale_id.in_(select(Sale.id).where(*where)))
        .group_by(SaleLine.product_id, SaleLine.vat_rate_bp)
    ).all()
    tessera = session.scalar(select(PriceList.id).where(PriceList.code == "tessera"))
    hour = utc_hour(session, Sale.completed_at)
    social = Sale.price_list_id == tessera if tessera is not None else Sale.id.is_(None)
    sales = session.execute(
        select(Sale.counter_id, hour, Sale.kind, social, func.count(), func.sum(Sale.total_cents))
        .where(*where)
        .group_by(Sale.counter_id, hour, Sale.kind, social)
    ).all()
    payments = session.execute(
        select(Payment.method, func.count(), func.sum(Payment.amount_cents))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(*where)
        .group_by(Payment.method)
    ).all()
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

    # -- fold the sales by counter and local hour
    count = refunds_count = 0
    gross = refunds = social_count = social_cents = 0
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    by_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_counter: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for counter_id, bucket, kind, is_social, n, total in sales:
        total = int(total or 0)
        moment = local_hour(bucket)
        if kind is SaleKind.REFUND:
            refunds_count += n
            refunds += total
        else:
            count += n
            gross += total
            by_day[moment.date()][0] += n
            by_hour[moment.hour][0] += n
            by_counter[counter_id][0] += n
            if is_social:
                social_count += n
                social_cents += total
        by_day[moment.date()][1] += total
        by_hour[moment.hour][1] += total
        by_counter[counter_id][1] += total
    net = gross + refunds

    vat = vat_breakdown((rate, int(total or 0)) for _p, rate, _q, total in lines)
    paid = {PaymentMethod(m) if not isinstance(m, PaymentMethod) else m: (n, int(t or 0)) for m, n, t in payments}
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


def _share(part: int, whole: int) -> int:
    return share_bp(part, whole)
