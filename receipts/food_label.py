"""The rules of a pre-packed food's label (Reg. EU 1169/2011), on plain values: no database.

- ingredients in descending order of weight at the time of use (art. 18): grams and millilitres
  are compared as they are (the density of what the lab uses is close to 1); an input that
  cannot be weighed (a piece without a net quantity) goes last, in the recipe's order;
- each input is declared by its own declaration from the catalog, not by its product name: a
  single ingredient as it is ("aceto di vino (solfiti)"), several as a compound ingredient, its
  name followed by its ingredients in brackets (art. 18, Annex VII part E);
- allergens emphasised inside the list (art. 21): the words that name an allergen are marked;
  an input's allergen its declaration does not name is added to it in brackets;
- QUID (art. 22): an ingredient named in the food's name gets its share of the weight used, in
  whole percent, e.g. "peperoni rossi (62 %)"; only when every input could be weighed
  ("sott'aceto", "sott'olio" name a way of preserving, not an ingredient);
- net quantity (art. 23): grams or millilitres below 1000, kilograms or litres above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from orto.allergens import Allergen

Part = tuple[str, bool]  # (text, emphasised)
NBSP = "\u00a0"  # "68 %" never breaks between the number and its sign (CP858 has it, 0xFF)

# Words that name an allergen in an Italian ingredient list, beside the Annex II names.
_WORDS: dict[str, Allergen] = {
    "glutine": Allergen.GLUTEN,
    "grano": Allergen.GLUTEN,
    "frumento": Allergen.GLUTEN,
    "semola": Allergen.GLUTEN,
    "farro": Allergen.GLUTEN,
    "orzo": Allergen.GLUTEN,
    "segale": Allergen.GLUTEN,
    "avena": Allergen.GLUTEN,
    "kamut": Allergen.GLUTEN,
    "crostacei": Allergen.CRUSTACEANS,
    "gamberi": Allergen.CRUSTACEANS,
    "uova": Allergen.EGGS,
    "uovo": Allergen.EGGS,
    "tuorlo": Allergen.EGGS,
    "pesce": Allergen.FISH,
    "acciughe": Allergen.FISH,
    "alici": Allergen.FISH,
    "tonno": Allergen.FISH,
    "arachidi": Allergen.PEANUTS,
    "soia": Allergen.SOYBEANS,
    "latte": Allergen.MILK,
    "burro": Allergen.MILK,
    "panna": Allergen.MILK,
    "formaggio": Allergen.MILK,
    "lattosio": Allergen.MILK,
    "frutta a guscio": Allergen.NUTS,
    "nocciole": Allergen.NUTS,
    "mandorle": Allergen.NUTS,
    "noci": Allergen.NUTS,
    "pistacchi": Allergen.NUTS,
    "anacardi": Allergen.NUTS,
    "sedano": Allergen.CELERY,
    "senape": Allergen.MUSTARD,
    "sesamo": Allergen.SESAME,
    "semi di sesamo": Allergen.SESAME,
    "tahina": Allergen.SESAME,
    "solfiti": Allergen.SULPHITES,
    "anidride solforosa": Allergen.SULPHITES,
    "metabisolfito": Allergen.SULPHITES,
    "lupini": Allergen.LUPIN,
    "molluschi": Allergen.MOLLUSCS,
    "cozze": Allergen.MOLLUSCS,
    "vongole": Allergen.MOLLUSCS,
}
for _allergen in Allergen:
    _WORDS.setdefault(_allergen.italian, _allergen)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b", re.I)
_PACK_SIZE = re.compile(r"\s*\(?\b(\d+(?:[.,]\d+)?)\s*(kg|g|ml|cl|l|lt|pz)\)?\s*$", re.I)
_TO_BASE = {"g": ("g", 1), "kg": ("g", 1000), "ml": ("ml", 1), "cl": ("ml", 10), "l": ("ml", 1000), "lt": ("ml", 1000)}


@dataclass(frozen=True)
class Component:
    """One input of a batch as its label sees it."""

    name: str  # how the input is called on a label: its product name without the pack size
    declaration: str = ""  # its own ingredients from the catalog ("" = it is a single ingredient)
    allergens: frozenset[Allergen] = frozenset()
    quantity: int | None = None  # grams or millilitres used; None when it cannot be weighed


@dataclass(frozen=True)
class Declaration:
    parts: tuple[Part, ...]
    named: frozenset[Allergen]  # the allergens emphasised inside the list
    quid: dict[str, int] = field(default_factory=dict)  # ingredient name -> whole percent

    @property
    def text(self) -> str:
        return "".join(text for text, _bold in self.parts)


def named_allergens(text: str) -> frozenset[Allergen]:
    return frozenset(_WORDS[m.group(0).lower()] for m in _PATTERN.finditer(text))


def emphasise(text: str) -> list[Part]:
    """``text`` split into plain and emphasised parts, the allergens' words emphasised."""
    parts: list[Part] = []
    last = 0
    for match in _PATTERN.finditer(text):
        if match.start() > last:
            parts.append((text[last : match.start()], False))
        parts.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


