"""The cold chain (HACCP, Reg. 852/2004): the fridges, cold rooms and freezers of each site with
their limits, their temperature readings, and when the next reading is due.

A reading outside its appliance's limits is refused unless the corrective action taken is
written with it (the register must say what was done); it is then recorded as out of limit. The
limits are copied onto the reading, so the register keeps what applied when it was taken.

Reading times are ``[haccp] reading_times`` in orto.toml (default 08:00 and 16:00, Milan time):
a reading is due for an appliance once a reading time has passed today with no reading of that
appliance since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orto import limits
from orto.access import authorise
from orto.audit import audit
from orto.config import Settings
from orto.db import Database
from orto.errors import ConfigError, InvalidInput, NotFound
from orto.i18n import gettext as _
from orto.localtime import ROME
from orto.models import Appliance, ApplianceKind, ApplianceReading, Site, utcnow
from orto.money import format_tenths
from orto.policy import Action, Operator

DEFAULT_READING_TIMES = (time(8, 0), time(16, 0))


@dataclass(frozen=True)
class ApplianceView:
    id: int
    code: str
    name: str
    kind: ApplianceKind
    site_code: str
    min_dc: int | None
    max_dc: int | None
    last_value_dc: int | None
    last_at: datetime | None


@dataclass(frozen=True)
class ReadingResult:
    reading_id: int
    within_limit: bool


def within_limits(value_dc: int, min_dc: int | None, max_dc: int | None) -> bool:
    return (min_dc is None or value_dc >= min_dc) and (max_dc is None or value_dc <= max_dc)


def limits_text(min_dc: int | None, max_dc: int | None) -> str:
    """'0,0 – 4,0 °C', '≤ -18,0 °C': the limits as the register and the screen show them."""

    def c(v: int) -> str:
        return format_tenths(v)  # display only: tenths of °C

    if min_dc is not None and max_dc is not None:
        return f"{c(min_dc)} – {c(max_dc)} °C"
    if max_dc is not None:
        return f"≤ {c(max_dc)} °C"
    if min_dc is not None:
        return f"≥ {c(min_dc)} °C"
    return ""


def reading_times(settings: Settings) -> tuple[time, ...]:
    """``[haccp] reading_times`` as local times, in order."""
    raw = settings.section("haccp").get("reading_times")
    if raw is None:
        return DEFAULT_READING_TIMES
    if not isinstance(raw, list) or not raw:
        raise ConfigError(_('[haccp] reading_times must be a list of times, e.g. ["08:00", "16:00"]'))
    out = []
    for item in raw:
        try:
            out.append(time.fromisoformat(str(item)))
        except ValueError as exc:
            raise ConfigError(
                _("[haccp] reading_times: {value!r} is not a time like 08:00").format(value=item)
            ) from exc
    return tuple(sorted(out))


def due_slot(now_local: datetime, times: Sequence[time]) -> datetime | None:
    """The latest reading time today that has passed (local), or None before the first one."""
    passed = [t for t in times if t <= now_local.time()]
    if not passed:
        return None
    return datetime.combine(now_local.date(), passed[-1], tzinfo=ROME)


def list_appliances(session: Session, site_code: str | None = None) -> list[ApplianceView]:
    last = (
        select(ApplianceReading.appliance_id, func.max(ApplianceReading.id).label("last_id"))
        .group_by(ApplianceReading.appliance_id)
        .subquery()
    )
    query = (
        select(Appliance, Site.code, ApplianceReading.value_dc, ApplianceReading.taken_at)
        .join(Site, Site.id == Appliance.site_id)
        .outerjoin(last, last.c.appliance_id == Appliance.id)
        .outerjoin(ApplianceReading, ApplianceReading.id == last.c.last_id)
        .where(Appliance.active.is_(True))
        .order_by(Site.code, Appliance.code)
    )
    if site_code:
        query = query.where(Site.code == site_code.strip().upper())
    return [
        ApplianceView(a.id, a.code, a.name, a.kind, code, a.min_dc, a.max_dc, value, at)
        for a, code, value, at in session.execute(query)
    ]


def due_appliances(
    session: Session, settings: Settings, site_code: str, now: datetime | None = None
) -> list[ApplianceView]:
    """The site's appliances whose reading is due (a reading time passed today, none since)."""
    moment = (now or utcnow()).astimezone(ROME)
    slot = due_slot(moment, reading_times(settings))
    if slot is None:
        return []
    return [a for a in list_appliances(session, site_code) if a.last_at is None or a.last_at < slot]


