"""km0 and social impact, the cooperative's account to its funder: the share of purchases from
km0 farms by value and weight, the suppliers with their distances, kilos rescued by the lab,
waste and its trend, social-tariff sales, spesa-sospesa donations and redemptions, sales per site.

A one-page summary with two charts (waste trend, km0 share), then the detail. Waste and sales
come from the same functions as the waste and sales reports, so the figures agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.i18n import gettext as _
from orto.models import (
    Counter,
    Delivery,
    DeliveryLine,
    FundMovement,
    PriceList,
    Product,
    Sale,
    SaleKind,
    Site,
    SolidarityFund,
    Supplier,
    SupplierDistance,
    Unit,
    WasteRecord,
)
from orto.money import div_round_half_up
from pos.reports.buckets import local_hour, utc_hour
from pos.reports.figures import net_sales, rescued_grams, share_bp, waste_conditions, waste_rate_bp, waste_totals
from pos.reports.filters import Scope
from pos.reports.model import Chart, Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import at_site, completed_sales, in_period
from pos.reports.waste import month_label


def impact_report(session: Session, scope: Scope) -> Report:
    report = Report("impact", _("km0 and social impact"), scope.site_label, (scope.first, scope.last))
    report.summary_page = True
    radius = scope.km0_radius_km

    # -- purchases: accepted delivery lines, valued at their cost, by supplier, site, unit and month
    hour = utc_hour(session, Delivery.received_at)
    purchases = session.execute(
        select(
            Delivery.supplier_id,
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
        .group_by(Delivery.supplier_id, Delivery.site_id, Product.unit, hour)
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
    sites = dict(session.execute(select(Site.id, Site.code)).all())

    value_total = value_km0 = grams_total = grams_km0 = 0
    per_supplier: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # value, grams, pieces
    per_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # km0 value, other value
    supplier_sites: dict[int, set[int]] = defaultdict(set)
    for supplier_id, site_id, unit, bucket, quantity, cost_units in purchases:
        value = div_round_half_up(int(cost_units or 0), unit.base_per_unit)
        quantity = int(quantity or 0)
        km = distances.get((supplier_id, site_id))
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
            Column(_("km0")),
            Column(_("Purchases (€)"), Kind.CENTS),
            Column(_("kg or l"), Kind.GRAMS),
            Column(_("Pieces"), Kind.COUNT),
        ],
        note=_("km0: within {km} km of the site that received the goods.").format(km=radius),
    )
    for supplier_id, (value, grams, pieces) in sorted(per_supplier.items(), key=lambda kv: -kv[1][0]):
        code, name, city = suppliers[supplier_id]
        kms = sorted((sites[site], distances.get((supplier_id, site))) for site in supplier_sites[supplier_id])
        distance_text = ", ".join(f"{site} {km if km is not None else '?'}" for site, km in kms)
        km0 = all(km is not None and km <= radius for _s, km in kms)
        supplier_table.rows.append(
            (code, name, city, distance_text, _("yes") if km0 else _("no"), value, grams or None, pieces or None)
        )
    if supplier_table.rows:
        supplier_table.total = (
            _("Total"),
            "",
            "",
            "",
            "",
            value_total,
            grams_total,
            sum(v[2] for v in per_supplier.values()),
        )

    # -- waste, rescue, sales, social tariff, spesa sospesa
    waste = waste_totals(session, scope)
    sales = net_sales(session, scope)
    rescued = rescued_grams(session, scope)
    tessera = session.scalar(select(PriceList.id).where(PriceList.code == "tessera"))
    social_count, social_cents = 0, 0
    if tessera is not None:
        social_count, social_cents = session.execute(
            select(func.count(), func.coalesce(func.sum(Sale.total_cents), 0)).where(
                *completed_sales(scope), Sale.kind == SaleKind.SALE, Sale.price_list_id == tessera
            )
        ).one()
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
    donations = funds.get("donation", (0, 0))
    redemptions = funds.get("redemption", (0, 0))
    reversals = funds.get("reversal", (0, 0))

    per_site = session.execute(
        select(Site.code, Site.name, func.count(), func.sum(Sale.total_cents))
        .join(Counter, Counter.site_id == Site.id)
        .join(Sale, Sale.counter_id == Counter.id)
        .where(*completed_sales(scope), Sale.kind == SaleKind.SALE)
        .group_by(Site.code, Site.name)
        .order_by(Site.code)
    ).all()
    site_table = Table(
        _("Sales per site"),
        [Column(_("Site")), Column(_("Name")), Column(_("Sales"), Kind.COUNT), Column(_("Takings (€)"), Kind.CENTS)],
        [(c, n, int(k), int(t or 0)) for c, n, k, t in per_site],
        note=_("Takings before refunds."),
    )

    report.summary = [
        Figure(_("Purchases from suppliers (€)"), value_total, Kind.CENTS),
        Figure(_("km0 share of purchases, by value"), share_bp(value_km0, value_total), Kind.PERCENT_BP),
        Figure(_("km0 share of purchases, by weight"), share_bp(grams_km0, grams_total), Kind.PERCENT_BP),
        Figure(_("Bought by weight (kg)"), grams_total, Kind.GRAMS),
        Figure(_("Rescued by the lab (kg)"), rescued, Kind.GRAMS),
        Figure(_("Waste at cost (€)"), waste.value_cents, Kind.CENTS),
        Figure(_("Waste by weight (kg)"), waste.grams, Kind.GRAMS),
        Figure(_("Waste rate: waste / (sales + waste)"), waste_rate_bp(waste.value_cents, sales), Kind.PERCENT_BP),
        Figure(_("Net sales (€)"), sales, Kind.CENTS),
        Figure(_("Social-tariff sales (Tessera di quartiere)"), int(social_count), Kind.COUNT),
        Figure(_("Social-tariff takings (€)"), int(social_cents), Kind.CENTS),
        Figure(_("Spesa sospesa donations (€)"), donations[1], Kind.CENTS),
        Figure(_("Spesa sospesa redeemed (€)"), -redemptions[1] - reversals[1], Kind.CENTS),
        Figure(_("Spesa sospesa shoppings paid"), redemptions[0], Kind.COUNT),
    ]

    # -- waste trend by month (local), the same records as the waste report
    whour = utc_hour(session, WasteRecord.at)
    trend: dict[date, int] = defaultdict(int)
    for bucket, value in session.execute(
        select(whour, func.sum(WasteRecord.value_cents))
        .join(Product, Product.id == WasteRecord.product_id)
        .where(*waste_conditions(scope))
        .group_by(whour)
    ):
        trend[local_hour(bucket).date().replace(day=1)] += int(value or 0)
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
            waste.value_cents,
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
    report.tables = [month_table, supplier_table, site_table]
    return report