_SALE_UNIT = re.compile(r"\s*\((?:mazzo|cespo|vaschetta|cassetta|confezione|pezzo|pz|fetta|porzione|\d+)\)\s*$", re.I)


def strip_pack_size(product_name: str) -> str:
    """ "Peperoni sott'aceto 280 g" -> "Peperoni sott'aceto", "Basilico (mazzo)" -> "Basilico"."""
    name = _SALE_UNIT.sub("", _PACK_SIZE.sub("", product_name)).strip(" -")
    return name or product_name


def label_name(product_name: str) -> str:
    """A product's name as an ingredient: without its pack size, in lower case unless a proper name."""
    name = strip_pack_size(product_name)
    # "Grana Padano", "DOP": a capital after the first word marks a proper name, kept as it is
    proper = any(word[:1].isupper() for word in name.split()[1:])
    if not proper and len(name) > 1 and name[0].isupper() and name[1].islower():
        name = name[0].lower() + name[1:]
    return name


def pack_size(product_name: str) -> tuple[int, str] | None:
    """The net quantity a product's name states ("… 280 g", "… 0,5 l"), in grams or millilitres."""
    match = _PACK_SIZE.search(product_name)
    if match is None or match.group(2).lower() == "pz":
        return None
    return _to_base(match.group(1), match.group(2))


def parse_net_quantity(text: str) -> tuple[int, str] | None:
    """ "280 g", "0,75 l", "1 kg" -> grams or millilitres; None if it is not a net quantity."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(kg|g|ml|cl|l|lt)\.?\s*", text, re.I)
    return _to_base(match.group(1), match.group(2)) if match else None


def _to_base(number: str, unit_text: str) -> tuple[int, str] | None:
    unit, factor = _TO_BASE[unit_text.lower()]
    whole, _sep, decimals = number.replace(".", ",").partition(",")
    scaled = int(whole) * factor + (int(decimals) * factor // 10 ** len(decimals) if decimals else 0)
    return (scaled, unit) if scaled > 0 else None


def format_net_quantity(quantity: int, unit: str) -> str:
    """Art. 23 and Annex IX: 280 g, 750 ml, 1 kg, 1,5 l (Italian decimal comma)."""
    if quantity < 1000:
        return f"{quantity} {unit}"
    big = "kg" if unit == "g" else "l"
    whole, rest = divmod(quantity, 1000)
    decimals = f"{rest:03d}".rstrip("0")
    return f"{whole},{decimals} {big}" if decimals else f"{whole} {big}"


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 4 and word[-1] in "aeiou" else word


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def named_in(food_name: str, ingredient: str) -> bool:
    """Whether the food's name names this ingredient (its first word, singular or plural).

    "sott'aceto", "sott'olio" name the way a food is preserved, not an ingredient to quantify.
    """
    words = _words(ingredient)
    name = re.sub(r"\bsott['’]\w+", " ", food_name, flags=re.I)
    return bool(words) and _stem(words[0]) in {_stem(w) for w in _words(name) if len(w) > 3}


def _top_level_items(declaration: str) -> int:
    depth, items = 0, 1
    for char in declaration:
        depth += char == "("
        depth -= char == ")"
        items += char == "," and depth == 0
    return items


def _percent(part: int, whole: int) -> int:
    return (part * 200 + whole) // (2 * whole)  # half up, integers only


def ordered(components: Sequence[Component]) -> list[Component]:
    weighed = sorted((c for c in components if c.quantity is not None), key=lambda c: -(c.quantity or 0))
    return weighed + [c for c in components if c.quantity is None]


def declare(food_name: str, components: Sequence[Component]) -> Declaration:
    """The ingredient list of a food made of ``components`` (see the module's rules)."""
    items = ordered(components)
    total = sum(c.quantity or 0 for c in items)
    weighable = bool(items) and total > 0 and all(c.quantity is not None for c in items)
    parts: list[Part] = []
    named: set[Allergen] = set()
    quid: dict[str, int] = {}
    for n, item in enumerate(items):
        if item.declaration and _top_level_items(item.declaration) == 1:
            head, tail = item.declaration, ""
        elif item.declaration:
            head, tail = item.name, f" ({item.declaration})"
        else:
            head, tail = item.name, ""
        if weighable and named_in(food_name, head):
            quid[head] = _percent(item.quantity or 0, total)
            head = f"{head} ({quid[head]}{NBSP}%)"
        entry = head + tail
        missing = sorted(item.allergens - named_allergens(entry))
        if missing:
            entry += " (" + ", ".join(a.italian for a in missing) + ")"
        if n:
            parts.append((", ", False))
        parts.extend(emphasise(entry))
        named |= named_allergens(entry)
    return Declaration(tuple(_merge(parts)), frozenset(named), quid)


def _merge(parts: Iterable[Part]) -> list[Part]:
    merged: list[Part] = []
    for text, bold in parts:
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + text, bold)
        else:
            merged.append((text, bold))
    return merged
