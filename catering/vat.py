"""Invoice arithmetic, pure: VAT-inclusive cents split into taxable and VAT per rate, and shared
out on lines so that the lines always add up to the summary the SdI checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orto.money import scorporo


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    gross_cents: int  # VAT included (negative for a deduction)
    rate_bp: int


@dataclass(frozen=True)
class NetLine:
    description: str
    quantity: int
    net_cents: int
    rate_bp: int


@dataclass(frozen=True)
class RateSummary:
    rate_bp: int
    taxable_cents: int
    vat_cents: int


@dataclass(frozen=True)
class Figures:
    lines: tuple[NetLine, ...]
    rates: tuple[RateSummary, ...]

    @property
    def taxable_cents(self) -> int:
        return sum(r.taxable_cents for r in self.rates)

    @property
    def vat_cents(self) -> int:
        return sum(r.vat_cents for r in self.rates)

    @property
    def total_cents(self) -> int:
        return self.taxable_cents + self.vat_cents


def spread(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` shared in proportion to ``weights`` (largest remainder): the shares sum exactly."""
    total = sum(weights)
    if total == 0:
        return [0] * len(weights)
    sign = -1 if amount < 0 else 1
    base = [abs(amount) * w // total for w in weights]
    rest = abs(amount) - sum(base)
    order = sorted(range(len(weights)), key=lambda i: -(abs(amount) * weights[i] % total))
    for i in order[:rest]:
        base[i] += 1
    return [sign * b for b in base]


def figures(lines: Sequence[Line], deductions: Sequence[RateSummary] = (), deduction_text: str = "") -> Figures:
    """Scorporo on each rate's gross total, the taxable shared on the lines; ``deductions`` (deposits
    already invoiced, by rate) are subtracted with the very taxable and VAT their invoice showed."""
    by_rate: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        by_rate.setdefault(line.rate_bp, []).append(i)
    nets = [0] * len(lines)
    rates = []
    deducted = {d.rate_bp: d for d in deductions}
    for rate in sorted(set(by_rate) | set(deducted)):
        members = by_rate.get(rate, [])
        share = scorporo(sum(lines[i].gross_cents for i in members), rate)
        for i, net in zip(members, spread(share.taxable_cents, [lines[i].gross_cents for i in members]), strict=True):
            nets[i] = net
        d = deducted.get(rate, RateSummary(rate, 0, 0))
        rates.append(RateSummary(rate, share.taxable_cents - d.taxable_cents, share.tax_cents - d.vat_cents))
    net_lines = [NetLine(ln.description, ln.quantity, nets[i], ln.rate_bp) for i, ln in enumerate(lines)]
    for d in deductions:
        if d.taxable_cents:
            net_lines.append(NetLine(deduction_text, 1, -d.taxable_cents, d.rate_bp))
    return Figures(tuple(net_lines), tuple(rates))


def split_by_rate(amount: int, gross_by_rate: dict[int, int]) -> list[RateSummary]:
    """A deposit on an order with several rates: shared like the order's gross, then scorporo per rate."""
    rates = sorted(gross_by_rate)
    parts = spread(amount, [gross_by_rate[r] for r in rates])
    out = []
    for rate, part in zip(rates, parts, strict=True):
        s = scorporo(part, rate)
        out.append(RateSummary(rate, s.taxable_cents, s.tax_cents))
    return out
