"""When a lot may not be sold or used at all: an open recall, a lab hold, a passed use-by date.

The same rule stops a sale at any site and a lab batch from taking the lot as an input.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.models import DateType, Lot, Recall


def open_recalls(session: Session, lot_ids: list[int]) -> dict[int, Recall]:
    """The open recalls among these lots, in one query."""
    if not lot_ids:
        return {}
    return {
        r.lot_id: r
        for r in session.scalars(select(Recall).where(Recall.lot_id.in_(lot_ids), Recall.lifted_at.is_(None)))
    }


def block_reason(session: Session, lot: Lot, today: date, recalls: dict[int, Recall] | None = None) -> str | None:
    """Why a lot cannot be sold anywhere (recall, lab hold, past use-by), or None."""
    if recalls is None:
        recalls = open_recalls(session, [lot.id])
    recall = recalls.get(lot.id)
    if recall is not None:
        return _("lot {lot} is recalled: {reason}").format(lot=lot.code, reason=recall.reason)
    if lot.hold_reason:
        return _("lot {lot} is on hold: {reason}").format(lot=lot.code, reason=lot.hold_reason)
    if lot.date_type is DateType.USE_BY and lot.expiry is not None and lot.expiry < today:
        return _("lot {lot} is past its use-by date ({date}): it cannot be sold").format(
            lot=lot.code, date=format_date(lot.expiry)
        )
    return None
