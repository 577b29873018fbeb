"""A menu line as typed on the command line or at the till, parsed into a ``MenuLine``.

    [@CODE[:PORTION] ]DESCRIPTION=PRICE[xQUANTITY][/p]

``@CODE`` names a lab recipe (by its code) or a product; ``PORTION`` the base units of one
portion (g, ml or pieces, default 1). Without ``xQUANTITY`` the dish is one portion per guest;
with it, QUANTITY portions in total, or per guest with ``/p``. The price is per portion, VAT
included: ``@LASV:250 Lasagne vegetariane=12,00`` · ``@GIARD Giardiniera=6,50x10`` ·
``Noleggio stoviglie=150,00x1``.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from catering.orders import MenuLine
from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.models import Product, Recipe
from orto.money import parse_money

_SPEC = re.compile(
    r"^(?:@(?P<code>[^\s:]+)(?::(?P<portion>\d+))?\s+)?(?P<desc>[^=]+?)\s*=\s*(?P<price>[\d.,]+)"
    r"(?:\s*x\s*(?P<qty>\d+))?(?P<per>\s*/p)?\s*$"
)


def parse_dish(session: Session, text: str, vat_rate_bp: int | None = None) -> MenuLine:
    match = _SPEC.match(text.strip())
    if match is None:
        raise InvalidInput(
            _("dish {text!r}: [@CODE[:PORTION]] DESCRIPTION=PRICE[xQUANTITY][/p] expected").format(text=text)
        )
    product_id = recipe_id = None
    code = match["code"]
    if code:
        recipe_id = session.scalar(select(Recipe.id).where(Recipe.code == code))
        if recipe_id is None:
            product_id = session.scalar(select(Product.id).where(Product.code == code))
            if product_id is None:
                raise InvalidInput(_("dish {text!r}: no recipe or product {code}").format(text=text, code=code))
    quantity = int(match["qty"]) if match["qty"] else 1
    return MenuLine(
        description=match["desc"].strip(),
        unit_price_cents=parse_money(match["price"]),
        quantity=quantity,
        per_person=not match["qty"] or bool(match["per"]),
        product_id=product_id,
        recipe_id=recipe_id,
        portion=int(match["portion"]) if match["portion"] else 1,
        vat_rate_bp=vat_rate_bp,
    )
