"""Lab batches: unsold and near-expiry produce turned into preserves, with HACCP readings.

The life of a batch:

1. ``start_batch`` from a recipe at a lab location (status OPEN);
2. ``propose_inputs`` offers lots for each input: rescue candidates first (lots within
   ``[lab] rescue_days`` of their date, default 3, soonest first), then the others first-expired-
   first-out; lots that may not be used (recalled, on hold, past a use-by date) are never offered;
3. ``record_reading`` for each critical step: a value outside its limit needs the corrective
   action taken and puts the batch on hold (HELD);
4. ``finish_batch`` with the quantities actually used and the yield: LAB_INPUT movements out of
   the input lots, the output lot (code SITE-YYMMDD-NNN, expiry from the production day and the
   recipe's shelf life, allergens the union of its inputs', ingredients by descending weight,
   cost per unit from the inputs' cost) and its LAB_OUTPUT movement, labels queued for printing.
   A held batch's output lot carries a hold reason, so no till will sell it;
5. a manager decides about a held batch (``decide_batch``): release it (the lot can be sold),
   have it reworked (it stays held; the failed step is measured again, then released), or
   discard it (its stock becomes waste, reason "quality").

Every critical step must have a reading before the batch can be finished: the register is what
an inspector asks for. The kilos rescued are the inputs sold by weight that came from rescue
candidates; pieces and litres are not turned into kilos by guesswork.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.ledger import post_movement, require_on_hand, value_of
from inventory.lot_blocks import block_reason, open_recalls
from inventory.lot_codes import next_lot_code
from inventory.recipes import describe_limit, format_measure, within_limits
from inventory.waste import book_waste
from orto import limits
from orto.access import authorise
from orto.allergens import Allergen
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import (
    AuditEntry,
    Batch,
    BatchDecision,
    BatchInput,
    BatchStatus,
    CriticalReading,
    Location,
    Lot,
    LotOrigin,
    MovementKind,
    PrinterRole,
    Product,
    Recipe,
    Site,
    StockLevel,
    Unit,
    WasteReason,
    utcnow,
)
from orto.money import div_round_half_up
from orto.policy import Action, Operator
from receipts.food_label import strip_pack_size
from receipts.labels import batch_declaration

DEFAULT_RESCUE_DAYS = 3
HELD_STATES = frozenset({BatchStatus.HELD, BatchStatus.REWORKED})


def rescue_days(settings: Settings) -> int:
    return int(settings.section("lab").get("rescue_days", DEFAULT_RESCUE_DAYS))


def is_rescue(lot: Lot, today: date, days: int) -> bool:
    """Within ``days`` of its date: without the lab it would be sold off cheap or thrown away."""
    return lot.expiry is not None and (lot.expiry - today).days <= days


@dataclass(frozen=True)
class ProposedLot:
    lot_id: int
    lot_code: str
    location_id: int
    location: str
    expiry: date | None
    available: int
    take: int
    rescue: bool


@dataclass(frozen=True)
class InputProposal:
    product_id: int
    product: str
    unit: Unit
    needed: int
    lots: tuple[ProposedLot, ...]
    short: int  # what the site's stock cannot cover


@dataclass(frozen=True)
class InputLine:
    lot_id: int
    location_id: int
    quantity: int


@dataclass(frozen=True)
class FinishedBatch:
    batch_id: int
    batch_code: str
    status: BatchStatus
    lot_id: int
    lot_code: str
    expiry: date
    unit_cost_cents: int
    rescued_g: int
    allergens: frozenset[Allergen]
    ingredients: str
    labels_queued: int


@dataclass(frozen=True)
class ReadingResult:
    within_limit: bool
    status: BatchStatus
    limit: str


@dataclass
class BatchView:
    id: int
    code: str
    recipe: str
    status: BatchStatus
    started_at: str
    output_lot: str | None
    steps: list[tuple[int, str, str, str, bool | None]] = field(default_factory=list)
    # step id, name, limit, last reading shown, last reading within limit (None: not yet read)


def propose_inputs(
    db: Database, recipe_id: int, site_id: int, *, today: date, days: int = DEFAULT_RESCUE_DAYS, batches: int = 1
) -> list[InputProposal]:
    """Lots of the site for each input of the recipe, rescue candidates first."""
    with db.read() as session:
        recipe = session.get(Recipe, recipe_id)
        if recipe is None:
            raise NotFound(_("no such recipe"))
        proposals = []
        for item in recipe.inputs:
            product = session.get(Product, item.product_id)
            assert product is not None
            rows = session.execute(
                select(Lot, StockLevel.quantity, Location.id, Location.name)
                .join(StockLevel, StockLevel.lot_id == Lot.id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Lot.product_id == product.id, Location.site_id == site_id, StockLevel.quantity > 0)
            ).all()
            recalls = open_recalls(session, [lot.id for lot, *_rest in rows])
            usable = [row for row in rows if block_reason(session, row[0], today, recalls) is None]
            usable.sort(
                key=lambda r: (
                    not is_rescue(r[0], today, days),
                    r[0].expiry is None,
                    r[0].expiry or date.max,
                    r[0].received_on,
                    r[0].id,
                )
            )
            needed = item.quantity * batches
            left = needed
            lots = []
            for lot, quantity, location_id, location_name in usable:
                take = min(left, int(quantity))
                left -= take
                lots.append(
                    ProposedLot(
                        lot.id,
                        lot.code,
                        location_id,
                        location_name,
                        lot.expiry,
                        int(quantity),
                        take,
                        is_rescue(lot, today, days),
                    )
                )
            proposals.append(InputProposal(product.id, product.name, product.unit, needed, tuple(lots), left))
        return proposals


def start_batch(db: Database, *, recipe_id: int, location_id: int, actor: Operator, today: date) -> int:
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        recipe = session.get(Recipe, recipe_id)
        location = session.get(Location, location_id)
        if recipe is None or location is None:
            raise NotFound(_("no such recipe or location"))
        if not recipe.active:
            raise NotAllowed(_("recipe {code} is no longer in use").format(code=recipe.code))
        site = session.get(Site, location.site_id, with_for_update=True)
        assert site is not None
        prefix = f"B-{site.code}-{today:%y%m%d}-"
        used = session.scalar(select(func.count()).select_from(Batch).where(Batch.code.like(prefix + "%"))) or 0
        batch = Batch(
            code=f"{prefix}{used + 1:02d}",
            recipe_id=recipe.id,
            site_id=site.id,
            location_id=location.id,
            started_by=actor.id,
            status=BatchStatus.OPEN,
        )
        session.add(batch)
        session.flush()
        _audit(session, "batch_start", actor.id, batch, {"recipe": recipe.code})
        return batch.id


def record_reading(
    db: Database,
    batch_id: int,
    *,
    step_id: int,
    value: int,
    actor: Operator,
    corrective_action: str | None = None,
) -> ReadingResult:
    """Record a critical-point reading; outside its limit it needs the corrective action taken
    and holds the batch until a manager decides."""
    limits.whole(value, _("reading"), minimum=-limits.MAX_INT)
    limits.optional_text(corrective_action, _("corrective action"), lines=True)
    with db.write() as session:
        authorise(session, actor, Action.HACCP)
        batch = _batch(session, batch_id, lock=True)
        if batch.status in (BatchStatus.RELEASED, BatchStatus.COMPLETED, BatchStatus.DISCARDED):
            raise NotAllowed(_("batch {code} is closed").format(code=batch.code))
        recipe = session.get(Recipe, batch.recipe_id)
        assert recipe is not None
        step = next((s for s in recipe.steps if s.id == step_id), None)
        if step is None or step.measure is None:
            raise InvalidInput(_("that step has no critical limit to measure"))
        within = within_limits(step, value)
        action = (corrective_action or "").strip()
        if not within and not action:
            raise InvalidInput(
                _("{value} is outside the limit ({limit}) of '{step}': say what corrective action was taken").format(
                    value=format_measure(step.measure, value), limit=describe_limit(step), step=step.name
                )
            )
        session.add(
            CriticalReading(
                batch_id=batch.id,
                step_id=step.id,
                value=value,
                within_limit=within,
                corrective_action=action or None,
                taken_by=actor.id,
            )
        )
        if not within:
            batch.status = BatchStatus.HELD
            if batch.output_lot_id is not None:
                lot = session.get(Lot, batch.output_lot_id)
                assert lot is not None
                lot.hold_reason = _hold_reason(batch)
        _audit(session, "batch_reading", actor.id, batch, {"step": step.name, "value": value, "within": within})
        return ReadingResult(within, batch.status, describe_limit(step))


def finish_batch(
    db: Database,
    settings: Settings,
    batch_id: int,
    *,
    inputs: Sequence[InputLine],
    yield_quantity: int,
    actor: Operator,
    today: date,
    label_copies: int = 0,
    label_printer: str | None = None,
) -> FinishedBatch:
    """Consume the inputs, make the output lot, queue its labels: one transaction."""
    limits.stock_quantity(yield_quantity, _("yield"), minimum=-limits.MAX_INT)
    for number, item in enumerate(inputs, start=1):
        limits.stock_quantity(item.quantity, _("input {n}: quantity").format(n=number), minimum=-limits.MAX_INT)
    limits.whole(label_copies, _("label copies"), maximum=500)
    if yield_quantity <= 0:
        raise InvalidInput(_("the yield must be more than zero"))
    if not inputs or any(i.quantity <= 0 for i in inputs):
        raise InvalidInput(_("record the quantity actually used of each input"))
    days = rescue_days(settings)
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        batch = _batch(session, batch_id, lock=True)
        if batch.finished_at is not None or batch.status is BatchStatus.DISCARDED:
            raise NotAllowed(_("batch {code} is already finished").format(code=batch.code))
        recipe = session.get(Recipe, batch.recipe_id)
        output = session.get(Product, recipe.output_product_id) if recipe else None
        site = session.get(Site, batch.site_id)
        assert recipe is not None and output is not None and site is not None
        _require_readings(session, batch, recipe)

        total_cost = 0
        rescued_g = 0
        allergens: set[Allergen] = set(output.allergens)
        lots_used = {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_({i.lot_id for i in inputs})))}
        recalls = open_recalls(session, list(lots_used))
        for item in inputs:
            lot = lots_used.get(item.lot_id)
            if lot is None:
                raise NotFound(_("no such lot"))
            reason = block_reason(session, lot, today, recalls)
            if reason is not None:
                raise NotAllowed(reason)
            location = session.get(Location, item.location_id)
            if location is None or location.site_id != batch.site_id:
                raise InvalidInput(_("lot {lot} must be taken from a location of this site").format(lot=lot.code))
            require_on_hand(session, lot, location, item.quantity)
            product = session.get(Product, lot.product_id)
            assert product is not None
            cost = value_of(item.quantity, lot.unit_cost_cents, product.base_per_unit)
            rescue = is_rescue(lot, today, days)
            session.add(
                BatchInput(
                    batch_id=batch.id,
                    lot_id=lot.id,
                    location_id=location.id,
                    product_id=product.id,
                    quantity=item.quantity,
                    rescued=rescue,
                    cost_cents=cost,
                )
            )
            post_movement(
                session,
                kind=MovementKind.LAB_INPUT,
                location_id=location.id,
                lot=lot,
                quantity=-item.quantity,
                user_id=actor.id,
                doc_type="batch",
                doc_id=batch.id,
                reason=batch.code,
            )
            total_cost += cost
            if rescue and product.unit is Unit.KG:
                rescued_g += item.quantity
            allergens |= product.allergens | lot.allergens

        held = batch.status in HELD_STATES
        unit_cost = div_round_half_up(total_cost * output.base_per_unit, yield_quantity)
        lot = Lot(
            code=next_lot_code(session, site, today),
            product_id=output.id,
            expiry=today + timedelta(days=recipe.shelf_life_days),
            date_type=recipe.date_type,
            origin=LotOrigin.BATCH,
            batch_id=batch.id,
            received_on=today,
            unit_cost_cents=unit_cost,
            allergens=frozenset(allergens),
            hold_reason=_hold_reason(batch) if held else None,
        )
        session.add(lot)
        session.flush()
        # the ingredient list as the label prints it, by the weights just used (receipts.food_label)
        lot.ingredients = batch_declaration(session, batch.id, strip_pack_size(output.name)).text
        post_movement(
            session,
            kind=MovementKind.LAB_OUTPUT,
            location_id=batch.location_id,
            lot=lot,
            quantity=yield_quantity,
            user_id=actor.id,
            doc_type="batch",
            doc_id=batch.id,
            reason=batch.code,
        )
        batch.output_lot_id = lot.id
        batch.yield_quantity = yield_quantity
        batch.cost_cents = total_cost
        batch.rescued_quantity_g = rescued_g
        batch.finished_at = utcnow()
        if not held:
            batch.status = BatchStatus.COMPLETED
        labels = 0
        if label_copies > 0 and label_printer:
            from receipts.labels import queue_lot_labels

            labels = len(queue_lot_labels(session, settings, lot, printer=label_printer, copies=label_copies))
        _audit(
            session,
            "batch_finish",
            actor.id,
            batch,
            {"lot": lot.code, "yield": yield_quantity, "cost": total_cost, "rescued_g": rescued_g},
        )
        return FinishedBatch(
            batch.id,
            batch.code,
            batch.status,
            lot.id,
            lot.code,
            lot.expiry or today,
            unit_cost,
            rescued_g,
            frozenset(allergens),
            lot.ingredients or "",
            labels,
        )


def label_printer_for(settings: Settings, counter_code: str | None) -> str | None:
    """``[lab] label_printer`` if set, else the label printer of the counter in use."""
    configured = settings.section("lab").get("label_printer")
    if configured:
        return str(configured)
    if counter_code is None:
        return None
    return settings.counter_printers.get(counter_code, {}).get(PrinterRole.LABEL.value)


RELEASE = BatchDecision.RELEASE
REWORK = BatchDecision.REWORK
DISCARD = BatchDecision.DISCARD


def decide_batch(
    db: Database, batch_id: int, *, decision: BatchDecision | str, actor: Operator, note: str
) -> BatchStatus:
    """A manager's decision about a held batch (or discarding one that went wrong)."""
    try:
        decision = BatchDecision(decision)
    except ValueError:
        raise InvalidInput(_("unknown decision '{decision}'").format(decision=decision)) from None
    limits.text(note, _("note"), lines=True)
    if not note.strip():
        raise InvalidInput(_("write down why: the note goes into the HACCP register"))
    with db.write() as session:
        authorise(session, actor, Action.LAB_DECISION)  # a manager's: the TUI logs one in
        batch = _batch(session, batch_id, lock=True)
        lot = session.get(Lot, batch.output_lot_id) if batch.output_lot_id else None
        if decision == DISCARD:
            if batch.status in (BatchStatus.RELEASED, BatchStatus.COMPLETED, BatchStatus.DISCARDED):
                raise NotAllowed(_("batch {code} is not on hold").format(code=batch.code))
            batch.status = BatchStatus.DISCARDED
            if lot is not None:
                lot.hold_reason = _("batch {code} discarded: {note}").format(code=batch.code, note=note)
                _waste_everything(session, lot, actor.id, note)
        else:
            if batch.status not in HELD_STATES:
                raise NotAllowed(_("batch {code} is not on hold").format(code=batch.code))
            if lot is None:
                raise NotAllowed(_("finish batch {code} first: record its inputs and yield").format(code=batch.code))
            if decision == RELEASE:
                batch.status = BatchStatus.RELEASED
                lot.hold_reason = None
            else:
                batch.status = BatchStatus.REWORKED
        batch.released_by = actor.id
        batch.release_note = note
        _audit(session, f"batch_{decision}", actor.id, batch, {"note": note})
        return batch.status


