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

from sqlalchemy import update
from sqlalchemy.orm import Session

from orto.db import Database
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import Batch, Counter, Delivery, Sale, SaleLine, SolidarityFund, TemperatureLog, WasteRecord
from orto.models.base import table_of
from pos.history.selling import CounterDay
from pos.history.shop import Shop, read_shop
from pos.history.stock import Stock, local
from pos.history.writer import Rows

CHUNK_DAYS = 7
WASTE_PER_SITE_DAY = 12  # breakage, spoilage and quality rejects, at scale 1

DOOR_AJAR = N_("Door left ajar: closed, goods checked, back under 4 °C within the hour")


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
        for offset in range(days):
            day = first + timedelta(days=offset)
            stock.expire(day)
            if shop.recipes:
                stock.rescue_batches(day)
            for counter in counters:
                counter.run(day)
            for _site in shop.sites:
                stock.accidents(day, max(0, round(WASTE_PER_SITE_DAY * scale * rng.uniform(0.5, 1.5))))
            _temperatures(rows, shop, rng, day)
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


def _temperatures(rows: Rows, shop: Shop, rng: random.Random, day: date) -> None:
    """Cold rooms read morning and evening; a reading over the limit has its corrective action."""
    for site in shop.sites.values():
        for location in site.cold_location_ids:
            for hour in (8, 18):
                over = rng.random() < 0.02
                rows.add(
                    TemperatureLog,
                    {
                        "location_id": location,
                        "temperature_dc": rng.randint(45, 75) if over else rng.randint(15, 40),
                        "max_dc": 40,
                        "corrective_action": _(DOOR_AJAR) if over else None,
                        "at": local(day, hour, rng.randint(0, 20)),
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
