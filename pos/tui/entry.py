"""What the cashier typed in the till's one input: a code, a quantity or weight prefix, a search.

``3*8001234567897`` three pieces; ``1,250*POM`` or ``1,250`` then a scan: 1,250 kg; digits alone
are a barcode (the scanner types digits then Enter); letters are a product search.
"""

from __future__ import annotations

from dataclasses import dataclass

from orto.money import parse_kg_to_grams


@dataclass(frozen=True)
class Entry:
    code: str  # what to look up ("" when only a quantity or weight was typed)
    pieces: int | None = None
    grams: int | None = None

    @property
    def looks_like_code(self) -> bool:
        """Digits (a scan) or one word without spaces (a product code); anything else is a search."""
        return bool(self.code) and (
            self.code.isdigit() or (" " not in self.code and any(c.isdigit() for c in self.code))
        )


def parse_entry(text: str) -> Entry:
    """Raises orto.errors.InvalidInput for a malformed weight."""
    text = text.strip()
    prefix, _star, rest = text.partition("*") if "*" in text else ("", "", text)
    if not _star:
        if text and all(c.isdigit() or c in ",." for c in text) and ("," in text or "." in text):
            return Entry("", grams=parse_kg_to_grams(text))  # a weight typed before the scan
        return Entry(text)
    prefix = prefix.strip()
    if "," in prefix or "." in prefix:
        return Entry(rest.strip(), grams=parse_kg_to_grams(prefix))
    if prefix.isdigit() and int(prefix) > 0:
        return Entry(rest.strip(), pieces=int(prefix))
    from orto.errors import InvalidInput
    from orto.i18n import gettext as _

    raise InvalidInput(
        _("{prefix!r} is not a quantity: type 3* for three pieces or 1,250* for 1,250 kg").format(prefix=prefix)
    )
