"""Stock in the generated history: lots arrive by delivery, lab batch or opening count, leave by
sale, lab input or waste, first-expired-first-out, and every change is a ledger row.

The simulation keeps each (location, product)'s lots in memory; the stock levels it leaves are
the sums of the movements it wrote, so on-hand equals the ledger as it does for the real till.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inventory.ledger import value_of
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import (
    Batch,
    BatchInput,
    BatchStatus,
    CriticalReading,
    DateType,
    Delivery,
    DeliveryLine,
    Lot,
    LotOrigin,
    MovementKind,
    StockLevel,
    StockMovement,
    WasteReason,
    WasteRecord,
)
from pos import demo_data
from pos.history.shop import Item, RecipePlan, Shop
from pos.history.writer import Rows

ROME = ZoneInfo("Europe/Rome")
CHILLED = demo_data.CHILLED_CATEGORIES  # the categories the demo keeps chilled
RESCUABLE = {"Verdura", "Frutta"}
# Marked here, translated when the history is written: registers read in the interface language.
_FAILED_ACTIONS = (
    N_("Prolonged the treatment and measured again"),
    N_("Batch held: re-pasteurised"),
    N_("Cooling repeated in the blast chiller"),
    N_("Acidified again and checked the pH"),
)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ROME)


@dataclass
class LotState:
    id: int
    item: Item
    expiry: date | None
    remaining: int
    unit_cost_cents: int


class Stock:
    def __init__(self, session: Session, rows: Rows, shop: Shop, rng: random.Random) -> None:
        self.session = session
        self.rows = rows
        self.shop = shop
        self.rng = rng
        self.queues: dict[tuple[int, int], deque[LotState]] = defaultdict(deque)
        self.levels: dict[tuple[int, int], tuple[int, int]] = {}  # (location, lot) -> (product, delta)
        self.deliveries: dict[tuple[int, int, date], tuple[int, int]] = {}  # -> (delivery id, site)
        self.demand: dict[tuple[int, int], float] = {}  # (location, product) -> base units a day
        self.recipe_for = {r.output_id: r for r in shop.recipes}
        self.site_of_location = {
            loc: site.id
            for site in shop.sites.values()
            for loc in (site.selling_location_id, site.lab_location_id, *site.cold_location_ids)
        }
        self.lot_seq = 0
        self.batch_seq = 0

    # -- the ledger ---------------------------------------------------------------------------
    def move(
        self,
        kind: MovementKind,
        location: int,
        lot: LotState,
        quantity: int,
        at: datetime,
        *,
        doc_type: str | None = None,
        doc_id: int | None = None,
        user: int | None = None,
        reason: str = "",
    ) -> None:
        self._move(
            kind, location, lot.id, lot.item.id, lot.unit_cost_cents, quantity, at, doc_type, doc_id, user, reason
        )

    def _move(
        self,
        kind: MovementKind,
        location: int,
        lot_id: int,
        product_id: int,
        unit_cost: int,
        quantity: int,
        at: datetime,
        doc_type: str | None,
        doc_id: int | None,
        user: int | None,
        reason: str,
    ) -> None:
        self.rows.add(
            StockMovement,
            {
                "at": at,
                "kind": kind,
                "location_id": location,
                "lot_id": lot_id,
                "product_id": product_id,
                "quantity": quantity,
                "unit_cost_cents": unit_cost,
                "reason": reason,
                "user_id": user,
                "doc_type": doc_type,
                "doc_id": doc_id,
            },
        )
        key = (location, lot_id)
        previous = self.levels.get(key, (product_id, 0))[1]
        self.levels[key] = (product_id, previous + quantity)

    def write_levels(self) -> None:
        """Apply the net change per (location, lot) to the stock levels, as the ledger would have."""
        if not self.levels:
            return
        insert = postgresql.insert if self.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        stmt = insert(StockLevel)
        stmt = stmt.on_conflict_do_update(
            index_elements=[StockLevel.location_id, StockLevel.lot_id],
            set_={"quantity": StockLevel.quantity + stmt.excluded.quantity},
        )
        # a lot sold out leaves no row (on hand is the sum of the rows, a missing row is zero)
        rows = [
            {"location_id": loc, "lot_id": lot, "product_id": product, "quantity": delta}
            for (loc, lot), (product, delta) in self.levels.items()
            if delta
        ]
        for start in range(0, len(rows), 5000):
            self.session.execute(stmt, rows[start : start + 5000])
        self.levels = {}

    # -- lots ---------------------------------------------------------------------------------
    def _lot(
        self, item: Item, site_code: str, day: date, quantity: int, unit_cost: int, origin: LotOrigin, **extra: object
    ) -> LotState:
        self.lot_seq += 1
        expiry = day + timedelta(days=item.shelf_life_days) if item.shelf_life_days else None
        lot_id = self.rows.add(
            Lot,
            {
                "code": f"{site_code}-{day:%y%m%d}-H{self.lot_seq:05d}",
                "product_id": item.id,
                "expiry": expiry,
                "date_type": item.date_type,
                "origin": origin,
                "supplier_id": extra.get("supplier_id"),
                "supplier_lot_code": extra.get("supplier_lot_code"),
                "received_on": day,
                "unit_cost_cents": unit_cost,
            },
        )
        return LotState(lot_id, item, expiry, quantity, unit_cost)

    def _cover(self, location: int, item: Item) -> int:
        """How much one restock brings: a few days of sales for fresh food, two weeks otherwise."""
        per_day = self.demand.get((location, item.id), 0.0)
        shelf = item.shelf_life_days or 60
        days = max(1.0, min(shelf * 0.8, 4.0)) if shelf <= 14 else 14.0
        quantity = per_day * days * self.rng.uniform(0.8, 1.4)
        if item.base_per_unit == 1:
            return max(4, round(quantity))
        return max(2000, round(quantity / 500) * 500)

    def restock(self, location: int, item: Item, day: date, at_least: int = 0) -> None:
        site = self.shop.sites[self.site_of_location[location]]
        quantity = max(at_least, self._cover(location, item))
        if item.supplier_id is not None:
            lot = self._deliver(site.id, site.code, location, item, day, quantity)
        elif item.id in self.recipe_for:
            self.batch(self.recipe_for[item.id], site.id, location, day, rescue=False)
            return
        else:
            lot = self._lot(item, site.code, day, quantity, item.cost_cents, LotOrigin.OPENING)
            self.move(
                MovementKind.COUNT_ADJUSTMENT,
                location,
                lot,
                quantity,
                local(day, 7, 45),
                user=self.shop.manager,
                reason=_("stock bought without a supplier on file"),
            )
        self.queues[(location, item.id)].append(lot)

    def _deliver(self, site_id: int, site_code: str, location: int, item: Item, day: date, quantity: int) -> LotState:
        assert item.supplier_id is not None
        key = (site_id, item.supplier_id, day)
        at = local(day, 7, 30)
        if key not in self.deliveries:
            delivery_id = self.rows.add(
                Delivery,
                {
                    "supplier_id": item.supplier_id,
                    "site_id": site_id,
                    "location_id": location,
                    "note_number": f"{len(self.deliveries) + 1}/{day:%Y}",
                    "received_at": at,
                    "received_by": self.shop.kitchen,
                    "notes": "",
                },
            )
            self.deliveries[key] = (delivery_id, site_id)
        delivery_id = self.deliveries[key][0]
        chilled = item.category in CHILLED
        supplier_lot = f"{self.rng.randint(1000, 9999)}/{day:%y}"
        if self.rng.random() < 0.02:  # refused at the door: a line without a lot
            self.rows.add(
                DeliveryLine, self._line(delivery_id, item, quantity, day, None, supplier_lot, chilled, False)
            )
        lot = self._lot(
            item,
            site_code,
            day,
            quantity,
            item.cost_cents,
            LotOrigin.DELIVERY,
            supplier_id=item.supplier_id,
            supplier_lot_code=supplier_lot,
        )
        line_id = self.rows.add(
            DeliveryLine, self._line(delivery_id, item, quantity, day, lot, supplier_lot, chilled, True)
        )
        self.rows.link_lot(lot.id, delivery_line_id=line_id)
        self.move(MovementKind.DELIVERY, location, lot, quantity, at, doc_type="delivery_line", doc_id=line_id)
        return lot

    def _line(
        self,
        delivery_id: int,
        item: Item,
        quantity: int,
        day: date,
        lot: LotState | None,
        supplier_lot: str,
        chilled: bool,
        accepted: bool,
    ) -> dict[str, object]:
        if accepted:
            temperature = self.rng.randint(20, 45) if chilled else None
        else:
            temperature = self.rng.randint(75, 110) if chilled else None
        return {
            "delivery_id": delivery_id,
            "product_id": item.id,
            "quantity": quantity,
            "unit_cost_cents": item.cost_cents,
            "supplier_lot_code": supplier_lot,
            "expiry": lot.expiry if lot else None,
            "date_type": item.date_type,
            "temperature_dc": temperature,
            "packaging_ok": accepted or chilled,
            "accepted": accepted,
            "reject_reason": None if accepted else (_("temperature too high") if chilled else _("packaging damaged")),
            "lot_id": lot.id if lot else None,
        }

    def take(self, location: int, item: Item, quantity: int, day: date) -> list[tuple[LotState, int]]:
        """Lots and quantities a sale or a batch takes, first-expired-first-out, restocking when short."""
        queue = self.queues[(location, item.id)]
        taken: list[tuple[LotState, int]] = []
        left = quantity
        for _attempt in range(20):
            if not queue:
                self.restock(location, item, day, at_least=left)
                if not queue:
                    break
            lot = queue[0]
            piece = min(left, lot.remaining)
            if piece > 0:
                taken.append((lot, piece))
                lot.remaining -= piece
                left -= piece
            if lot.remaining <= 0:
                queue.popleft()
            if left == 0:
                return taken
        raise RuntimeError(f"could not restock {item.code}")

    # -- the lab ------------------------------------------------------------------------------
    def batch(self, recipe: RecipePlan, site_id: int, output_location: int, day: date, *, rescue: bool) -> None:
        """A lab batch: inputs from the shop floor's lots, readings at each critical step, one output lot."""
        site = self.shop.sites[site_id]
        output = self.shop.items[recipe.output_id]
        self.batch_seq += 1
        started = local(day, 9, self.rng.randint(0, 50))
        finished = started + timedelta(hours=3)
        failed = self.rng.random() < 0.04 and any(s.measure for s in recipe.steps)
        batch_id = self.rows.add(
            Batch,
            {
                "code": f"B-{site.code}-{day:%y%m%d}-{self.batch_seq:04d}",
                "recipe_id": recipe.id,
                "site_id": site_id,
                "location_id": site.lab_location_id,
                "status": BatchStatus.RELEASED if failed else BatchStatus.COMPLETED,
                "started_at": started,
                "started_by": self.shop.kitchen,
                "finished_at": finished,
                "output_lot_id": None,
                "yield_quantity": None,
                "rescued_quantity_g": 0,
                "cost_cents": 0,
                "released_by": self.shop.manager if failed else None,
                "release_note": _("Released after the corrective action") if failed else None,
                "notes": "",
            },
        )
        cost = 0
        rescued_g = 0
        for product_id, quantity in recipe.inputs:
            item = self.shop.items[product_id]
            source = self._input_location(item, site_id)
            for lot, piece in self.take(source, item, quantity, day):
                near = lot.expiry is not None and lot.expiry <= day + timedelta(days=2)
                piece_cost = value_of(piece, lot.unit_cost_cents, item.base_per_unit)
                cost += piece_cost
                if near and item.base_per_unit == 1000:
                    rescued_g += piece
                input_id = self.rows.add(
                    BatchInput,
                    {
                        "batch_id": batch_id,
                        "lot_id": lot.id,
                        "product_id": item.id,
                        "quantity": piece,
                        "rescued": near,
                        "cost_cents": piece_cost,
                        "location_id": source,
                    },
                )
                self.move(
                    MovementKind.LAB_INPUT,
                    source,
                    lot,
                    -piece,
                    started,
                    doc_type="batch_input",
                    doc_id=input_id,
                    user=self.shop.kitchen,
                )
        failing_step = next((s for s in recipe.steps if s.measure), None) if failed else None
        for n, step in enumerate(s for s in recipe.steps if s.measure):
            low = step.min_value if step.min_value is not None else (step.max_value or 0) - 50
            high = step.max_value if step.max_value is not None else low + 50
            value = self.rng.randint(low, max(low, high))
            taken_at = started + timedelta(minutes=40 + 30 * n)
            if step is failing_step:
                miss = low - self.rng.randint(3, 30) if step.min_value is not None else high + self.rng.randint(3, 30)
                self.rows.add(
                    CriticalReading,
                    {
                        "batch_id": batch_id,
                        "step_id": step.id,
                        "value": miss,
                        "within_limit": False,
                        "corrective_action": _(self.rng.choice(_FAILED_ACTIONS)),
                        "taken_at": taken_at,
                        "taken_by": self.shop.kitchen,
                    },
                )
                taken_at += timedelta(minutes=20)
            self.rows.add(
                CriticalReading,
                {
                    "batch_id": batch_id,
                    "step_id": step.id,
                    "value": value,
                    "within_limit": True,
                    "corrective_action": None,
                    "taken_at": taken_at,
                    "taken_by": self.shop.kitchen,
                },
            )
        produced = max(1, round(recipe.expected_yield * self.rng.uniform(0.9, 1.04)))
        unit_cost = max(1, round(cost * output.base_per_unit / produced))
        lot = self._lot(output, site.code, day, produced, unit_cost, LotOrigin.BATCH)
        self.rows.link_lot(lot.id, batch_id=batch_id)
        batch_row = self.rows.rows[Batch][-1]
        batch_row.update(output_lot_id=lot.id, yield_quantity=produced, rescued_quantity_g=rescued_g, cost_cents=cost)
        self.move(
            MovementKind.LAB_OUTPUT,
            output_location,
            lot,
            produced,
            finished,
            doc_type="batch",
            doc_id=batch_id,
            user=self.shop.kitchen,
        )
        self.queues[(output_location, output.id)].append(lot)

    def _input_location(self, item: Item, site_id: int) -> int:
        """Produce for the lab comes from the site's own shop floor, else is delivered to its lab."""
        site = self.shop.sites[site_id]
        if (site.selling_location_id, item.id) in self.demand:
            return site.selling_location_id
        if (site.lab_location_id, item.id) not in self.demand:
            self.demand[(site.lab_location_id, item.id)] = 0.0  # one recipe's worth at a time
        return site.lab_location_id

    def rescue_batches(self, day: date) -> None:
        """Each lab looks for produce at its date and turns it into a preserve when a recipe uses it."""
        for site in self.shop.sites.values():
            if self.rng.random() > 0.6:
                continue
            for recipe in self.rng.sample(self.shop.recipes, len(self.shop.recipes)):
                location = site.selling_location_id
                if (location, recipe.output_id) not in self.demand:
                    continue
                if any(self._near(location, product_id, day) for product_id, _q in recipe.inputs):
                    self.batch(recipe, site.id, location, day, rescue=True)
                    break

    def _near(self, location: int, product_id: int, day: date) -> bool:
        queue = self.queues.get((location, product_id))
        return (
            queue is not None
            and bool(queue)
            and queue[0].expiry is not None
            and queue[0].expiry <= day + timedelta(days=2)
        )

    # -- waste --------------------------------------------------------------------------------
    def waste(
        self, location: int, lot: LotState, quantity: int, reason: WasteReason, at: datetime, note: str = ""
    ) -> None:
        site_id = self.site_of_location[location]
        record_id = self.rows.add(
            WasteRecord,
            {
                "site_id": site_id,
                "location_id": location,
                "product_id": lot.item.id,
                "lot_id": lot.id,
                "quantity": quantity,
                "reason": reason,
                "value_cents": value_of(quantity, lot.unit_cost_cents, lot.item.base_per_unit),
                "note": note,
                "donation_id": None,
                "at": at,
                "user_id": self.shop.kitchen,
            },
        )
        self.move(
            MovementKind.WASTE,
            location,
            lot,
            -quantity,
            at,
            doc_type="waste",
            doc_id=record_id,
            user=self.shop.kitchen,
            reason=reason.value,
        )

    def expire(self, day: date) -> None:
        """Before opening: what passed its date yesterday is thrown away (use-by) or given away."""
        at = local(day, 8, 0)
        for (location, _product), queue in self.queues.items():
            while queue and queue[0].expiry is not None and queue[0].expiry < day:
                lot = queue.popleft()
                if lot.remaining > 0:
                    donate = lot.item.date_type is DateType.BEST_BEFORE and self.rng.random() < 0.3
                    self.waste(location, lot, lot.remaining, WasteReason.DONATED if donate else WasteReason.EXPIRED, at)

    def accidents(self, day: date, count: int) -> None:
        """Breakage, spoilage and quality rejects found on the shelf during the day."""
        stocked = [(key, q) for key, q in self.queues.items() if q and q[0].remaining > 0]
        if not stocked:
            return
        reasons = (WasteReason.DAMAGED, WasteReason.SPOILED, WasteReason.SPOILED, WasteReason.QUALITY)
        for _n in range(count):
            (location, _product), queue = self.rng.choice(stocked)
            if not queue or queue[0].remaining <= 0:
                continue
            lot = queue[0]
            if lot.item.base_per_unit == 1:
                quantity = min(lot.remaining, self.rng.randint(1, 2))
            else:
                quantity = min(lot.remaining, self.rng.randint(1, 12) * 50)
            lot.remaining -= quantity
            self.waste(location, lot, quantity, self.rng.choice(reasons), local(day, self.rng.randint(9, 18)))
            if lot.remaining <= 0:
                queue.popleft()
