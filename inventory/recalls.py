"""Recalls: a lot blocked from sale at every site until the recall is lifted.

Recalling a lot also recalls, by default, every lot the lab made from it (and what was made from
those): a contaminated tomato is a contaminated passata. A recall is never deleted; lifting it
records who and when, and the lot can be sold again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import AuditEntry, Batch, BatchInput, Lot, Recall, utcnow
from orto.policy import Action, Operator


@dataclass(frozen=True)
class RecallResult:
    recalled: tuple[str, ...]  # lot codes now under recall
    already: tuple[str, ...]  # lot codes that were under recall before


def made_from(session: Session, lot_id: int) -> list[int]:
    """Every lot made by the lab from this one, at any depth (breadth first, each once)."""
    seen: set[int] = {lot_id}
    frontier = [lot_id]
    found: list[int] = []
    while frontier:
        outputs = session.scalars(
            select(Batch.output_lot_id)
            .join(BatchInput, BatchInput.batch_id == Batch.id)
            .where(BatchInput.lot_id.in_(frontier), Batch.output_lot_id.is_not(None))
            .distinct()
        ).all()
        frontier = [int(x) for x in outputs if x is not None and x not in seen]
        seen.update(frontier)
        found.extend(frontier)
    return found


def open_recall(
    db: Database, lot_code: str, *, reason: str, actor: Operator, include_products: bool = True
) -> RecallResult:
    limits.text(lot_code, _("lot"), 48)
    limits.text(reason, _("reason"), lines=True)
    if not reason.strip():
        raise InvalidInput(_("a recall needs its reason: it is shown at every till that tries to sell the lot"))
    with db.write() as session:
        authorise(session, actor, Action.RECALL)
        lot = _lot(session, lot_code)
        ids = [lot.id, *(made_from(session, lot.id) if include_products else [])]
        open_ids = set(session.scalars(select(Recall.lot_id).where(Recall.lot_id.in_(ids), Recall.lifted_at.is_(None))))
        codes: dict[int, str] = {i: c for i, c in session.execute(select(Lot.id, Lot.code).where(Lot.id.in_(ids)))}
        recalled = []
        for lot_id in ids:
            if lot_id in open_ids:
                continue
            why = (
                reason if lot_id == lot.id else _("{reason} (made from lot {lot})").format(reason=reason, lot=lot.code)
            )
            session.add(Recall(lot_id=lot_id, reason=why, opened_by=actor.id))
            recalled.append(codes[lot_id])
        session.add(
            AuditEntry(
                action="recall",
                user_id=actor.id,
                entity="lot",
                entity_id=lot.id,
                details={"lot": lot.code, "reason": reason, "lots": recalled},
            )
        )
        return RecallResult(tuple(recalled), tuple(codes[i] for i in ids if i in open_ids))


def lift_recall(db: Database, lot_code: str, *, actor: Operator, note: str = "") -> int:
    """Lift the open recall of this lot (only this lot: each product made from it is checked and
    lifted on its own). Returns the recall's id."""
    limits.text(lot_code, _("lot"), 48)
    limits.text(note, _("note"), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.RECALL)
        lot = _lot(session, lot_code)
        recall = session.scalar(select(Recall).where(Recall.lot_id == lot.id, Recall.lifted_at.is_(None)))
        if recall is None:
            raise NotAllowed(_("lot {lot} is not under recall").format(lot=lot.code))
        recall.lifted_at = utcnow()
        recall.lifted_by = actor.id
        session.add(
            AuditEntry(
                action="recall_lift",
                user_id=actor.id,
                entity="lot",
                entity_id=lot.id,
                details={"lot": lot.code, "note": note},
            )
        )
        return recall.id


def _lot(session: Session, code: str) -> Lot:
    lot = session.scalar(select(Lot).where(Lot.code == code.strip()))
    if lot is None:
        raise NotFound(_("no lot with code {code}").format(code=code))
    return lot
