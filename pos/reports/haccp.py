"""The HACCP register for inspections: lab batches with their critical-point readings (limits,
failures and corrective actions), deliveries' reception checks, cold-room temperatures."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.i18n import gettext as _
from orto.models import (
    Appliance,
    ApplianceReading,
    Batch,
    CriticalReading,
    Delivery,
    DeliveryLine,
    Lot,
    Product,
    Recipe,
    RecipeStep,
    Site,
    Supplier,
)
from orto.money import format_tenths
from pos.reports.filters import Scope
from pos.reports.model import Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import at_site, in_period

_MEASURES = {"temperature_dc": Kind.DECIMAL1, "ph_c": Kind.DECIMAL2, "minutes": Kind.COUNT}


def _limit(value: int | None, measure: str | None) -> str:
    if value is None:
        return ""
    if measure == "temperature_dc":
        return format_tenths(value)  # display only: tenths of °C
    if measure == "ph_c":
        return f"{value / 100:.2f}".replace(".", ",")
    return str(value)


def haccp_report(session: Session, scope: Scope) -> Report:
    report = Report("haccp", _("HACCP register"), scope.site_label, (scope.first, scope.last))
    report.landscape = True
    readings = session.execute(
        select(
            Batch.code,
            Recipe.name,
            Site.code,
            RecipeStep.name,
            RecipeStep.measure,
            RecipeStep.min_value,
            RecipeStep.max_value,
            CriticalReading.value,
            CriticalReading.within_limit,
            CriticalReading.corrective_action,
            CriticalReading.taken_at,
        )
        .join(Batch, Batch.id == CriticalReading.batch_id)
        .join(Recipe, Recipe.id == Batch.recipe_id)
        .join(Site, Site.id == Batch.site_id)
        .join(RecipeStep, RecipeStep.id == CriticalReading.step_id)
        .where(*in_period(Batch.started_at, scope), *at_site(Batch.site_id, scope))
        .order_by(CriticalReading.taken_at, CriticalReading.id)
    ).all()
    batch_table = Table(
        _("Lab batches: critical-point readings"),
        [
            Column(_("Taken"), Kind.DATETIME),
            Column(_("Batch")),
            Column(_("Recipe")),
            Column(_("Site")),
            Column(_("Step")),
            Column(_("Limits")),
            Column(_("°C"), Kind.DECIMAL1),
            Column(_("pH"), Kind.DECIMAL2),
            Column(_("Minutes"), Kind.COUNT),
            Column(_("Within limits")),
            Column(_("Corrective action")),
        ],
        note=_("Each reading in the column of its measure, as a number: °C, pH or minutes."),
    )
    failures = 0
    for code, recipe, site, step, measure, low, high, value, ok, action, taken in readings:
        limits = " – ".join(x for x in (_limit(low, measure), _limit(high, measure)) if x)
        if low is not None and high is None:
            limits = f"≥ {_limit(low, measure)}"
        elif high is not None and low is None:
            limits = f"≤ {_limit(high, measure)}"
        failures += 0 if ok else 1
        by_measure = [value if measure == m else None for m in ("temperature_dc", "ph_c", "minutes")]
        batch_table.rows.append(
            (taken, code, recipe, site, step, limits, *by_measure, _("yes") if ok else _("NO"), action or "")
        )
    batches = int(
        session.scalar(
            select(func.count())
            .select_from(Batch)
            .where(*in_period(Batch.started_at, scope), *at_site(Batch.site_id, scope))
        )
        or 0
    )

    checks = session.execute(
        select(
            Delivery.received_at,
            Site.code,
            Supplier.name,
            Delivery.note_number,
            Product.name,
            Lot.code,
            DeliveryLine.temperature_dc,
            DeliveryLine.packaging_ok,
            DeliveryLine.accepted,
            DeliveryLine.reject_reason,
        )
        .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
        .join(Site, Site.id == Delivery.site_id)
        .join(Supplier, Supplier.id == Delivery.supplier_id)
        .join(Product, Product.id == DeliveryLine.product_id)
        .outerjoin(Lot, Lot.id == DeliveryLine.lot_id)
        .where(
            *in_period(Delivery.received_at, scope),
            *at_site(Delivery.site_id, scope),
            (DeliveryLine.temperature_dc.is_not(None)) | (DeliveryLine.accepted.is_(False)),
        )
        .order_by(Delivery.received_at, DeliveryLine.id)
    ).all()
    reception = Table(
        _("Goods received: reception checks"),
        [
            Column(_("Received"), Kind.DATETIME),
            Column(_("Site")),
            Column(_("Supplier")),
            Column(_("Delivery note")),
            Column(_("Product")),
            Column(_("Lot")),
            Column(_("°C"), Kind.DECIMAL1),
            Column(_("Packaging")),
            Column(_("Accepted")),
            Column(_("Reason")),
        ],
        [
            (
                at,
                s,
                sup,
                note,
                prod,
                lot or "",
                t,
                _("intact") if pack else _("damaged"),
                _("yes") if ok else _("NO"),
                why or "",
            )
            for at, s, sup, note, prod, lot, t, pack, ok, why in checks
        ],
        note=_("Lines with a temperature check, and every line refused."),
    )
    readings_rows = session.execute(
        select(
            ApplianceReading.taken_at,
            Site.code,
            Appliance.code,
            Appliance.name,
            ApplianceReading.min_dc,
            ApplianceReading.max_dc,
            ApplianceReading.value_dc,
            ApplianceReading.within_limit,
            ApplianceReading.corrective_action,
        )
        .join(Appliance, Appliance.id == ApplianceReading.appliance_id)
        .join(Site, Site.id == Appliance.site_id)
        .where(*in_period(ApplianceReading.taken_at, scope), *at_site(Site.id, scope))
        .order_by(ApplianceReading.taken_at, ApplianceReading.id)
    ).all()
    out_of_limit = sum(1 for r in readings_rows if not r[7])
    cold = Table(
        _("Cold chain: fridge, cold-room and freezer readings"),
        [
            Column(_("Taken"), Kind.DATETIME),
            Column(_("Site")),
            Column(_("Appliance")),
            Column(_("Name")),
            Column(_("Min °C"), Kind.DECIMAL1),
            Column(_("Max °C"), Kind.DECIMAL1),
            Column(_("°C"), Kind.DECIMAL1),
            Column(_("Within limits")),
            Column(_("Corrective action")),
        ],
        [(*r[:7], _("yes") if r[7] else _("NO"), r[8] or "") for r in readings_rows],
    )
    report.summary = [
        Figure(_("Lab batches"), batches, Kind.COUNT),
        Figure(_("Critical-point readings"), len(readings), Kind.COUNT),
        Figure(_("Readings outside the limits"), failures, Kind.COUNT),
        Figure(_("Delivery lines checked or refused"), len(checks), Kind.COUNT),
        Figure(_("Delivery lines refused"), sum(1 for c in checks if not c[8]), Kind.COUNT),
        Figure(_("Cold-chain readings"), len(readings_rows), Kind.COUNT),
        Figure(_("Cold-chain readings outside the limits"), out_of_limit, Kind.COUNT),
    ]
    report.tables = [batch_table, reception, cold]
    return report