def record_appliance_reading(
    db: Database,
    appliance_code: str,
    value_dc: int,
    *,
    actor: Operator,
    corrective_action: str | None = None,
    at: datetime | None = None,
) -> ReadingResult:
    """Record a temperature (tenths of °C); out of limit it needs the corrective action taken."""
    limits.integer(value_dc, _("temperature"))
    limits.text(appliance_code, _("appliance"), limits.column_length(Appliance.code))
    limits.optional_text(corrective_action, _("corrective action"), lines=True)
    action = (corrective_action or "").strip() or None
    with db.write() as session:
        authorise(session, actor, Action.HACCP)
        appliance = session.scalar(
            select(Appliance).where(Appliance.code == appliance_code.strip().upper(), Appliance.active.is_(True))
        )
        if appliance is None:
            known = ", ".join(session.scalars(select(Appliance.code).order_by(Appliance.code)))
            raise NotFound(
                _("no appliance {code} (the appliances are {known})").format(code=appliance_code, known=known or "-")
            )
        if not -400 <= value_dc <= 400:
            raise InvalidInput(
                _("{name}: {value} °C is not a plausible reading").format(
                    name=appliance.name, value=format_tenths(value_dc)
                )
            )
        ok = within_limits(value_dc, appliance.min_dc, appliance.max_dc)
        if not ok and action is None:
            raise InvalidInput(
                _("{name}: {value} °C is outside its limits ({limits}): write the corrective action taken").format(
                    name=appliance.name,
                    value=format_tenths(value_dc),
                    limits=limits_text(appliance.min_dc, appliance.max_dc),
                )
            )
        reading = ApplianceReading(
            appliance_id=appliance.id,
            value_dc=value_dc,
            min_dc=appliance.min_dc,
            max_dc=appliance.max_dc,
            within_limit=ok,
            corrective_action=action,
            taken_at=at or utcnow(),
            user_id=actor.id,
        )
        session.add(reading)
        session.flush()
        audit(
            session,
            "appliance_reading",
            actor.id,
            site_id=appliance.site_id,
            entity="appliance",
            entity_id=appliance.id,
            details={"value_dc": value_dc, "within_limit": ok, "action": action},
        )
        return ReadingResult(reading.id, ok)


# a plausible limit for any cold appliance, in tenths of °C (also the readings' range)
LIMIT_RANGE_DC = (-400, 400)


def save_appliance(
    db: Database,
    code: str,
    *,
    actor: Operator,
    site_code: str,
    name: str,
    kind: ApplianceKind,
    min_dc: int | None,
    max_dc: int | None,
    active: bool = True,
) -> int:
    """Add an appliance, or change one by its code (limits, name, site; ``active=False`` takes it
    out of the readings and reminders: appliances are never deleted, their register stays)."""
    code = limits.text(code, _("appliance"), limits.column_length(Appliance.code)).strip().upper()
    name = limits.text(name, _("name"), limits.column_length(Appliance.name)).strip()
    if not code or not name:
        raise InvalidInput(_("an appliance needs a code and a name"))
    low, high = LIMIT_RANGE_DC
    for label, value in ((_("lower limit"), min_dc), (_("upper limit"), max_dc)):
        if value is not None:
            limits.whole(value, label, minimum=low, maximum=high, unit=_("tenths of °C"))
    if min_dc is None and max_dc is None:
        raise InvalidInput(_("{code}: give at least one limit (--min or --max)").format(code=code))
    if min_dc is not None and max_dc is not None and min_dc > max_dc:
        raise InvalidInput(_("{code}: the lower limit is above the upper one").format(code=code))
    with db.write() as session:
        authorise(session, actor, Action.APPLIANCES)
        site = session.scalar(select(Site).where(Site.code == site_code.strip().upper()))
        if site is None:
            raise NotFound(_("no site {code}").format(code=site_code))
        appliance = session.scalar(select(Appliance).where(Appliance.code == code))
        before = None
        if appliance is None:
            appliance = Appliance(code=code, name=name, kind=kind, site_id=site.id)
            session.add(appliance)
        else:
            before = {"min_dc": appliance.min_dc, "max_dc": appliance.max_dc, "active": appliance.active}
        appliance.name, appliance.kind, appliance.site_id = name, kind, site.id
        appliance.min_dc, appliance.max_dc, appliance.active = min_dc, max_dc, active
        session.flush()
        audit(
            session,
            "appliance_saved",
            actor.id,
            site_id=site.id,
            entity="appliance",
            entity_id=appliance.id,
            details={"before": before, "min_dc": min_dc, "max_dc": max_dc, "active": active},
        )
        return appliance.id


# The demo's (and a new site's usual) appliances: code suffix, name, kind, limits in tenths of °C.
STANDARD_APPLIANCES: tuple[tuple[str, str, ApplianceKind, int | None, int | None], ...] = (
    ("CELLA", "Cella frigorifera", ApplianceKind.COLD_ROOM, 0, 40),
    ("FRIGO", "Frigorifero", ApplianceKind.FRIDGE, 0, 40),
    ("CONG", "Congelatore", ApplianceKind.FREEZER, None, -180),
)


def reading_due_after(last: datetime | None, now: datetime, times: Sequence[time]) -> bool:
    """Pure form of the reminder: whether a reading taken at ``last`` leaves one due at ``now``."""
    slot = due_slot(now.astimezone(ROME), times)
    return slot is not None and (last is None or last < slot)
