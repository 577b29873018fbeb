"""Farms and other suppliers: who they are, how far from each site, whether that is km0.

"Km zero" is set by regional laws, not nationally; 70 km from the point of sale is the common
reading, so the radius is ``[km0] radius_km`` in orto.toml (default 70) and km0 is derived from
the stored distance each time, never stored: changing the radius changes every report at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import AuditEntry, Site, Supplier, SupplierDistance, SupplierKind
from orto.policy import Action, Operator


def is_km0(distance_km: int | None, radius_km: int) -> bool:
    return distance_km is not None and distance_km <= radius_km


@dataclass(frozen=True)
class SupplierView:
    id: int
    code: str
    name: str
    city: str
    distances: dict[str, int]  # site code -> km
    km0_sites: tuple[str, ...]  # near enough, and a producer: a distributor is km0 nowhere
    organic: bool
    organic_cert_expiry: date | None
    active: bool
    kind: SupplierKind = SupplierKind.FARM

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
                    tuple(
                        sorted(
                            code
                            for code, km in distances.items()
                            if supplier.kind.is_producer and is_km0(km, radius_km)
                        )
                    ),
                    supplier.organic_certified,
                    supplier.organic_cert_expiry,
                    supplier.active,
                    supplier.kind,
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


@dataclass(frozen=True)
class SupplierInput:
    """One supplier as a form edits it; ``distances`` maps site code to km (a site left out has none)."""

    code: str
    name: str
    vat_number: str | None = None
    address: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    contact: str = ""
    organic: bool = False
    organic_cert_code: str | None = None
    organic_cert_expiry: date | None = None
    active: bool = True
    distances: Mapping[str, int] = field(default_factory=dict)
    kind: SupplierKind = SupplierKind.FARM


def supplier_input(db: Database, supplier_id: int) -> SupplierInput:
    """A supplier as it is now, to edit it."""
    with db.read() as session:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFound(_("no such supplier"))
        sites = dict(session.execute(select(Site.id, Site.code)).all())
        return SupplierInput(
            supplier.code,
            supplier.name,
            supplier.vat_number,
            supplier.address,
            supplier.city,
            supplier.phone,
            supplier.email,
            supplier.contact,
            supplier.organic_certified,
            supplier.organic_cert_code,
            supplier.organic_cert_expiry,
            supplier.active,
            {sites[d.site_id]: d.distance_km for d in supplier.distances},
            supplier.kind,
        )


# the text fields of a supplier and the column each is stored in (its length is the limit)
SUPPLIER_TEXTS = (
    ("code", Supplier.code),
    ("name", Supplier.name),
    ("vat_number", Supplier.vat_number),
    ("address", Supplier.address),
    ("city", Supplier.city),
    ("phone", Supplier.phone),
    ("email", Supplier.email),
    ("contact", Supplier.contact),
    ("organic_cert_code", Supplier.organic_cert_code),
)


def check_supplier(data: SupplierInput) -> None:
    """Every field of the right type, plain text within its column, distances within the limit."""
    for attribute, column in SUPPLIER_TEXTS:
        limits.optional_text(
            getattr(data, attribute), attribute, limits.column_length(column), lines=attribute == "contact"
        )
    for site, km in data.distances.items():
        limits.text(site, _("site"), 8)
        limits.whole(
            km, _("km to {site}").format(site=site), maximum=limits.MAX_DISTANCE_KM, minimum=-limits.MAX_INT, unit="km"
        )


def save_supplier(db: Database, data: SupplierInput, *, supplier_id: int | None = None, actor: Operator) -> int:
    """Create a supplier (``supplier_id`` None) or change one, with its distance to each site, in
    one transaction; returns its id. Codes are unique; distances are whole km, not negative."""
    check_supplier(data)
    code, name = data.code.strip(), data.name.strip()
    if not code or not name:
        raise InvalidInput(_("a supplier needs a code and a name"))
    if any(km < 0 for km in data.distances.values()):
        raise InvalidInput(_("a distance cannot be negative"))
    with db.write() as session:
        authorise(session, actor, Action.SUPPLIERS)
        sites = {s.code: s.id for s in session.scalars(select(Site))}
        unknown = sorted(set(data.distances) - set(sites))
        if unknown:
            raise InvalidInput(_("no site {code}").format(code=unknown[0]))
        other = session.scalar(select(Supplier.id).where(Supplier.code == code))
        if other is not None and other != supplier_id:
            raise NotAllowed(_("another supplier already has code {code}").format(code=code))
        if supplier_id is None:
            supplier = Supplier(code=code, name=name)
            session.add(supplier)
        else:
            found = session.get(Supplier, supplier_id)
            if found is None:
                raise NotFound(_("no such supplier"))
            supplier = found
        supplier.code = code
        supplier.name = name
        supplier.vat_number = (data.vat_number or "").strip() or None
        supplier.address = data.address.strip()
        supplier.city = data.city.strip()
        supplier.phone = data.phone.strip()
        supplier.email = data.email.strip()
        supplier.contact = data.contact.strip()
        supplier.organic_certified = data.organic
        supplier.organic_cert_code = (data.organic_cert_code or "").strip() or None
        supplier.organic_cert_expiry = data.organic_cert_expiry
        supplier.active = data.active
        supplier.kind = data.kind
        session.flush()
        wanted = {sites[c]: km for c, km in data.distances.items()}
        for distance in list(supplier.distances):
            if distance.site_id not in wanted:
                supplier.distances.remove(distance)
            else:
                distance.distance_km = wanted.pop(distance.site_id)
        for site_id, km in wanted.items():
            supplier.distances.append(SupplierDistance(site_id=site_id, distance_km=km))
        session.add(
            AuditEntry(
                action="supplier_created" if supplier_id is None else "supplier_changed",
                user_id=actor.id,
                entity="supplier",
                entity_id=supplier.id,
                details={"code": code, "distances": dict(data.distances)},
            )
        )
        return supplier.id
