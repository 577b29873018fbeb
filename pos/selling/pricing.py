"""Prices: the base list, the "Tessera di quartiere" social tariff, staff; near-expiry markdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.models import DateType, Lot, MarkdownRule, PriceRule, Product
from orto.money import percent_of


def list_price(session: Session, product: Product, price_list_id: int | None) -> int:
    """The unit price under a price list: a product rule beats a category rule beats the list default."""
    if price_list_id is None:
        return product.price_cents
    rules = list(session.scalars(select(PriceRule).where(PriceRule.price_list_id == price_list_id)))
    chosen = (
        next((r for r in rules if r.product_id == product.id), None)
        or next(
            (
                r
                for r in rules
                if r.product_id is None and r.category_id == product.category_id and product.category_id is not None
            ),
            None,
        )
        or next((r for r in rules if r.product_id is None and r.category_id is None), None)
    )
    if chosen is None:
        return product.price_cents
    if chosen.fixed_price_cents is not None:
        return chosen.fixed_price_cents
    return product.price_cents - percent_of(product.price_cents, chosen.percent_off_bp or 0)


@dataclass(frozen=True)
class Markdown:
    percent_bp: int
    past_date: bool  # past best-before: sellable only marked down, with a warning


def markdown_rules(session: Session) -> dict[int | None, MarkdownRule]:
    return {r.category_id: r for r in session.scalars(select(MarkdownRule))}


def markdown_for(
    session: Session,
    product: Product,
    lot: Lot | None,
    today: date,
    rules: dict[int | None, MarkdownRule] | None = None,
) -> Markdown | None:
    """The near-expiry discount for a best-before lot within its category's window."""
    if lot is None or lot.expiry is None or lot.date_type is not DateType.BEST_BEFORE:
        return None
    if rules is None:
        rules = markdown_rules(session)
    rule = rules.get(product.category_id) or rules.get(None)
    days_left = (lot.expiry - today).days
    if days_left < 0:
        percent = rule.percent_bp if rule else 5000
        return Markdown(percent, past_date=True)
    if rule is not None and days_left <= rule.days_before:
        return Markdown(rule.percent_bp, past_date=False)
    return None