def _waste_everything(session: Session, lot: Lot, user_id: int, note: str) -> None:
    levels = session.execute(
        select(StockLevel.location_id, StockLevel.quantity).where(StockLevel.lot_id == lot.id, StockLevel.quantity > 0)
    ).all()
    for location_id, quantity in levels:
        location = session.get(Location, location_id)
        assert location is not None
        book_waste(
            session,
            lot=lot,
            location=location,
            quantity=int(quantity),
            reason=WasteReason.QUALITY,
            user_id=user_id,
            note=note,
        )


def batch_view(db: Database, batch_id: int) -> BatchView:
    from orto.i18n import format_datetime

    with db.read() as session:
        batch = _batch(session, batch_id)
        recipe = session.get(Recipe, batch.recipe_id)
        assert recipe is not None
        lot = session.get(Lot, batch.output_lot_id) if batch.output_lot_id else None
        view = BatchView(
            batch.id,
            batch.code,
            recipe.name,
            batch.status,
            format_datetime(batch.started_at),
            lot.code if lot else None,
        )
        last = {r.step_id: r for r in batch.readings}
        for step in recipe.steps:
            reading = last.get(step.id)
            view.steps.append(
                (
                    step.id,
                    step.name,
                    describe_limit(step),
                    format_measure(step.measure, reading.value) if reading else "",
                    reading.within_limit if reading else None,
                )
            )
        return view


