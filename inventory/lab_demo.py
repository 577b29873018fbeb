"""The demo shop's lab recipes: the preserves the Capuana lab makes from unsold produce.

Critical limits follow the common practice for acidified preserves in jars: pasteurise at
≥ 85 °C for ≥ 10 minutes, pH ≤ 4,2 (≤ 3,8 for jam), cool to ≤ 4 °C within 2 hours where the
product is kept chilled. Each is configurable per recipe.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.models import DateType, Product, Recipe, RecipeInput, RecipeStep

# code, name, output product, yield (pieces), shelf life (days), inputs [(product code, base units)],
# steps [(name, measure, min, max)]
RECIPES: tuple[
    tuple[
        str, str, str, int, int, tuple[tuple[str, int], ...], tuple[tuple[str, str | None, int | None, int | None], ...]
    ],
    ...,
] = (
    (
        "PASSATA",
        "Passata di pomodoro",
        "C001",
        18,
        540,
        (("V003", 10_000), ("V031", 2)),
        (
            ("Lavare, scottare e passare", None, None, None),
            ("Acidità prima dell'invasatura", "ph_c", None, 420),
            ("Pastorizzazione: temperatura al cuore", "temperature_dc", 850, None),
            ("Pastorizzazione: tempo", "minutes", 10, None),
        ),
    ),
    (
        "CONF-ALB",
        "Confettura extra di albicocche",
        "C005",
        30,
        540,
        (("F005", 6_000), ("D012", 3)),
        (
            ("Snocciolare e cuocere con lo zucchero", None, None, None),
            ("Acidità", "ph_c", None, 380),
            ("Pastorizzazione: temperatura al cuore", "temperature_dc", 850, None),
            ("Pastorizzazione: tempo", "minutes", 10, None),
        ),
    ),
    (
        "PEP-ACETO",
        "Peperoni sott'aceto",
        "C012",
        18,
        365,
        (("V006", 5_000), ("D008", 4)),
        (
            ("Lavare, tagliare e sbollentare in aceto", None, None, None),
            ("Acidità del liquido di governo", "ph_c", None, 420),
            ("Pastorizzazione: temperatura al cuore", "temperature_dc", 850, None),
            ("Pastorizzazione: tempo", "minutes", 10, None),
        ),
    ),
    (
        "ZUC-AGRO",
        "Zucchine in agrodolce",
        "C013",
        18,
        365,
        (("V004", 5_000), ("D008", 3), ("D012", 1)),
        (
            ("Tagliare e cuocere in agrodolce", None, None, None),
            ("Acidità", "ph_c", None, 420),
            ("Pastorizzazione: temperatura al cuore", "temperature_dc", 850, None),
            ("Pastorizzazione: tempo", "minutes", 10, None),
        ),
    ),
)


def add_demo_recipes(session: Session) -> int:
    """Add the recipes whose products exist; returns how many were added."""
    products: dict[str, int] = {code: pid for code, pid in session.execute(select(Product.code, Product.id))}
    added = 0
    for code, name, output, expected, shelf_life, inputs, steps in RECIPES:
        if output not in products or any(p not in products for p, _q in inputs):
            continue
        if session.scalar(select(Recipe.id).where(Recipe.code == code)) is not None:
            continue
        session.add(
            Recipe(
                code=code,
                name=name,
                output_product_id=products[output],
                expected_yield=expected,
                shelf_life_days=shelf_life,
                date_type=DateType.BEST_BEFORE,
                inputs=[RecipeInput(product_id=products[p], quantity=q) for p, q in inputs],
                steps=[
                    RecipeStep(position=n, name=step, measure=measure, min_value=low, max_value=high)
                    for n, (step, measure, low, high) in enumerate(steps, start=1)
                ],
            )
        )
        added += 1
    session.flush()
    return added
