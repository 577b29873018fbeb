"""What the history is generated over, read once from the database: sites, counters, products,
price rules, recipes, users, funds. Plain data, so the simulation never touches the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.models import (
    Category,
    Counter,
    CounterKind,
    DateType,
    Location,
    LocationKind,
    PriceList,
    PriceRule,
    Product,
    Recipe,
    RecipeInput,
    RecipeStep,
    Role,
    Site,
    SolidarityFund,
    User,
)
from orto.money import percent_of
from pos import demo_data


@dataclass
class Item:
    id: int
    code: str
    name: str
    category_id: int | None
    category: str
    base_per_unit: int
    weighed: bool
    price_cents: int
    cost_cents: int
    vat_bp: int
    onsite_vat_bp: int | None
    supplier_id: int | None
    shelf_life_days: int | None
    date_type: DateType | None
    stocked: bool  # kept in stock by lot; made-to-order items are sold from the untracked lot
    tessera_price_cents: int = 0


@dataclass
class Step:
    id: int
    measure: str | None
    min_value: int | None
    max_value: int | None


@dataclass
class RecipePlan:
    id: int
    code: str
    output_id: int
    expected_yield: int
    shelf_life_days: int
    date_type: DateType
    inputs: list[tuple[int, int]]  # (product id, base units per batch)
    steps: list[Step]


@dataclass
class Till:
    id: int
    code: str
    kind: CounterKind
    site_id: int
    site_code: str
    location_id: int
    last_sale_number: int
    last_z_number: int
    items: list[Item] = field(default_factory=list)


@dataclass
class SiteInfo:
    id: int
    code: str
    lab_location_id: int
    cold_location_ids: list[int]
    selling_location_id: int
    fund_id: int | None


@dataclass
class Shop:
    tills: list[Till]
    sites: dict[int, SiteInfo]
    items: dict[int, Item]
    recipes: list[RecipePlan]
    tessera_id: int | None
    cashiers: list[int]
    manager: int
    kitchen: int
    fund_balance: dict[int, int]  # fund id -> balance
    user_names: dict[int, str] = field(default_factory=dict)  # for the Z's totals per operator


def _tessera_price(item: Item, rules: list[PriceRule]) -> int:
    chosen = (
        next((r for r in rules if r.product_id == item.id), None)
        or next((r for r in rules if r.product_id is None and r.category_id == item.category_id), None)
        or next((r for r in rules if r.product_id is None and r.category_id is None), None)
    )
    if chosen is None:
        return item.price_cents
    if chosen.fixed_price_cents is not None:
        return chosen.fixed_price_cents
    return item.price_cents - percent_of(item.price_cents, chosen.percent_off_bp or 0)


def read_shop(session: Session) -> Shop:
    categories = dict(session.execute(select(Category.id, Category.name)).all())
    items: dict[int, Item] = {}
    for p in session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.id)):
        category = categories.get(p.category_id, "") if p.category_id else ""
        items[p.id] = Item(
            id=p.id,
            code=p.code,
            name=p.name,
            category_id=p.category_id,
            category=category,
            base_per_unit=p.unit.base_per_unit,
            weighed=p.sold_by_weight,
            price_cents=p.price_cents,
            cost_cents=p.cost_cents,
            vat_bp=p.vat_rate_bp,
            onsite_vat_bp=p.onsite_vat_rate_bp,
            supplier_id=p.supplier_id,
            shelf_life_days=p.shelf_life_days,
            date_type=p.date_type,
            stocked=category not in demo_data.MADE_TO_ORDER and not p.kitchen_item,
        )
    tessera_id = session.scalar(select(PriceList.id).where(PriceList.code == "tessera"))
    rules = list(session.scalars(select(PriceRule).where(PriceRule.price_list_id == tessera_id))) if tessera_id else []
    for item in items.values():
        item.tessera_price_cents = _tessera_price(item, rules)

    funds = {f.site_id: f for f in session.scalars(select(SolidarityFund).order_by(SolidarityFund.id))}
    sites: dict[int, SiteInfo] = {}
    site_codes: dict[int, str] = {}
    for site in session.scalars(select(Site).order_by(Site.id)):
        locations = list(session.scalars(select(Location).where(Location.site_id == site.id).order_by(Location.id)))
        by_kind = {loc.kind: loc.id for loc in reversed(locations)}
        selling = by_kind.get(LocationKind.SHOP_FLOOR) or by_kind.get(LocationKind.BAR) or locations[0].id
        fund = funds.get(site.id)
        sites[site.id] = SiteInfo(
            id=site.id,
            code=site.code,
            lab_location_id=by_kind.get(LocationKind.LAB, selling),
            cold_location_ids=[loc.id for loc in locations if loc.kind is LocationKind.COLD_ROOM],
            selling_location_id=selling,
            fund_id=fund.id if fund else None,
        )
        site_codes[site.id] = site.code

    tills = []
    for counter in session.scalars(select(Counter).where(Counter.active.is_(True)).order_by(Counter.id)):
        site_code = site_codes[counter.site_id]
        till = Till(
            id=counter.id,
            code=counter.code,
            kind=counter.kind,
            site_id=counter.site_id,
            site_code=site_code,
            location_id=counter.location_id,
            last_sale_number=counter.last_sale_number,
            last_z_number=counter.last_z_number,
        )
        till.items = [
            item for item in items.values() if site_code in demo_data.CATEGORY_SITES.get(item.category, (site_code,))
        ]
        tills.append(till)

    recipes = []
    for recipe in session.scalars(select(Recipe).where(Recipe.active.is_(True)).order_by(Recipe.id)):
        if recipe.output_product_id not in items:
            continue
        inputs = [
            (product_id, quantity)
            for product_id, quantity in session.execute(
                select(RecipeInput.product_id, RecipeInput.quantity)
                .where(RecipeInput.recipe_id == recipe.id)
                .order_by(RecipeInput.id)
            )
            if product_id in items and quantity > 0
        ]
        steps = [
            Step(s.id, s.measure, s.min_value, s.max_value)
            for s in session.scalars(
                select(RecipeStep).where(RecipeStep.recipe_id == recipe.id).order_by(RecipeStep.position)
            )
        ]
        if inputs:
            recipes.append(
                RecipePlan(
                    recipe.id,
                    recipe.code,
                    recipe.output_product_id,
                    recipe.expected_yield,
                    recipe.shelf_life_days,
                    recipe.date_type,
                    inputs,
                    steps,
                )
            )

    users = list(session.execute(select(User.id, User.role).where(User.active.is_(True)).order_by(User.id)))
    if not users:
        raise LookupError("the history needs at least one user")
    cashiers = [uid for uid, role in users if role is Role.CASHIER] or [users[0][0]]
    manager = next((uid for uid, role in users if role is Role.MANAGER), users[0][0])
    kitchen = next((uid for uid, role in users if role is Role.KITCHEN), manager)
    return Shop(
        tills=tills,
        sites=sites,
        items=items,
        recipes=recipes,
        tessera_id=tessera_id,
        cashiers=cashiers,
        manager=manager,
        kitchen=kitchen,
        fund_balance={f.id: f.balance_cents for f in funds.values()},
        user_names=dict(session.execute(select(User.id, User.name)).all()),
    )
