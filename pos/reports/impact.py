"""km0 and social impact, the cooperative's account to its funder: the share of purchases from
km0 farms by value and weight, the suppliers with their distances, kilos rescued by the lab,
waste and its trend, social-tariff sales, spesa-sospesa donations and redemptions, sales per site.

A one-page summary with two charts (waste trend, km0 share), then the detail. Waste and sales
come from the same functions as the waste and sales reports, so the figures agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.enums import FundMovementKind
from orto.i18n import gettext as _
from orto.km0 import Km0Rule, km0_lot_ids, producer_of
from orto.models import (
    Counter,
    Delivery,
    DeliveryLine,
    FundMovement,
    Product,
    SaleKind,
    Site,
    SolidarityFund,
    Supplier,
    SupplierDistance,
    SupplierKind,
    Unit,
)
from orto.money import div_round_half_up
from pos.reports.buckets import local_hour, utc_hour
from pos.reports.day_reads import sales_totals, sold_lots, waste_groups
from pos.reports.figures import rescued_grams, share_bp, waste_rate_bp
from pos.reports.filters import Scope
from pos.reports.model import Chart, Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import at_site, in_period
from pos.reports.waste import month_label


def impact_report(session: Session, scope: Scope, *, summaries: bool = True) -> Report:
    """The report; ``summaries=False`` reads the raw tables only (the figures are the same)."""
    report = Report("impact", _("km0 and social impact"), scope.site_label, (scope.first, scope.last))
    report.summary_page = True
    radius = scope.km0_radius_km

    # -- purchases: accepted delivery lines, valued at their cost, by supplier, site, unit and month
    hour = utc_hour(session, Delivery.received_at)
    purchases = session.execute(
        select(
            Delivery.supplier_id,
            DeliveryLine.origin_supplier_id,
            Delivery.site_id,
            Product.unit,
            hour,
            func.sum(DeliveryLine.quantity),
            func.sum(DeliveryLine.quantity * DeliveryLine.unit_cost_cents),
        )
        .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
        .join(Product, Product.id == DeliveryLine.product_id)
        .where(
            DeliveryLine.accepted.is_(True), *in_period(Delivery.received_at, scope), *at_site(Delivery.site_id, scope)
        )
        .group_by(Delivery.supplier_id, DeliveryLine.origin_supplier_id, Delivery.site_id, Product.unit, hour)
    ).all()
    distances = {
        (s, site): km
        for s, site, km in session.execute(
            select(SupplierDistance.supplier_id, SupplierDistance.site_id, SupplierDistance.distance_km)
        )
    }
    suppliers = {
        sid: (code, name, city)
        for sid, code, name, city in session.execute(select(Supplier.id, Supplier.code, Supplier.name, Supplier.city))
    }
    kinds = {sid: SupplierKind(kind) for sid, kind in session.execute(select(Supplier.id, Supplier.kind))}
    sites = dict(session.execute(select(Site.id, Site.code)).all())

    value_total = value_km0 = grams_total = grams_km0 = 0
    per_supplier: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # value, grams, pieces
    per_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # km0 value, other value
    supplier_sites: dict[int, set[int]] = defaultdict(set)
    for supplier_id, origin_id, site_id, unit, bucket, quantity, cost_units in purchases:
        value = div_round_half_up(int(cost_units or 0), unit.base_per_unit)
        quantity = int(quantity or 0)
        # km0 is where the food was produced: the line's producer of origin, or the supplier if
        # it is a producer (orto.km0); a distributor's goods without an origin are not km0
        producer = producer_of(origin_id, supplier_id, None, kinds)
        km = distances.get((producer, site_id)) if producer is not None else None
        km0 = km is not None and km <= radius
        weighed = unit is not Unit.PIECE
        value_total += value
        grams_total += quantity if weighed else 0
        if km0:
            value_km0 += value
            grams_km0 += quantity if weighed else 0
        entry = per_supplier[supplier_id]
        entry[0] += value
        entry[1 if weighed else 2] += quantity
        supplier_sites[supplier_id].add(site_id)
        month = local_hour(bucket).date().replace(day=1)
        per_month[month][0 if km0 else 1] += value

    supplier_table = Table(
        _("Suppliers, their distance and what we bought"),
        [
            Column(_("Code")),
            Column(_("Supplier")),
            Column(_("Town")),
            Column(_("Distance (km)")),
            Column(_("Kind")),
            Column(_("km0")),
            Column(_("Purchases (€)"), Kind.CENTS),
            Column(_("kg or l"), Kind.GRAMS),
            Column(_("Pieces"), Kind.COUNT),
        ],
        note=_(
            "km0: food produced within {km} km of the site that received it; a distributor's goods count "
            "only through the producer of origin named at reception."
        ).format(km=radius),
    )
    for supplier_id, (value, grams, pieces) in sorted(per_supplier.items(), key=lambda kv: -kv[1][0]):
        code, name, city = suppliers[supplier_id]
        kms = sorted((sites[site], distances.get((supplier_id, site))) for site in supplier_sites[supplier_id])
        distance_text = ", ".join(f"{site} {km if km is not None else '?'}" for site, km in kms)
        kind = kinds[supplier_id]
        km0 = kind.is_producer and all(km is not None and km <= radius for _s, km in kms)
        supplier_table.rows.append(
            (
                code,
                name,
                city,
                distance_text,
                _(kind.value),
                _("yes") if km0 else _("no"),
                value,
                grams or None,
                pieces or None,
            )
        )
    if supplier_table.rows:
        supplier_table.total = (
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            value_total,
            grams_total,
            sum(v[2] for v in per_supplier.values()),
        )

    # -- waste, rescue, sales, social tariff, spesa sospesa: waste and sales grouped once, from the
    # per-day summaries where summarised (pos.reports.day_reads)
    wasted = waste_groups(session, scope, summaries=summaries)
    waste_cents = sum(v for v, _g in wasted.by_day.values())
    waste_grams = sum(g for _v, g in wasted.by_day.values())
    totals = sales_totals(session, scope, summaries=summaries)
    sales = sum(total for _n, total in totals.values())
    rescued = rescued_grams(session, scope)
    social_count = sum(n for (_c, kind, social), (n, _t) in totals.items() if social and kind == SaleKind.SALE)
    social_cents = sum(t for (_c, kind, social), (_n, t) in totals.items() if social and kind == SaleKind.SALE)
    fund_where = [*in_period(FundMovement.at, scope)]
    if scope.site_id is not None:
        fund_where.append(
            FundMovement.fund_id.in_(select(SolidarityFund.id).where(SolidarityFund.site_id == scope.site_id))
        )
    funds = dict(
        (kind, (int(n), int(total or 0)))
        for kind, n, total in session.execute(
            select(FundMovement.kind, func.count(), func.sum(FundMovement.amount_cents))
            .where(*fund_where)
            .group_by(FundMovement.kind)
        )
    )
    donations = funds.get(FundMovementKind.DONATION, (0, 0))
    redemptions = funds.get(FundMovementKind.REDEMPTION, (0, 0))
    reversals = funds.get(FundMovementKind.REVERSAL, (0, 0))

    counter_sites = dict(session.execute(select(Counter.id, Counter.site_id)).all())
    site_rows = {sid: (code, name) for sid, code, name in session.execute(select(Site.id, Site.code, Site.name))}
    site_sales: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (counter_id, kind, _social), (n, total) in totals.items():
        if kind == SaleKind.SALE:
            site_sales[counter_sites[counter_id]][0] += n
            site_sales[counter_sites[counter_id]][1] += total
    per_site = sorted((*site_rows[sid], n, t) for sid, (n, t) in site_sales.items())
    site_table = Table(
        _("Sales per site"),
        [Column(_("Site")), Column(_("Name")), Column(_("Sales"), Kind.COUNT), Column(_("Takings (€)"), Kind.CENTS)],
        [(c, n, int(k), int(t or 0)) for c, n, k, t in per_site],
        note=_("Takings before refunds."),
    )

    sold = _km0_sales(session, scope, summaries)
    km0_table = Table(
        _("km0 share of purchases and of sales"),
        [
            Column(_("What")),
            Column(_("km0 (€)"), Kind.CENTS),
            Column(_("All (€)"), Kind.CENTS),
            Column(_("km0 share (€)"), Kind.PERCENT_BP),
            Column(_("km0 kg or l"), Kind.GRAMS),
            Column(_("All kg or l"), Kind.GRAMS),
            Column(_("km0 share (kg)"), Kind.PERCENT_BP),
        ],
        [
            (
                _("Purchases"),
                value_km0,
                value_total,
                share_bp(value_km0, value_total),
                grams_km0,
                grams_total,
                share_bp(grams_km0, grams_total),
            ),
            (
                _("Sales"),
                sold.km0_cents,
                sold.cents,
                share_bp(sold.km0_cents, sold.cents),
                sold.km0_grams,
                sold.grams,
                share_bp(sold.km0_grams, sold.grams),
            ),
        ],
        note=_(
            "Sales: each line by its lot, km0 at the selling site (a lab product by its inputs' weight); "
            "weights count products sold by kg or litre only."
        ),
    )
    report.summary = [
        Figure(_("Purchases from suppliers (€)"), value_total, Kind.CENTS),
        Figure(_("km0 share of purchases, by value"), share_bp(value_km0, value_total), Kind.PERCENT_BP),
        Figure(_("km0 share of purchases, by weight"), share_bp(grams_km0, grams_total), Kind.PERCENT_BP),
        Figure(_("km0 share of sales, by value"), share_bp(sold.km0_cents, sold.cents), Kind.PERCENT_BP),
        Figure(_("km0 share of sales, by weight"), share_bp(sold.km0_grams, sold.grams), Kind.PERCENT_BP),
        Figure(_("Bought by weight (kg)"), grams_total, Kind.GRAMS),
        Figure(_("Rescued by the lab (kg)"), rescued, Kind.GRAMS),
        Figure(_("Waste at cost (€)"), waste_cents, Kind.CENTS),
        Figure(_("Waste by weight (kg)"), waste_grams, Kind.GRAMS),
        Figure(_("Waste rate: waste / (sales + waste)"), waste_rate_bp(waste_cents, sales), Kind.PERCENT_BP),
        Figure(_("Net sales (€)"), sales, Kind.CENTS),
        Figure(_("Social-tariff sales (Tessera di quartiere)"), int(social_count), Kind.COUNT),
        Figure(_("Social-tariff takings (€)"), int(social_cents), Kind.CENTS),
        Figure(_("Spesa sospesa donations (€)"), donations[1], Kind.CENTS),
        Figure(_("Spesa sospesa redeemed (€)"), -redemptions[1] - reversals[1], Kind.CENTS),
        Figure(_("Spesa sospesa shoppings paid"), redemptions[0], Kind.COUNT),
    ]

    # -- waste trend by month (local), the same records as the waste report
    trend: dict[date, int] = defaultdict(int)
    for day, (value, _g) in wasted.by_day.items():
        trend[day.replace(day=1)] += value
    months = sorted(set(trend) | set(per_month))
    month_table = Table(
        _("By month"),
        [
            Column(_("Month")),
            Column(_("km0 purchases (€)"), Kind.CENTS),
            Column(_("Other purchases (€)"), Kind.CENTS),
            Column(_("km0 share"), Kind.PERCENT_BP),
            Column(_("Waste at cost (€)"), Kind.CENTS),
        ],
        [
            (month_label(m), per_month[m][0], per_month[m][1], share_bp(per_month[m][0], sum(per_month[m])), trend[m])
            for m in months
        ],
    )
    if month_table.rows:
        month_table.total = (
            _("Total"),
            value_km0,
            value_total - value_km0,
            share_bp(value_km0, value_total),
            waste_cents,
        )
    if months:
        labels = [month_label(m) for m in months]
        report.charts.append(
            Chart(
                _("Waste at cost by month (€)"), "bar", labels, [(_("Waste at cost (€)"), [trend[m] for m in months])]
            )
        )
        report.charts.append(
            Chart(
                _("Purchases by month: km0 and other (€)"),
                "bar",
                labels,
                [(_("km0"), [per_month[m][0] for m in months]), (_("other"), [per_month[m][1] for m in months])],
            )
        )
    report.tables = [km0_table, month_table, supplier_table, site_table]
    return report


@dataclass
class _Km0Sales:
    cents: int = 0
    km0_cents: int = 0
    grams: int = 0
    km0_grams: int = 0


def _km0_sales(session: Session, scope: Scope, summaries: bool) -> _Km0Sales:
    """Net sales (refunds off) by site and lot, km0 by the lot's rule at the selling site."""
    rows = sold_lots(session, scope, summaries=summaries)
    lots_of: dict[int, set[int]] = defaultdict(set)
    for site_id, lot_id, _unit in rows:
        if lot_id is not None:
            lots_of[site_id].add(lot_id)
    rule = Km0Rule(scope.km0_radius_km, scope.km0_lab_min_share_pct)
    km0 = {site_id: km0_lot_ids(session, rule, site_id, lots) for site_id, lots in lots_of.items()}
    out = _Km0Sales()
    for (site_id, lot_id, weighed), (quantity, cents) in rows.items():
        grams = quantity if weighed else 0
        out.cents += cents
        out.grams += grams
        if lot_id in km0.get(site_id, ()):
            out.km0_cents += cents
            out.km0_grams += grams
    return out
