"""Lab recipes: what goes in, what comes out, and the critical limits of each process step.

Critical values are integers in the measure's own scale so limits compare exactly:
temperature in tenths of a degree (85 °C = 850), pH in hundredths (4,2 = 420), time in minutes.
A recipe that batches have already used keeps its steps (their readings refer to them): its
limits can still be changed, and steps can be added; to restructure it, deactivate it and
create a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from orto.access import authorise
from orto.audit import audit
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import Batch, DateType, Product, Recipe, RecipeInput, RecipeStep
from orto.policy import Action, Operator

# measure -> (how many units make one, the symbol shown, its name for people)
MEASURES: dict[str, tuple[int, str, str]] = {
    "temperature_dc": (10, "°C", N_("temperature")),
    "ph_c": (100, "pH", N_("pH")),
    "minutes": (1, "min", N_("time")),
}


@dataclass(frozen=True)
class StepInput:
    name: str
    measure: str | None = None
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class IngredientInput:
    product_id: int
    quantity: int  # base units per batch


def parse_measure(measure: str, text: str) -> int:
    """'85' or '85,5' °C -> 850 / 855; '4,2' pH -> 420; '10' min -> 10."""
    scale = MEASURES[measure][0]
    try:
        value = Decimal(text.strip().replace(",", ".")) * scale
    except InvalidOperation:
        raise InvalidInput(_("'{text}' is not a number").format(text=text)) from None
    if value != value.to_integral_value():
        raise InvalidInput(_("'{text}' has too many decimals").format(text=text))
    return int(value)


def format_measure(measure: str | None, value: int | None) -> str:
    if measure is None or value is None:
        return ""
    scale, symbol, _name = MEASURES[measure]
    decimals = {1: 0, 10: 1, 100: 2}[scale]
    number = f"{Decimal(value) / scale:.{decimals}f}".replace(".", ",")
    return f"{symbol} {number}" if symbol == "pH" else f"{number} {symbol}"


def describe_limit(step: RecipeStep) -> str:
    """'≥ 85,0 °C', '≤ pH 4,20', '2,0 °C … 4,0 °C' or '' for a step without a measure."""
    if step.measure is None:
        return ""
    low = format_measure(step.measure, step.min_value) if step.min_value is not None else None
    high = format_measure(step.measure, step.max_value) if step.max_value is not None else None
    if low and high:
        return f"{low} … {high}"
    return f"≥ {low}" if low else f"≤ {high}" if high else ""


def within_limits(step: RecipeStep, value: int) -> bool:
    if step.min_value is not None and value < step.min_value:
        return False
    return not (step.max_value is not None and value > step.max_value)


def save_recipe(
    db: Database,
    *,
    actor: Operator,
    code: str,
    name: str,
    output_product_id: int,
    expected_yield: int,
    shelf_life_days: int,
    date_type: DateType,
    inputs: Sequence[IngredientInput],
    steps: Sequence[StepInput],
    notes: str = "",
) -> int:
    """Create the recipe, or update the one with this code; returns its id.

    A recipe's steps and critical limits are the lab's HACCP plan, so it is a manager's
    (``Action.CATALOG``), recorded in the audit log with the limits as saved."""
    _check(code, expected_yield, shelf_life_days, inputs, steps)
    with db.write() as session:
        authorise(session, actor, Action.CATALOG)
        if session.get(Product, output_product_id) is None:
            raise NotFound(_("no such product"))
        for item in inputs:
            if session.get(Product, item.product_id) is None:
                raise NotFound(_("no such product"))
        recipe = session.scalar(select(Recipe).where(Recipe.code == code))
        if recipe is None:
            recipe = Recipe(code=code)
            session.add(recipe)
        used = recipe.id is not None and bool(
            session.scalar(select(func.count()).select_from(Batch).where(Batch.recipe_id == recipe.id))
        )
        recipe.name = name
        recipe.output_product_id = output_product_id
        recipe.expected_yield = expected_yield
        recipe.shelf_life_days = shelf_life_days
        recipe.date_type = date_type
        recipe.notes = notes
        recipe.inputs = [RecipeInput(product_id=i.product_id, quantity=i.quantity) for i in inputs]
        if used:
            _update_used_steps(recipe, steps)
        else:
            recipe.steps = [
                RecipeStep(position=n, name=s.name, measure=s.measure, min_value=s.min_value, max_value=s.max_value)
                for n, s in enumerate(steps, start=1)
            ]
        session.flush()
        audit(
            session,
            "recipe_saved",
            actor.id,
            entity="recipe",
            entity_id=recipe.id,
            details={
                "code": recipe.code,
                "yield": expected_yield,
                "shelf_life_days": shelf_life_days,
                "limits": [[s.name, s.measure, s.min_value, s.max_value] for s in steps if s.measure],
            },
        )
        return recipe.id


def _check(
    code: str, expected_yield: int, shelf_life_days: int, inputs: Sequence[IngredientInput], steps: Sequence[StepInput]
) -> None:
    if not code.strip():
        raise InvalidInput(_("a recipe needs a code"))
    if expected_yield <= 0 or shelf_life_days <= 0:
        raise InvalidInput(_("the yield and the shelf life must be more than zero"))
    if not inputs or any(i.quantity <= 0 for i in inputs):
        raise InvalidInput(_("a recipe needs its inputs, each with a quantity"))
    for step in steps:
        if step.measure is not None:
            if step.measure not in MEASURES:
                raise InvalidInput(_("unknown measure '{measure}'").format(measure=step.measure))
            if step.min_value is None and step.max_value is None:
                raise InvalidInput(_("step '{step}' measures something but has no limit").format(step=step.name))


def _update_used_steps(recipe: Recipe, steps: Sequence[StepInput]) -> None:
    if len(steps) < len(recipe.steps):
        raise NotAllowed(
            _("recipe {code} has been used: its steps can be changed or added, not removed").format(code=recipe.code)
        )
    for n, wanted in enumerate(steps, start=1):
        if n <= len(recipe.steps):
            step = recipe.steps[n - 1]
            if step.measure != wanted.measure:
                raise NotAllowed(
                    _("recipe {code} has been used: step {n} cannot measure something else").format(
                        code=recipe.code, n=n
                    )
                )
            step.name, step.min_value, step.max_value = wanted.name, wanted.min_value, wanted.max_value
        else:
            recipe.steps.append(
                RecipeStep(
                    position=n,
                    name=wanted.name,
                    measure=wanted.measure,
                    min_value=wanted.min_value,
                    max_value=wanted.max_value,
                )
            )


def set_active(db: Database, actor: Operator, recipe_id: int, active: bool) -> None:
    """Retire a recipe (no new batches from it; its batches and lots keep it) or bring it back."""
    with db.write() as session:
        authorise(session, actor, Action.CATALOG)
        recipe = session.get(Recipe, recipe_id)
        if recipe is None:
            raise NotFound(_("no such recipe"))
        recipe.active = active
        audit(
            session,
            "recipe_activated" if active else "recipe_retired",
            actor.id,
            entity="recipe",
            entity_id=recipe.id,
            details={"code": recipe.code},
        )


@dataclass(frozen=True)
class RecipeSummary:
    id: int
    code: str
    name: str
    output: str
    expected_yield: int


def list_recipes(db: Database, *, active_only: bool = True) -> list[RecipeSummary]:
    with db.read() as session:
        stmt = select(Recipe.id, Recipe.code, Recipe.name, Product.name, Recipe.expected_yield).join(
            Product, Product.id == Recipe.output_product_id
        )
        if active_only:
            stmt = stmt.where(Recipe.active.is_(True))
        return [RecipeSummary(*row) for row in session.execute(stmt.order_by(Recipe.name))]
