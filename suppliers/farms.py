"""Farms and other suppliers: who they are, how far from each site, whether that is km0.

"Km zero" is set by regional laws, not nationally; 70 km from the point of sale is the common
reading, so the radius is ``[km0] radius_km`` in orto.toml (default 70) and km0 is derived from
the stored distance each time, never stored: changing the radius changes every report at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from orto.db import Database
from orto.models import Site, Supplier, SupplierDistance


def is_km0(distance_km: int | None, radius_km: int) -> bool:
    return distance_km is not None and distance_km <= radius_km


@dataclass(frozen=True)
class SupplierView:
    id: int
    code: str
    name: str
    city: str
    distances: dict[str, int]  # site code -> km
    km0_sites: tuple[str, ...]
    organic: bool
    organic_cert_expiry: date | None
    active: bool

    def organic_valid(self, today: date) -> bool:
        return self.organic and (self.organic_cert_expiry is None or self.organic_cert_expiry >= today)


def list_suppliers(db: Database, radius_km: int) -> list[SupplierView]:
    with db.read() as session:
        sites = dict(session.execute(select(Site.id, Site.code)).all())
        out = []
        for supplier in session.scalars(select(Supplier).order_by(Supplier.name)):
            distances = {sites[d.site_id]: d.distance_km for d in supplier.distances}
            out.append(
                SupplierView(
                    supplier.id,
                    supplier.code,
                    supplier.name,
                    supplier.city,
                    distances,
                    tuple(sorted(code for code, km in distances.items() if is_km0(km, radius_km))),
                    supplier.organic_certified,
                    supplier.organic_cert_expiry,
                    supplier.active,
                )
            )
        return out


def distance_to(db: Database, supplier_id: int, site_id: int) -> int | None:
    with db.read() as session:
        return session.scalar(
            select(SupplierDistance.distance_km).where(
                SupplierDistance.supplier_id == supplier_id, SupplierDistance.site_id == site_id
            )
        )
