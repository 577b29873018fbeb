"""Prices: the base list, the "Tessera di quartiere" social tariff, staff; near-expiry markdowns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orto import prepared
from orto.models import DateType, Lot, MarkdownRule, PriceRule, Product
from orto.models.base import table_of
from orto.money import percent_of
from orto.prepared import Prepared


def list_price(session: Session, product: Product, price_list_id: int | None) -> int:
    """The unit price under a price list: a product rule beats a category rule beats the list default."""
    if price_list_id is None:
        return product.price_cents
    rules = session.execute(_PRICE_RULES, {"price_list_id": price_list_id}).all()
    return price_under(rules, product.id, product.category_id, product.price_cents)


def price_under(rules: Sequence[Any], product_id: int, category_id: int | None, price_cents: int) -> int:
    """list_price() on a price list's rules already read (rows with product_id, category_id,
    percent_off_bp, fixed_price_cents)."""
    chosen = (
        next((r for r in rules if r.product_id == product_id), None)
        or next(
            (r for r in rules if r.product_id is None and r.category_id == category_id and category_id is not None),
            None,
        )
        or next((r for r in rules if r.product_id is None and r.category_id is None), None)
    )
    if chosen is None:
        return price_cents
    if chosen.fixed_price_cents is not None:
        return int(chosen.fixed_price_cents)
    return price_cents - percent_of(price_cents, chosen.percent_off_bp or 0)


_RULES_TABLE = table_of(PriceRule)
_PRICE_RULES = select(
    _RULES_TABLE.c.product_id,
    _RULES_TABLE.c.category_id,
    _RULES_TABLE.c.percent_off_bp,
    _RULES_TABLE.c.fixed_price_cents,
).where(_RULES_TABLE.c.price_list_id == bindparam("price_list_id"))


def price_rules(session: Session, price_list_id: int) -> list[Any]:
    """A price list's rules as rows, for :func:`price_under`."""
    return list(session.execute(_PRICE_RULES, {"price_list_id": price_list_id}))


@dataclass(frozen=True)
class Markdown:
    percent_bp: int
    past_date: bool  # past best-before: sellable only marked down, with a warning


class MarkdownTerms(NamedTuple):
    """A near-expiry rule as read: its category (None: every category), its window and discount."""

    category_id: int | None
    days_before: int
    percent_bp: int


class LotDates(Protocol):
    """What a markdown reads of a lot: an ORM ``Lot``, a ``LotRow``, or just its two dates' facts."""

    @property
    def expiry(self) -> date | None: ...
    @property
    def date_type(self) -> DateType | None: ...


PAST_BEST_BEFORE_BP = 5000  # past best-before without a rule of its own: half price


def markdown_of(
    category_id: int | None, lot: LotDates | None, today: date, rules: Mapping[int | None, MarkdownTerms]
) -> Markdown | None:
    """The rule, pure: the near-expiry discount for a best-before lot within its category's window
    (the category's rule, else the rule for every category); past the date, marked down always."""
    if lot is None or lot.expiry is None or lot.date_type is not DateType.BEST_BEFORE:
        return None
    rule = rules.get(category_id) or rules.get(None)
    days_left = (lot.expiry - today).days
    if days_left < 0:
        percent = rule.percent_bp if rule else PAST_BEST_BEFORE_BP
        return Markdown(percent, past_date=True)
    if rule is not None and days_left <= rule.days_before:
        return Markdown(rule.percent_bp, past_date=False)
    return None


def markdown_rules(session: Session) -> dict[int | None, MarkdownTerms]:
    """The near-expiry rules by category (None: every category), as rows: one small query."""
    return {r.category_id: MarkdownTerms(*r) for r in prepared.rows(session, _MARKDOWN_RULES)}


_MARKDOWN_TABLE = table_of(MarkdownRule)
_MARKDOWN_RULES = Prepared(  # on the driver: every scan and every commit reads them
    select(_MARKDOWN_TABLE.c.category_id, _MARKDOWN_TABLE.c.days_before, _MARKDOWN_TABLE.c.percent_bp)
)


def markdown_for(
    session: Session,
    product: Product,
    lot: Lot | None,
    today: date,
    rules: Mapping[int | None, MarkdownTerms] | None = None,
) -> Markdown | None:
    """:func:`markdown_of` for ORM objects; the rules read unless given."""
    return markdown_of(product.category_id, lot, today, markdown_rules(session) if rules is None else rules)
