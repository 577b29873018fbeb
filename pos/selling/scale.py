"""Scale labels: EAN-13 with prefix 2x carrying a PLU and a weight or a price.

The layout differs by scale and shop, so each site may set its own rules in
``Site.scale_barcode_rules``: ``{"21": {"plu": [2, 7], "value": [7, 12], "kind": "weight"}, …}``
(digit slices of the 13-digit code, end exclusive). Defaults: prefixes 21-22 PLU(5)+grams(5),
23-24 PLU(5)+price in cents(5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from orto.barcodes import has_valid_check_digit
from orto.errors import InvalidInput
from orto.i18n import gettext as _

ValueKind = Literal["weight", "price"]

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "21": {"plu": [2, 7], "value": [7, 12], "kind": "weight"},
    "22": {"plu": [2, 7], "value": [7, 12], "kind": "weight"},
    "23": {"plu": [2, 7], "value": [7, 12], "kind": "price"},
    "24": {"plu": [2, 7], "value": [7, 12], "kind": "price"},
}


@dataclass(frozen=True)
class ScaleLabel:
    plu: int
    kind: ValueKind
    value: int  # grams or cents


def is_scale_label(code: str, rules: dict[str, dict[str, Any]] | None = None) -> bool:
    return len(code) == 13 and code.isdigit() and code[:2] in (rules or DEFAULT_RULES)


def decode(code: str, rules: dict[str, dict[str, Any]] | None = None) -> ScaleLabel:
    table = rules or DEFAULT_RULES
    rule = table.get(code[:2])
    if rule is None or len(code) != 13 or not code.isdigit():
        raise InvalidInput(_("{code} is not a scale label").format(code=code))
    if not has_valid_check_digit(code):
        raise InvalidInput(_("scale label {code}: wrong check digit (misread?)").format(code=code))
    plu_from, plu_to = rule["plu"]
    value_from, value_to = rule["value"]
    kind: ValueKind = "price" if rule.get("kind") == "price" else "weight"
    value = int(code[value_from:value_to])
    if value <= 0:
        raise InvalidInput(_("scale label {code} carries no weight or price").format(code=code))
    return ScaleLabel(plu=int(code[plu_from:plu_to]), kind=kind, value=value)
