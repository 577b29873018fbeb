"""The cooperative's three sites, their stock locations and counters (see shared/context/domain.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.models import Counter, CounterKind, Location, LocationKind, Site


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    address: str
    locations: tuple[tuple[str, str, LocationKind], ...]
    # (counter code, name, kind, location code it sells from)
    counters: tuple[tuple[str, str, CounterKind, str], ...]


STANDARD_SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "PAL",
        "Orto-emporio",
        "Via Palmanova 59",
        (
            ("SHOP", "Negozio", LocationKind.SHOP_FLOOR),
            ("LAB", "Laboratorio", LocationKind.LAB),
            ("COLD", "Cella frigo", LocationKind.COLD_ROOM),
        ),
        (("PAL-1", "Cassa emporio", CounterKind.EMPORIO, "SHOP"),),
    ),
    SiteSpec(
        "CAP",
        "Orto-cucina",
        "Via L. Capuana 7",
        (
            ("SHOP", "Banco", LocationKind.SHOP_FLOOR),
            ("KITCHEN", "Cucina", LocationKind.KITCHEN),
            ("LAB", "Laboratorio", LocationKind.LAB),
            ("COLD", "Cella frigo", LocationKind.COLD_ROOM),
        ),
        (("CAP-1", "Banco catering", CounterKind.CUCINA, "SHOP"),),
    ),
    SiteSpec(
        "MON",
        "Orto-bar",
        "Via P.L. Monti 18-20",
        (
            ("BAR", "Bar", LocationKind.BAR),
            ("LAB", "Laboratorio", LocationKind.LAB),
            ("COLD", "Frigo", LocationKind.COLD_ROOM),
        ),
        (("MON-1", "Cassa bar", CounterKind.BAR, "BAR"),),
    ),
)


def ensure_standard_sites(session: Session) -> dict[str, Site]:
    """Create the three sites with their locations and counters where missing; returns them by code."""
    by_code = {s.code: s for s in session.scalars(select(Site))}
    for spec in STANDARD_SITES:
        site = by_code.get(spec.code)
        if site is None:
            site = Site(code=spec.code, name=spec.name, address=spec.address, city="Milano")
            session.add(site)
            session.flush()
            by_code[spec.code] = site
        locations = {loc.code: loc for loc in site.locations}
        for code, name, kind in spec.locations:
            if code not in locations:
                locations[code] = Location(code=code, name=name, kind=kind)
                site.locations.append(locations[code])
        session.flush()
        existing = {c.code for c in site.counters}
        for code, name, counter_kind, location_code in spec.counters:
            if code not in existing:
                site.counters.append(
                    Counter(code=code, name=name, kind=counter_kind, location_id=locations[location_code].id)
                )
    session.flush()
    return by_code


def location_by_code(session: Session, site_code: str, location_code: str) -> Location:
    location = session.scalar(select(Location).join(Site).where(Site.code == site_code, Location.code == location_code))
    if location is None:
        from orto.errors import NotFound

        raise NotFound(f"no location {location_code} at site {site_code}")
    return location
