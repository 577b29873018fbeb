"""Gift card codes as the slips show them: shared by the selling engine and the reprints.

A code is compared as typed or scanned without spaces or hyphens, in upper case; a slip that is
not the card's own shows only its last four characters.
"""

from __future__ import annotations

import re

PREFIX = "GC"


def normalise(text: str | None) -> str:
    """A code as typed or scanned, to compare: upper case, no spaces or hyphens."""
    return re.sub(r"[\s-]", "", (text or "").strip().upper())


def mask(code: str) -> str:
    """What a slip shows of a card it is not: its last four characters (``GC********9012``)."""
    clean = normalise(code)
    if len(clean) <= 4:
        return clean
    head = PREFIX if clean.startswith(PREFIX) else ""
    return head + "*" * (len(clean) - len(head) - 4) + clean[-4:]
