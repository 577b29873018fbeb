"""A deterministic sales, stock, lab and waste history for the demo shop and the benchmarks.

``generate_history(db, days=90, today=...)`` fills the days before ``today`` (today itself is
left for the till): shifts and Z reports per counter and day, completed sales with their lines,
payments (cash, card, vouchers, spesa sospesa) and social-tariff prices, donations to the funds,
deliveries from the farms with reception checks, lab batches that rescue produce at its date
with their HACCP readings, waste (expired, donated, damaged, spoiled), cold-room temperatures;
every stock change is a ledger row and stock levels are their sums.

It writes with Core ``executemany`` in chunks of a week, inside one transaction: a year of
three sites (``scale=4``: over a million sale lines) takes a few minutes, the demo's 90 days a
few seconds. The same seed gives the same history. At the end the days before ``today`` are
summarised for the sales report (``pos.reports.summaries.ensure_summaries``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from orto.db import Database
from orto.i18n import gettext as _
from orto.models import (
    Appliance,
    ApplianceReading,
    Batch,
    Counter,
    Delivery,
    Sale,
    SaleLine,
    SolidarityFund,
    WasteRecord,
)
from orto.models.base import table_of
from pos.history.selling import CounterDay
from pos.history.shop import Shop, read_shop
from pos.history.stock import Stock, local
from pos.history.writer import Rows

CHUNK_DAYS = 7
WASTE_PER_SITE_DAY = 12  # breakage, spoilage and quality rejects, at scale 1



@dataclass(frozen=True)
class HistorySummary:
    first_day: date
    last_day: date
    sales: int
    sale_lines: int
    waste_records: int
    batches: int
    deliveries: int


def generate_history(db: Database, *, days: int, today: date, scale: float = 1.0, seed: int = 2026) -> HistorySummary:
    """Fill the ``days`` days before ``today`` with history (see the module's docstring)."""
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    with db.write() as session:
        shop = read_shop(session)
        rows = Rows(session)
        stock = Stock(session, rows, shop, rng)
        counters = [CounterDay(till, shop, stock, rows, rng, scale) for till in shop.tills]
        appliances = list(
            session.execute(
                select(Appliance.id, Appliance.min_dc, Appliance.max_dc)
                .where(Appliance.active.is_(True))
                .order_by(Appliance.id)
            )
        )
        for offset in range(days):
            day = first + timedelta(days=offset)
            stock.expire(day)
            if shop.recipes:
                stock.rescue_batches(day)
            for counter in counters:
                counter.run(day)
            for _site in shop.sites:
                stock.accidents(day, max(0, round(WASTE_PER_SITE_DAY * scale * rng.uniform(0.5, 1.5))))
            _temperatures(rows, shop, rng, day, appliances)
            if offset % CHUNK_DAYS == CHUNK_DAYS - 1:
                rows.flush()
        rows.flush()
        stock.write_levels()
        rows.fix_sequences()
        _bump_counters(session, shop)
        summary = HistorySummary(
            first_day=first,
            last_day=today - timedelta(days=1),
            sales=rows.written[Sale],
            sale_lines=rows.written[SaleLine],
            waste_records=rows.written[WasteRecord],
            batches=rows.written[Batch],
            deliveries=rows.written[Delivery],
        )
    # The closed days' sales summaries, as the nightly run would have left them (pos.reports.summaries).
    from pos.reports.summaries import ensure_summaries

    ensure_summaries(db, today)
    return summary


def _temperatures(rows: Rows, shop: Shop, rng: random.Random, day: date, appliances: list[Any]) -> None:
    """Every appliance read at 8 and 16 (the default reading times); one reading in fifty is out
    of its limit and has its corrective action, in the interface's language like every register."""
    action = _("Door left ajar: closed, goods checked, back within the limit within the hour")
    for appliance_id, low, high in appliances:
        for hour in (8, 16):
            over = rng.random() < 0.02
            top = high if high is not None else 40
            bottom = low if low is not None else top - 60
            value = rng.randint(top + 5, top + 50) if over else rng.randint(max(bottom, top - 40), top)
            rows.add(
                ApplianceReading,
                {
                    "appliance_id": appliance_id,
                    "value_dc": value,
                    "min_dc": low,
                    "max_dc": high,
                    "within_limit": not over,
                    "corrective_action": action if over else None,
                    "taken_at": local(day, hour, rng.randint(0, 20)),
                    "user_id": shop.kitchen,
                },
            )


def _bump_counters(session: Session, shop: Shop) -> None:
    """Sale and Z numbers continue after the history; funds hold what the history left in them."""
    counters = table_of(Counter)
    for till in shop.tills:
        session.execute(
            update(counters)
            .where(counters.c.id == till.id)
            .values(last_sale_number=till.last_sale_number, last_z_number=till.last_z_number)
        )
    funds = table_of(SolidarityFund)
    for fund_id, balance in shop.fund_balance.items():
        session.execute(update(funds).where(funds.c.id == fund_id).values(balance_cents=balance))
