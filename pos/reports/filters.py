"""What a report covers: a site (or all), a period of local business days, in UTC bounds.

Dates are Europe/Rome business days, like the Z report's: a sale at 00:30 on the 2nd belongs
to the 2nd even though it is still the 1st in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.localtime import ROME, day_bounds
from orto.models import Counter, Site

__all__ = ["ROME", "Scope", "resolve_scope"]
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Scope:
    site_id: int | None
    site_code: str | None
    site_label: str
    first: date
    last: date
    counter_ids: tuple[int, ...] | None  # the site's counters, None for every site
    km0_radius_km: int = 70
    km0_lab_min_share_pct: int = 50  # orto.km0: a lab product's km0 share of input weight

    @property
    def start(self) -> datetime:
        return day_bounds(self.first, self.last)[0]

    @property
    def end(self) -> datetime:
        return day_bounds(self.first, self.last)[1]

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def parse_day(text: str, what: str) -> date:
    """A day as the till writes it (25/11/2026, or 25/11/26) or as ISO (2026-11-25)."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(
        _("{what} {text!r} is not a date: write it as 25/11/2026 (or 2026-11-25)").format(what=what, text=text)
    )


def resolve_scope(
    session: Session, site_code: str | None, first: date | None, last: date | None, km0_radius_km: int = 70
) -> Scope:
    """Check the site and the period; unknown site or a period ending before it starts is an error."""
    today = datetime.now(ROME).date()
    last = last or today
    first = first or min(last, today) - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(
            _("the period starts ({first}) after it ends ({last})").format(
                first=first.isoformat(), last=last.isoformat()
            )
        )
    if not site_code:
        return Scope(None, None, _("all sites"), first, last, None, km0_radius_km)
    site = session.scalar(select(Site).where(Site.code == site_code.strip().upper()))
    if site is None:
        known = ", ".join(session.scalars(select(Site.code).order_by(Site.code)))
        raise InvalidInput(_("no site {code} (the sites are {known})").format(code=site_code, known=known or "-"))
    counters = tuple(session.scalars(select(Counter.id).where(Counter.site_id == site.id).order_by(Counter.id)))
    return Scope(site.id, site.code, f"{site.name}, {site.address}", first, last, counters, km0_radius_km)
