"""km0: food *produced* within the radius of the site that sells it.

The rule (docs/supply.md, "km0"):

- a received lot is km0 at a site when its **producer** is within ``[km0] radius_km`` of that
  site. The producer is the delivery line's producer of origin when the supplier named one, else
  the supplier itself if it is a producer (a farm or a lab); a distributor is never a producer,
  so what it sells is km0 only through a named producer of origin;
- a lot found at opening or by a count has no delivery: its producer is the product's catalog
  supplier, again only if that supplier is a producer;
- a lab lot is km0 when at least ``[km0] lab_min_share_pct`` (default 50) % of its inputs' weight
  (grams and millilitres as they are; pieces carry no weight and are left out) is km0 at the
  selling site, each input judged by these same rules (a lab input by its own inputs);
- a line sold without a lot (a coffee, a made-to-order dish) is not km0: nothing says where its
  food came from.

Pure rules first, then the loading (a few queries per level of lab inputs, whatever the number of
lots)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orto import prepared
from orto.config import Settings
from orto.enums import LotOrigin, SupplierKind, Unit
from orto.prepared import Prepared, PreparedIn, in_params

DEFAULT_LAB_MIN_SHARE_PCT = 50


@dataclass(frozen=True)
class Km0Rule:
    radius_km: int
    lab_min_share_pct: int = DEFAULT_LAB_MIN_SHARE_PCT

    @classmethod
    def of(cls, settings: Settings) -> Km0Rule:
        share = settings.section("km0").get("lab_min_share_pct", DEFAULT_LAB_MIN_SHARE_PCT)
        if isinstance(share, bool) or not isinstance(share, int) or not 0 < share <= 100:
            share = DEFAULT_LAB_MIN_SHARE_PCT
        return cls(settings.km0_radius_km, share)


def producer_of(
    origin_supplier: int | None, supplier: int | None, product_supplier: int | None, kinds: dict[int, SupplierKind]
) -> int | None:
    """The producer of a lot's food, or None when nobody known produced it."""
    if origin_supplier is not None:
        return origin_supplier if kinds.get(origin_supplier, SupplierKind.DISTRIBUTOR).is_producer else None
    for candidate in (supplier, product_supplier):
        if candidate is not None:
            return candidate if kinds.get(candidate, SupplierKind.DISTRIBUTOR).is_producer else None
    return None


def lab_lot_is_km0(inputs: Iterable[tuple[int, bool]], min_share_pct: int) -> bool:
    """(weight in g or ml, km0) per input -> whether the km0 share of the weight is enough."""
    total = km0 = 0
    for weight, is_km0 in inputs:
        total += weight
        km0 += weight if is_km0 else 0
    return total > 0 and km0 * 100 >= min_share_pct * total


class _Reads:
    """The loading's statements, built once (they run on the driver: a sale's commit reads them)."""

    def __init__(self) -> None:
        from orto.models import BatchInput, DeliveryLine, Lot, Product, Supplier, SupplierDistance
        from orto.models.base import table_of

        lots, lines, products = table_of(Lot), table_of(DeliveryLine), table_of(Product)
        inputs, distances = table_of(BatchInput), table_of(SupplierDistance)
        suppliers = table_of(Supplier)
        self.kinds = Prepared(select(suppliers.c.id, suppliers.c.kind))
        self.lots = PreparedIn(
            lambda n: (
                select(
                    lots.c.id,
                    lots.c.origin,
                    lots.c.batch_id,
                    lots.c.supplier_id,
                    lines.c.origin_supplier_id,
                    products.c.supplier_id.label("product_supplier_id"),
                )
                .join_from(lots, products, products.c.id == lots.c.product_id)
                .outerjoin(lines, lines.c.id == lots.c.delivery_line_id)
                .where(lots.c.id.in_(in_params(n)))
            )
        )
        self.inputs = PreparedIn(
            lambda n: (
                select(inputs.c.batch_id, inputs.c.lot_id, inputs.c.quantity, products.c.unit)
                .join_from(inputs, products, products.c.id == inputs.c.product_id)
                .where(inputs.c.batch_id.in_(in_params(n)))
            )
        )
        self.near = Prepared(
            select(distances.c.supplier_id).where(
                distances.c.site_id == bindparam("site_id"), distances.c.distance_km <= bindparam("radius_km")
            )
        )


@cache  # built at the first call: the models import this module
def _reads() -> _Reads:
    return _Reads()


def km0_lot_ids(session: Session, rule: Km0Rule, site_id: int, lot_ids: Iterable[int]) -> set[int]:
    """Of these lots, those whose food is km0 when sold at this site."""
    reads = _reads()
    wanted = {int(i) for i in lot_ids if i is not None}
    if not wanted:
        return set()
    # lot -> (producer or None) for received lots; lot -> its batch for lab lots
    producers: dict[int, int | None] = {}
    batch_of: dict[int, int] = {}
    inputs_of: dict[int, list[tuple[int, int]]] = {}  # batch -> (input lot, weight)
    frontier = set(wanted)
    seen: set[int] = set()
    kinds: dict[int, SupplierKind] = {sid: SupplierKind(kind) for sid, kind in prepared.rows(session, reads.kinds)}
    while frontier:
        seen |= frontier
        batches: set[int] = set()
        for lot_id, origin, batch_id, supplier, origin_supplier, product_supplier in prepared.rows(
            session, *reads.lots.params(sorted(frontier))
        ):
            if LotOrigin(origin) is LotOrigin.BATCH and batch_id is not None:
                batch_of[lot_id] = batch_id
                batches.add(batch_id)
            else:
                producers[lot_id] = producer_of(origin_supplier, supplier, product_supplier, kinds)
        frontier = set()
        if batches:
            for batch_id, input_lot, quantity, unit in prepared.rows(session, *reads.inputs.params(sorted(batches))):
                weight = 0 if Unit(unit) is Unit.PIECE else int(quantity)
                inputs_of.setdefault(batch_id, []).append((input_lot, weight))
                if input_lot not in seen:
                    frontier.add(input_lot)
    near = {
        row.supplier_id for row in prepared.rows(session, reads.near, {"site_id": site_id, "radius_km": rule.radius_km})
    }
    decided: dict[int, bool] = {}

    def is_km0(lot_id: int, path: frozenset[int]) -> bool:
        if lot_id in decided:
            return decided[lot_id]
        if lot_id in batch_of and lot_id not in path:
            inputs = inputs_of.get(batch_of[lot_id], [])
            result = lab_lot_is_km0(((w, is_km0(i, path | {lot_id})) for i, w in inputs), rule.lab_min_share_pct)
        else:
            producer = producers.get(lot_id)
            result = producer is not None and producer in near
        decided[lot_id] = result
        return result

    return {lot_id for lot_id in wanted if is_km0(lot_id, frozenset())}
