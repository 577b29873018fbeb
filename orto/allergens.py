"""The 14 allergens of Reg. (EU) 1169/2011, Annex II, with their Italian and English names."""

from __future__ import annotations

import unicodedata
from enum import IntEnum


class Allergen(IntEnum):
    GLUTEN = 1
    CRUSTACEANS = 2
    EGGS = 3
    FISH = 4
    PEANUTS = 5
    SOYBEANS = 6
    MILK = 7
    NUTS = 8
    CELERY = 9
    MUSTARD = 10
    SESAME = 11
    SULPHITES = 12
    LUPIN = 13
    MOLLUSCS = 14

    @property
    def italian(self) -> str:
        return _NAMES[self][0]

    @property
    def english(self) -> str:
        return _NAMES[self][1]

    def label(self, language: str) -> str:
        return self.italian if language == "it" else self.english


_NAMES: dict[Allergen, tuple[str, str]] = {
    Allergen.GLUTEN: ("cereali contenenti glutine", "cereals containing gluten"),
    Allergen.CRUSTACEANS: ("crostacei", "crustaceans"),
    Allergen.EGGS: ("uova", "eggs"),
    Allergen.FISH: ("pesce", "fish"),
    Allergen.PEANUTS: ("arachidi", "peanuts"),
    Allergen.SOYBEANS: ("soia", "soybeans"),
    Allergen.MILK: ("latte", "milk"),
    Allergen.NUTS: ("frutta a guscio", "nuts"),
    Allergen.CELERY: ("sedano", "celery"),
    Allergen.MUSTARD: ("senape", "mustard"),
    Allergen.SESAME: ("semi di sesamo", "sesame seeds"),
    Allergen.SULPHITES: ("anidride solforosa e solfiti", "sulphur dioxide and sulphites"),
    Allergen.LUPIN: ("lupini", "lupin"),
    Allergen.MOLLUSCS: ("molluschi", "molluscs"),
}

# Short forms people actually type in a spreadsheet, beside the full legal names.
_ALIASES: dict[str, Allergen] = {
    "glutine": Allergen.GLUTEN,
    "gluten": Allergen.GLUTEN,
    "cereali": Allergen.GLUTEN,
    "uovo": Allergen.EGGS,
    "egg": Allergen.EGGS,
    "soya": Allergen.SOYBEANS,
    "soy": Allergen.SOYBEANS,
    "lattosio": Allergen.MILK,
    "frutta secca": Allergen.NUTS,
    "tree nuts": Allergen.NUTS,
    "sesamo": Allergen.SESAME,
    "sesame": Allergen.SESAME,
    "solfiti": Allergen.SULPHITES,
    "sulfiti": Allergen.SULPHITES,
    "sulphites": Allergen.SULPHITES,
    "sulfites": Allergen.SULPHITES,
    "lupino": Allergen.LUPIN,
    "peanut": Allergen.PEANUTS,
    "crostaceo": Allergen.CRUSTACEANS,
    "mollusco": Allergen.MOLLUSCS,
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_LOOKUP: dict[str, Allergen] = {}
for _allergen, (_it, _en) in _NAMES.items():
    _LOOKUP[_fold(_it)] = _allergen
    _LOOKUP[_fold(_en)] = _allergen
    _LOOKUP[_allergen.name.lower()] = _allergen
    _LOOKUP[str(_allergen.value)] = _allergen
for _alias, _allergen in _ALIASES.items():
    _LOOKUP[_fold(_alias)] = _allergen


def parse_allergen(name: str) -> Allergen | None:
    """An allergen by its Italian or English name, a common short form, or its number."""
    return _LOOKUP.get(_fold(name))


def to_mask(allergens: frozenset[Allergen] | set[Allergen]) -> int:
    mask = 0
    for allergen in allergens:
        mask |= 1 << (allergen.value - 1)
    return mask


def from_mask(mask: int) -> frozenset[Allergen]:
    return frozenset(a for a in Allergen if mask & (1 << (a.value - 1)))