def open_batches(db: Database, site_id: int) -> list[tuple[int, str, str, BatchStatus]]:
    """Batches of a site still waiting for readings, a finish or a manager: id, code, recipe, status."""
    with db.read() as session:
        rows = session.execute(
            select(Batch.id, Batch.code, Recipe.name, Batch.status)
            .join(Recipe, Recipe.id == Batch.recipe_id)
            .where(Batch.site_id == site_id, Batch.status.in_([BatchStatus.OPEN, *HELD_STATES]))
            .order_by(Batch.started_at)
        ).all()
        return [(int(i), str(c), str(n), BatchStatus(s)) for i, c, n, s in rows]


def _batch(session: Session, batch_id: int, *, lock: bool = False) -> Batch:
    batch = session.get(Batch, batch_id, with_for_update=lock)
    if batch is None:
        raise NotFound(_("no batch number {number}").format(number=batch_id))
    return batch


def _require_readings(session: Session, batch: Batch, recipe: Recipe) -> None:
    read = {r.step_id for r in batch.readings}
    for step in recipe.steps:
        if step.measure is not None and step.id not in read:
            raise NotAllowed(
                _("record the reading of step '{step}' ({limit}) before finishing").format(
                    step=step.name, limit=describe_limit(step)
                )
            )


def _hold_reason(batch: Batch) -> str:
    return _("batch {code}: a critical reading was outside its limit; waiting for a manager").format(code=batch.code)


def _audit(session: Session, action: str, user_id: int | None, batch: Batch, details: dict[str, object]) -> None:
    session.add(
        AuditEntry(
            action=action,
            user_id=user_id,
            site_id=batch.site_id,
            entity="batch",
            entity_id=batch.id,
            details={"batch": batch.code, **details},
        )
    )
