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


@dataclass(frozen=True)
class LiftResult:
    recall_id: int
    lifted: tuple[str, ...]  # lot codes whose recall ended (the lot first)
    kept: tuple[str, ...]  # lots made from it that stay recalled, with the reason given


def derived_under_recall(session: Session, lot_id: int) -> list[tuple[int, str]]:
    """The lots the lab made from this one (at any depth) that are under recall now."""
    ids = made_from(session, lot_id)
    if not ids:
        return []
    return [
        (int(i), str(code))
        for i, code in session.execute(
            select(Lot.id, Lot.code)
            .join(Recall, Recall.lot_id == Lot.id)
            .where(Lot.id.in_(ids), Recall.lifted_at.is_(None))
            .order_by(Lot.code)
        )
    ]


def derived_codes(db: Database, lot_code: str) -> list[str]:
    """The codes of the recalled lots made from this one: what lifting it has to decide."""
    with db.read() as session:
        return [code for _i, code in derived_under_recall(session, _lot(session, lot_code).id)]


def lift_recall(
    db: Database,
    lot_code: str,
    *,
    actor: Operator,
    note: str = "",
    with_derived: bool = False,
    keep_derived_reason: str | None = None,
) -> LiftResult:
    """Lift the open recall of this lot. The lots the lab made from it that are still recalled
    must be decided in the same act: lifted too (``with_derived``) or kept with a reason
    (``keep_derived_reason``); without either the lift is refused and names them, so nobody
    lifts a raw lot believing its products are free when they are not."""
    keep = (keep_derived_reason or "").strip() or None
    if with_derived and keep is not None:
        raise InvalidInput(_("lift the lots made from it or keep them recalled, not both"))
    limits.text(lot_code, _("lot"), 48)
    limits.text(note, _("note"), lines=True)
    limits.optional_text(keep, _("reason"), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.RECALL)
        lot = _lot(session, lot_code)
        recall = session.scalar(select(Recall).where(Recall.lot_id == lot.id, Recall.lifted_at.is_(None)))
        if recall is None:
            raise NotAllowed(_("lot {lot} is not under recall").format(lot=lot.code))
        derived = derived_under_recall(session, lot.id)
        if derived and not with_derived and keep is None:
            raise NotAllowed(
                _(
                    "lot {lot}: these lots made from it are recalled too: {lots}; lift them with it "
                    "(--with-derived) or keep them recalled with a reason (--keep-derived --reason …)"
                ).format(lot=lot.code, lots=", ".join(code for _i, code in derived))
            )
        now = utcnow()
        recall.lifted_at = now
        recall.lifted_by = actor.id
        lifted, kept = [lot.code], []
        for derived_id, code in derived:
            other = session.scalar(select(Recall).where(Recall.lot_id == derived_id, Recall.lifted_at.is_(None)))
            assert other is not None
            if with_derived:
                other.lifted_at = now
                other.lifted_by = actor.id
                lifted.append(code)
            else:
                other.kept_reason = keep
                kept.append(code)
        session.add(
            AuditEntry(
                action="recall_lift",
                user_id=actor.id,
                entity="lot",
                entity_id=lot.id,
                details={"lot": lot.code, "note": note, "lifted": lifted, "kept": kept, "kept_reason": keep},
            )
        )
        return LiftResult(recall.id, tuple(lifted), tuple(kept))


def _lot(session: Session, code: str) -> Lot:
    lot = session.scalar(select(Lot).where(Lot.code == code.strip()))
    if lot is None:
        raise NotFound(_("no lot with code {code}").format(code=code))
    return lot
