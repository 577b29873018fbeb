"""When a lot may not be sold or used at all: an open recall, a lab hold, a passed use-by date.

The same rule stops a sale at any site and a lab batch from taking the lot as an input.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.models import DateType, Lot, Recall


class LotFacts(Protocol):
    """What the rule reads of a lot: an ORM ``Lot`` or a row read by Core (``pos.selling.lots.LotRow``)."""

    @property
    def code(self) -> str: ...
    @property
    def expiry(self) -> date | None: ...
    @property
    def date_type(self) -> DateType | None: ...
    @property
    def hold_reason(self) -> str | None: ...


def why_blocked(lot: LotFacts, today: date, recall_reason: str | None) -> str | None:
    """The rule, pure: why a lot cannot be sold or used anywhere (its open recall's reason, a lab
    hold, a passed use-by date), or None. A passed best-before does not block (it marks down)."""
    if recall_reason is not None:
        return _("lot {lot} is recalled: {reason}").format(lot=lot.code, reason=recall_reason)
    if lot.hold_reason:
        return _("lot {lot} is on hold: {reason}").format(lot=lot.code, reason=lot.hold_reason)
    if lot.date_type is DateType.USE_BY and lot.expiry is not None and lot.expiry < today:
        return _("lot {lot} is past its use-by date ({date}): it cannot be sold").format(
            lot=lot.code, date=format_date(lot.expiry)
        )
    return None


# ---------------------------------------------------------------- loaders


def open_recalls(session: Session, lot_ids: list[int]) -> dict[int, Recall]:
    """The open recalls among these lots, in one query."""
    if not lot_ids:
        return {}
    return {
        r.lot_id: r
        for r in session.scalars(select(Recall).where(Recall.lot_id.in_(lot_ids), Recall.lifted_at.is_(None)))
    }


def block_reason(session: Session, lot: Lot, today: date, recalls: dict[int, Recall] | None = None) -> str | None:
    """:func:`why_blocked` for an ORM lot; its open recall read unless ``recalls`` came with it."""
    if recalls is None:
        recalls = open_recalls(session, [lot.id])
    recall = recalls.get(lot.id)
    return why_blocked(lot, today, recall.reason if recall is not None else None)
