"""Our lot codes: SITE-YYMMDD-NNN, for goods received and for what the lab makes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto.models import Lot, Site


def next_lot_code(session: Session, site: Site, day: date) -> str:
    """Numbered per site and day; the site's row is locked while numbering so two terminals
    receiving at once never hand out the same code."""
    session.get(Site, site.id, with_for_update=True)
    prefix = f"{site.code}-{day:%y%m%d}-"
    used = session.scalar(select(func.count()).select_from(Lot).where(Lot.code.like(prefix + "%"))) or 0
    return f"{prefix}{used + 1:03d}"
