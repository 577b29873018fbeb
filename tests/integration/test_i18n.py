"""Every interface string has its Italian translation, and the compiled catalog is current."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import read_mo

from orto import i18n

ROOT = Path(__file__).resolve().parents[2]
MO = i18n.LOCALE_DIR / "it" / "LC_MESSAGES" / "orto.mo"


def test_every_string_in_the_code_is_translated_to_italian() -> None:
    translated = {m.id for m in i18n.merged_catalog() if m.id and m.string}
    missing = []
    for area, catalog in i18n._extract(ROOT).items():
        for message in catalog:
            if message.id and message.id not in translated:
                where = message.locations[0] if message.locations else ("?", 0)
                missing.append(f"[{area}] {where[0]}:{where[1]}: {message.id!r}")
    assert not missing, "run 'python -m orto.i18n update', translate, then compile:\n" + "\n".join(missing)


def test_compiled_catalog_matches_the_po_file() -> None:
    po = {m.id: m.string for m in i18n.merged_catalog() if m.id and m.string}
    with MO.open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(io.BytesIO(fh.read())) if m.id}
    assert po == mo, "run 'python -m orto.i18n compile'"


def test_italian_is_the_default_and_english_is_selectable() -> None:
    try:
        i18n.set_language("it")
        assert i18n.gettext("Aborted.") == "Annullato."
        i18n.set_language("en")
        assert i18n.gettext("Aborted.") == "Aborted."
    finally:
        i18n.set_language("it")
