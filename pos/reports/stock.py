"""Stock on hand now: by site and location, each lot with its date and its value at the lot's
cost; products under their reorder level at each site. The period does not apply: it is today's
stock. Lots at zero, and the untracked lots of made-to-order items (kept below zero by design),
are left out."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.ledger import value_of
from orto.i18n import gettext as _
from orto.models import Location, Lot, LotOrigin, Product, Site, StockLevel, Unit
from pos.reports.filters import ROME, Scope
from pos.reports.model import Column, Figure, Kind, Report, Table
from pos.reports.scope_sql import at_site


def stock_report(session: Session, scope: Scope) -> Report:
    today = datetime.now(ROME).date()
    report = Report("stock", _("Stock on hand"), scope.site_label, None)
    report.landscape = True  # the lots' table has nine columns
    report.notes.append(_("Stock as of {day}; values at each lot's cost.").format(day=today.strftime("%d/%m/%Y")))
    levels = session.execute(
        select(
            Site.code,
            Location.name,
            Product.code,
            Product.name,
            Product.unit,
            Lot.code,
            Lot.expiry,
            Lot.unit_cost_cents,
            StockLevel.quantity,
        )
        .join(Lot, Lot.id == StockLevel.lot_id)
        .join(Product, Product.id == StockLevel.product_id)
        .join(Location, Location.id == StockLevel.location_id)
        .join(Site, Site.id == Location.site_id)
        .where(StockLevel.quantity > 0, Lot.origin != LotOrigin.UNTRACKED, *at_site(Site.id, scope))
        .order_by(Site.code, Location.name, Product.code, Lot.expiry, Lot.code)
    ).all()
    detail = Table(
        _("Lots on hand"),
        [
            Column(_("Site")),
            Column(_("Location")),
            Column(_("Code")),
            Column(_("Product")),
            Column(_("Lot")),
            Column(_("Date"), Kind.DATE),
            Column(_("kg or l"), Kind.GRAMS),
            Column(_("Pieces"), Kind.COUNT),
            Column(_("Value at cost (€)"), Kind.CENTS),
        ],
    )
    per_place: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    total_value = expired = 0
    for site, location, code, name, unit, lot, expiry, cost, quantity in levels:
        value = value_of(quantity, cost, unit.base_per_unit)
        weighed = unit is not Unit.PIECE
        if expiry is not None and expiry < today:
            expired += 1
            lot = f"{lot} ({_('past its date')})"
        detail.rows.append(
            (
                site,
                location,
                code,
                name,
                lot,
                expiry,
                quantity if weighed else None,
                None if weighed else quantity,
                value,
            )
        )
        place = per_place[(site, location)]
        place[0] += 1
        place[1 if weighed else 2] += quantity
        place[3] += value
        total_value += value
    places = Table(
        _("By site and location"),
        [
            Column(_("Site")),
            Column(_("Location")),
            Column(_("Lots"), Kind.COUNT),
            Column(_("kg or l"), Kind.GRAMS),
            Column(_("Pieces"), Kind.COUNT),
            Column(_("Value at cost (€)"), Kind.CENTS),
        ],
        [(s, loc, *v) for (s, loc), v in sorted(per_place.items())],
    )
    if places.rows:
        places.total = (
            _("Total"),
            "",
            len(levels),
            sum(v[1] for v in per_place.values()),
            sum(v[2] for v in per_place.values()),
            total_value,
        )
        detail.total = (_("Total"), "", "", "", "", None, places.total[3], places.total[4], total_value)

    on_hand = func.sum(StockLevel.quantity)
    low = session.execute(
        select(Site.code, Product.code, Product.name, Product.unit, Product.reorder_level, on_hand)
        .join(Location, Location.id == StockLevel.location_id)
        .join(Site, Site.id == Location.site_id)
        .join(Product, Product.id == StockLevel.product_id)
        .join(Lot, Lot.id == StockLevel.lot_id)
        .where(Product.reorder_level.is_not(None), Lot.origin != LotOrigin.UNTRACKED, *at_site(Site.id, scope))
        .group_by(Site.code, Product.code, Product.name, Product.unit, Product.reorder_level)
        .having(on_hand < Product.reorder_level)
        .order_by(Site.code, Product.code)
    ).all()
    reorder = Table(
        _("Under the reorder level"),
        [
            Column(_("Site")),
            Column(_("Code")),
            Column(_("Product")),
            Column(_("Unit")),
            Column(_("On hand"), Kind.COUNT),
            Column(_("Reorder level"), Kind.COUNT),
        ],
        [(s, c, n, _("g") if u is not Unit.PIECE else _("pieces"), int(q or 0), r) for s, c, n, u, r, q in low],
        note=_("Quantities in grams for products sold by weight, in pieces otherwise."),
    )
    report.summary = [
        Figure(_("Lots on hand"), len(levels), Kind.COUNT),
        Figure(_("Value at cost (€)"), total_value, Kind.CENTS),
        Figure(_("Lots past their date"), expired, Kind.COUNT),
        Figure(_("Products under the reorder level"), len(low), Kind.COUNT),
    ]
    report.tables = [places, reorder, detail]
    return report
