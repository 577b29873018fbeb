"""Waste: kilos, pieces and value at cost by reason, category, site, month and product; the trend
as a chart; the waste rate (waste value / (sales + waste value)); kilos rescued by the lab beside it.

One set of grouped rows, by (Milan day, site, product, reason): from the per-day summaries for
the records summarised, from the raw records for the rest (``pos.reports.day_reads``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import Category, Product, Site, Unit, WasteReason
from pos.reports.day_reads import sales_totals, waste_groups
from pos.reports.figures import rescued_grams, share_bp, waste_rate_bp
from pos.reports.filters import Scope
from pos.reports.model import Chart, Column, Figure, Kind, Report, Table

# English message ids of the reasons (the stored values are codes, not text)
_REASONS = {
    WasteReason.EXPIRED: N_("expired"),
    WasteReason.SPOILED: N_("spoiled"),
    WasteReason.DAMAGED: N_("damaged"),
    WasteReason.UNSOLD_PREPARED: N_("unsold prepared food"),
    WasteReason.PRODUCTION_LOSS: N_("production loss"),
    WasteReason.QUALITY: N_("quality"),
    WasteReason.DONATED: N_("donated"),
}


def reason_label(reason: WasteReason) -> str:
    return _(_REASONS.get(reason, reason.value))


def _quantity_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column(_("kg or l"), Kind.GRAMS),
        Column(_("Pieces"), Kind.COUNT),
        Column(_("Value at cost (€)"), Kind.CENTS),
        Column(_("Share of value"), Kind.PERCENT_BP),
    ]


def month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


def waste_report(session: Session, scope: Scope, *, summaries: bool = True) -> Report:
    """The report; ``summaries=False`` reads the raw tables only (the figures are the same)."""
    report = Report("waste", _("Waste"), scope.site_label, (scope.first, scope.last))
    grouped = waste_groups(session, scope, summaries=summaries)
    products = {
        pid: (code, name, category or _("(no category)"))
        for pid, code, name, category in session.execute(
            select(Product.id, Product.code, Product.name, Category.name).outerjoin(
                Category, Category.id == Product.category_id
            )
        )
    }
    sites = dict(session.execute(select(Site.id, Site.code)).all())

    records = value = total_grams = total_pieces = 0
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_site: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_product: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    units = dict(session.execute(select(Product.id, Product.unit)).all())
    trend: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    monthly = (scope.last - scope.first).days > 62  # months, or days for a period up to two months
    for day, (v, g) in grouped.by_day.items():
        key = day.replace(day=1) if monthly else day
        trend[key][0] += v
        trend[key][1] += g
    for (site_id, product_id, reason), (n, quantity, v) in grouped.by_key.items():
        weighed = units[product_id] is not Unit.PIECE
        g, p = (quantity, 0) if weighed else (0, quantity)
        records += n
        value += v
        total_grams += g
        total_pieces += p
        for bucket in (
            by_reason[reason_label(reason)],
            by_category[products[product_id][2]],
            by_site[sites[site_id]],
            by_product[product_id],
        ):
            bucket[0] += g
            bucket[1] += p
            bucket[2] += v

    sales = sum(total for _n, total in sales_totals(session, scope, summaries=summaries).values())
    rescued = rescued_grams(session, scope)
    report.summary = [
        Figure(_("Waste records"), records, Kind.COUNT),
        Figure(_("Wasted, by weight (kg)"), total_grams, Kind.GRAMS),
        Figure(_("Wasted, pieces"), total_pieces, Kind.COUNT),
        Figure(_("Value at cost (€)"), value, Kind.CENTS),
        Figure(_("Net sales in the period (€)"), sales, Kind.CENTS),
        Figure(_("Waste rate: waste / (sales + waste)"), waste_rate_bp(value, sales), Kind.PERCENT_BP),
        Figure(_("Rescued by the lab (kg)"), rescued, Kind.GRAMS),
    ]

    def table(title: str, first: str, groups: dict[str, list[int]]) -> Table:
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1][2], kv[0]))
        t = Table(title, _quantity_columns(first), [(k, g, p, v, share_bp(v, value)) for k, (g, p, v) in ordered])
        if t.rows:
            t.total = (_("Total"), total_grams, total_pieces, value, 10_000 if value else 0)
        return t

    keys = sorted(trend)
    trend_table = Table(
        _("By month") if monthly else _("By day"),
        [
            Column(_("Month") if monthly else _("Day"), Kind.TEXT if monthly else Kind.DATE),
            Column(_("kg or l"), Kind.GRAMS),
            Column(_("Value at cost (€)"), Kind.CENTS),
        ],
        [(month_label(k) if monthly else k, trend[k][1], trend[k][0]) for k in keys],
    )
    product_rows = sorted(
        (
            (*products[pid][:2], products[pid][2], g or None, p or None, v, share_bp(v, value))
            for pid, (g, p, v) in by_product.items()
        ),
        key=lambda r: (-int(r[5] or 0), str(r[0])),
    )
    product_table = Table(
        _("By product"),
        [Column(_("Code")), Column(_("Product")), Column(_("Category")), *_quantity_columns("")[1:]],
        product_rows,
    )
    if product_rows:
        product_table.total = (_("Total"), "", "", total_grams, total_pieces, value, 10_000 if value else 0)
    report.tables = [
        table(_("By reason"), _("Reason"), by_reason),
        table(_("By category"), _("Category"), by_category),
        table(_("By site"), _("Site"), by_site),
        trend_table,
        product_table,
    ]
    if len(keys) > 1:
        labels = [month_label(k) if monthly else k.strftime("%d/%m") for k in keys]
        report.charts.append(
            Chart(_("Waste at cost (€)"), "bar", labels, [(_("Value at cost (€)"), [trend[k][0] for k in keys])])
        )
    return report
