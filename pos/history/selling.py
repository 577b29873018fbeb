"""A counter's business day in the generated history: its shift, sales, payments, donations to
the spesa-sospesa fund and the Z report, whose totals are the same figures ``day_totals`` gives."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from orto.i18n import gettext as _
from orto.models import (
    CashMovement,
    CounterKind,
    FundMovement,
    MovementKind,
    Payment,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
    ZReport,
)
from orto.money import price_for_quantity
from orto.vat_choice import line_rate
from pos.history.shop import Item, Shop, Till
from pos.history.stock import Stock, local
from pos.history.writer import Rows
from pos.selling.shifts import ZCashMove, ZDay, ZLine, ZPayment, ZSale, ZShift, z_sums

FLOAT_COUNT = {"5000": 1, "2000": 2, "1000": 1}
FLOAT_CENTS = 10_000
NOTES_CENTS = (500, 1000, 2000, 5000, 10_000)


@dataclass(frozen=True)
class Profile:
    """How busy a kind of counter is: sales a day, opening hours with their weight, basket sizes."""

    sales_per_day: int
    closed_weekdays: frozenset[int]
    hours: dict[int, int]
    lines: dict[int, float]
    tessera_share: float
    solidarity_share: float
    card_share: float
    onsite_share: float = 0.0
    boost: tuple[str, float] | None = None  # a category sold far more often (coffee at the bar)


PROFILES = {
    CounterKind.EMPORIO: Profile(
        110,
        frozenset({6}),
        {9: 2, 10: 3, 11: 4, 12: 3, 15: 1, 16: 2, 17: 4, 18: 4, 19: 1},
        {1: 0.22, 2: 0.24, 3: 0.2, 4: 0.13, 5: 0.09, 6: 0.06, 8: 0.06},
        0.15,
        0.02,
        0.4,
    ),
    CounterKind.CUCINA: Profile(
        70,
        frozenset({0}),
        {11: 1, 12: 5, 13: 5, 14: 2, 18: 1, 19: 3, 20: 3},
        {1: 0.5, 2: 0.35, 3: 0.15},
        0.1,
        0.01,
        0.45,
    ),
    CounterKind.BAR: Profile(
        220,
        frozenset(),
        {7: 3, 8: 6, 9: 4, 10: 3, 11: 2, 12: 3, 13: 4, 14: 2, 15: 2, 16: 2, 17: 3, 18: 5, 19: 3},
        {1: 0.55, 2: 0.3, 3: 0.15},
        0.05,
        0.005,
        0.35,
        0.85,
        ("Caffetteria", 12.0),
    ),
}
WEEKDAY_FACTOR = (0.9, 1.0, 1.0, 1.0, 1.1, 1.3, 1.0)


class CounterDay:
    """Sells one counter's history, day after day, keeping its numbering and its fund."""

    def __init__(self, till: Till, shop: Shop, stock: Stock, rows: Rows, rng: random.Random, scale: float) -> None:
        self.till = till
        self.shop = shop
        self.stock = stock
        self.rows = rows
        self.rng = rng
        self.scale = scale
        self.profile = PROFILES.get(till.kind, PROFILES[CounterKind.EMPORIO])
        self.fund_id = shop.sites[till.site_id].fund_id
        items = list(till.items)
        rng.shuffle(items)
        self.items = items
        self.weights = [
            1.0
            / (rank + 1) ** 0.8
            * (self.profile.boost[1] if self.profile.boost and i.category == self.profile.boost[0] else 1)
            for rank, i in enumerate(items)
        ]
        self.hour_list = list(self.profile.hours)
        self.hour_weights = list(self.profile.hours.values())
        self.line_counts = list(self.profile.lines)
        self.line_weights = list(self.profile.lines.values())
        self._estimate_demand()

    def _estimate_demand(self) -> None:
        """Base units a day of each item, for deciding how much a delivery brings."""
        mean_lines = sum(n * w for n, w in self.profile.lines.items()) / sum(self.profile.lines.values())
        lines_a_day = self.profile.sales_per_day * self.scale * mean_lines
        total = sum(self.weights)
        for item, weight in zip(self.items, self.weights, strict=True):
            if item.stocked:
                mean_quantity = 1100 if item.weighed else (1.2 if item.base_per_unit == 1 else 1000)
                self.stock.demand[(self.till.location_id, item.id)] = lines_a_day * weight / total * mean_quantity

    def is_open(self, day: date) -> bool:
        return day.weekday() not in self.profile.closed_weekdays

    def run(self, day: date) -> None:
        if not self.is_open(day) or not self.items:
            return
        profile = self.profile
        rng = self.rng
        count = max(
            1, round(profile.sales_per_day * self.scale * WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.8, 1.2))
        )
        first_hour, last_hour = min(self.hour_list), max(self.hour_list)
        opened_at = local(day, first_hour - 1, 45)
        closed_at = local(day, last_hour + 1, 10)
        cashier = rng.choice(self.shop.cashiers)
        shift_row: dict[str, Any] = {
            "counter_id": self.till.id,
            "status": ShiftStatus.CLOSED,
            "opened_by": cashier,
            "opened_at": opened_at,
            "opening_float_cents": FLOAT_CENTS,
            "opening_count": FLOAT_COUNT,
            "closed_by": cashier,
            "closed_at": closed_at,
            "closing_count": None,
        }
        shift_id = self.rows.add(Shift, shift_row)
        times = sorted(
            local(day, hour, rng.randint(0, 59)) + timedelta(seconds=rng.randint(0, 59))
            for hour in rng.choices(self.hour_list, self.hour_weights, k=count)
        )
        z = _ZDay(day)
        for at in times:
            self._sale(day, at, shift_id, cashier, z)
        cash_in = self._donations(day, shift_id, cashier, z, opened_at)
        expected = FLOAT_CENTS + z.cash_taken() + cash_in
        difference = 0 if rng.random() < 0.85 else rng.choice((-500, -100, -20, 10, 50, 200))
        shift_row.update(
            expected_cash_cents=expected, counted_cash_cents=expected + difference, difference_cents=difference
        )
        z.shifts.append(ZShift(shift_id, FLOAT_CENTS, expected, expected + difference, difference))
        if cash_in:
            z.moves.append(ZCashMove(cashier, cash_in))
        names = {cashier: self.shop.user_names.get(cashier, str(cashier))}
        self.till.last_z_number += 1
        self.rows.add(
            ZReport,
            {
                "counter_id": self.till.id,
                "number": self.till.last_z_number,
                "business_date": day,
                "created_at": closed_at + timedelta(minutes=5),
                "created_by": self.shop.manager,
                "totals": z.totals(self.shop.tessera_id, names),
            },
        )

    def _sale(self, day: date, at: datetime, shift_id: int, cashier: int, z: _ZDay) -> None:
        rng = self.rng
        profile = self.profile
        tessera = self.shop.tessera_id is not None and rng.random() < profile.tessera_share
        onsite = rng.random() < profile.onsite_share
        lines_count = rng.choices(self.line_counts, self.line_weights)[0]
        chosen = rng.choices(self.items, self.weights, k=lines_count)
        self.till.last_sale_number += 1
        sale_id = self.rows.next_id[Sale]
        total = 0
        for position, item in enumerate(chosen, start=1):
            if item.weighed:
                quantity = rng.randint(4, 40) * 50
            else:
                quantity = rng.choices((1, 2, 3), (0.8, 0.15, 0.05))[0]
            unit_price = item.tessera_price_cents if tessera else item.price_cents
            line_total = price_for_quantity(unit_price, quantity, item.weighed)
            vat = line_rate(item.vat_bp, item.onsite_vat_bp, onsite, False)  # the history has no take-away
            line_id = self.rows.add(
                SaleLine,
                {
                    "sale_id": sale_id,
                    "position": position,
                    "product_id": item.id,
                    "description": item.name,
                    "quantity": quantity,
                    "weighed": item.weighed,
                    "list_price_cents": item.price_cents,
                    "unit_price_cents": unit_price,
                    "vat_rate_bp": vat,
                    "take_away": False,
                    "total_cents": line_total,
                },
            )
            self._take(day, at, item, quantity, line_id, cashier)
            total += line_total
            z.lines.append(ZLine(sale_id, vat, line_total, 0, 0, item.category))
        self.rows.add(
            Sale,
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "kind": SaleKind.SALE,
                "status": SaleStatus.COMPLETED,
                "number": f"{self.till.code}-{self.till.last_sale_number:06d}",
                "counter_id": self.till.id,
                "shift_id": shift_id,
                "user_id": cashier,
                "price_list_id": self.shop.tessera_id if tessera else None,
                "customer_card": f"TQ-{rng.randint(1, 400):04d}" if tessera else None,
                "onsite": onsite,
                "take_away": False,
                "started_at": at - timedelta(seconds=rng.randint(20, 240)),
                "completed_at": at,
                "total_cents": total,
                "discount_cents": 0,
            },
        )
        method = self._pay(sale_id, total, at, cashier)
        z.sales.append(ZSale(sale_id, SaleKind.SALE, total, self.shop.tessera_id if tessera else None, cashier))
        z.payments.append(ZPayment(sale_id, method, total))

    def _take(self, day: date, at: datetime, item: Item, quantity: int, line_id: int, user: int) -> None:
        location = self.till.location_id
        if not item.stocked:
            # Made to order (a coffee, a meal): no stock is kept. The till books such sales
            # against the item's untracked lot, below zero; the history leaves them out so the
            # demo does not open on negative stock.
            return
        for lot, piece in self.stock.take(location, item, quantity, day):
            self.stock.move(
                MovementKind.SALE, location, lot, -piece, at, doc_type="sale_line", doc_id=line_id, user=user
            )

    def _pay(self, sale_id: int, total: int, at: datetime, user: int) -> PaymentMethod:
        rng = self.rng
        row: dict[str, Any] = {
            "sale_id": sale_id,
            "amount_cents": total,
            "tendered_cents": None,
            "change_cents": 0,
            "reference": None,
            "fund_id": None,
            "at": at,
        }
        fund = self.fund_id
        draw = rng.random()
        if fund is not None and draw < self.profile.solidarity_share and self.shop.fund_balance[fund] >= total:
            referral = f"SS-{at:%Y}-{rng.randint(1, 120):03d}"
            row.update(method=PaymentMethod.SOLIDARITY, reference=referral, fund_id=fund)
            self.shop.fund_balance[fund] -= total
            self.rows.add(
                FundMovement,
                {
                    "fund_id": fund,
                    "kind": "redemption",
                    "amount_cents": -total,
                    "sale_id": sale_id,
                    "referral": referral,
                    "counter_id": None,
                    "method": None,
                    "user_id": user,
                    "approver_id": None,
                    "at": at,
                },
            )
        elif draw < self.profile.card_share:
            row.update(method=PaymentMethod.CARD)
        elif draw < self.profile.card_share + 0.01:
            row.update(method=PaymentMethod.VOUCHER, reference=f"BUONO-{rng.randint(100, 999)}")
        else:
            tendered = next((note for note in NOTES_CENTS if note >= total), -(-total // 100) * 100)
            if rng.random() < 0.3:
                tendered = total  # exact money
            row.update(method=PaymentMethod.CASH, tendered_cents=tendered, change_cents=tendered - total)
        self.rows.add(Payment, row)
        method: PaymentMethod = row["method"]
        return method

    def _donations(self, day: date, shift_id: int, user: int, z: _ZDay, opened_at: datetime) -> int:
        """Customers leaving money for the spesa sospesa; cash goes into the drawer as a cash-in."""
        if self.fund_id is None or self.rng.random() > 0.45:
            return 0
        amount = self.rng.choice((200, 500, 500, 1000, 2000))
        at = opened_at + timedelta(hours=self.rng.randint(1, 4))
        cash = self.rng.random() < 0.7
        self.shop.fund_balance[self.fund_id] += amount
        self.rows.add(
            FundMovement,
            {
                "fund_id": self.fund_id,
                "kind": "donation",
                "amount_cents": amount,
                "sale_id": None,
                "referral": None,
                "counter_id": self.till.id,
                "method": "cash" if cash else "card",
                "user_id": user,
                "approver_id": None,
                "at": at,
            },
        )
        z.donated += amount
        if not cash:
            return 0
        self.rows.add(
            CashMovement,
            {
                "shift_id": shift_id,
                "amount_cents": amount,
                "reason": _("spesa sospesa donation"),
                "user_id": user,
                "at": at,
            },
        )
        return amount


@dataclass
class _ZDay:
    """What the kernel's Z sums (pos.selling.shifts.z_sums) read, gathered while the day is sold."""

    day: date
    sales: list[ZSale] = field(default_factory=list)
    lines: list[ZLine] = field(default_factory=list)
    payments: list[ZPayment] = field(default_factory=list)
    moves: list[ZCashMove] = field(default_factory=list)
    shifts: list[ZShift] = field(default_factory=list)
    donated: int = 0

    def cash_taken(self) -> int:
        return sum(p.amount_cents for p in self.payments if p.method is PaymentMethod.CASH)

    def totals(self, tessera_list_id: int | None, names: dict[int, str]) -> dict[str, Any]:
        return z_sums(
            ZDay(
                self.day,
                self.sales,
                self.lines,
                self.payments,
                self.moves,
                self.shifts,
                donated_cents=self.donated,
                tessera_list_id=tessera_list_id,
                names=names,
            )
        )
