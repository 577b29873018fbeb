"""Interface language through gettext catalogs: English message ids, Italian by default.

Catalogs live in ``orto/locale/<lang>/LC_MESSAGES/orto.po`` (compiled ``.mo`` beside them).
``python -m orto.i18n update`` extracts every ``_("…")`` from the packages into the catalogs;
``python -m orto.i18n fill AREA`` reads ``English => Italiano`` lines on stdin into that part;
``python -m orto.i18n compile`` writes the ``.mo`` file. A test fails if a string lacks its
Italian translation or a ``.mo`` is stale.
"""

from __future__ import annotations

import gettext as _gettext
import sys
from pathlib import Path

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime

from orto.locales import babel_locale

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "orto"
PACKAGES = ("orto", "pos", "catering", "inventory", "suppliers", "receipts")

_current = "it"
_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def set_language(language: str) -> None:
    global _current, _translation
    _current = language
    if language == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def current_language() -> str:
    return _current


def gettext(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction where it is translated later (constants, tables)."""
    return message


# Days with the whole year in both languages (25/11/2026): what the till writes is what a
# cashier types back (``--from 01/12/2026``), and a slip's date is never ambiguous.
SHORT_DATE = "dd/MM/yyyy"


def format_date(value, language: str | None = None, fmt: str = "short") -> str:
    pattern = SHORT_DATE if fmt == "short" else fmt
    return _babel_format_date(value, format=pattern, locale=babel_locale(language or _current))


def format_time(value, language: str | None = None) -> str:
    """Hours and minutes in Milan (``14:05``), the same in both languages."""
    from zoneinfo import ZoneInfo

    return _babel_format_datetime(
        value, format="HH:mm", tzinfo=ZoneInfo("Europe/Rome"), locale=babel_locale(language or _current)
    )


def format_datetime(value, language: str | None = None, fmt: str = "short") -> str:
    from zoneinfo import ZoneInfo

    pattern = f"{SHORT_DATE} HH:mm" if fmt == "short" else fmt
    return _babel_format_datetime(
        value, format=pattern, tzinfo=ZoneInfo("Europe/Rome"), locale=babel_locale(language or _current)
    )


set_language("it")


PARTS_DIR = LOCALE_DIR / "it" / "parts"


def area_of(path: str) -> str:
    """The catalog part a source file belongs to: its package, or pos's sub-package."""
    parts = Path(path).parts
    if parts[0] == "pos" and len(parts) > 2:
        return f"pos.{parts[1]}"
    return parts[0]


def _extract(root: Path):
    """All messages of the packages, as {area: Catalog}."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalogs: dict[str, Catalog] = {}
    for package in PACKAGES:
        for filename, lineno, message, comments, _ctx in extract_from_dir(
            root / package,
            method_map=[("**.py", "python")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        ):
            source = f"{package}/{filename}"
            catalog = catalogs.setdefault(area_of(source), Catalog(domain=DOMAIN, charset="utf-8"))
            catalog.add(message, None, [(source, lineno)], auto_comments=comments)
    return catalogs


def update(root: Path) -> None:
    """Refresh each area's part with the strings its code uses, keeping the translations."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    PARTS_DIR.mkdir(parents=True, exist_ok=True)
    for area, template in _extract(root).items():
        po_path = PARTS_DIR / f"{area}.po"
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale="it", domain=DOMAIN)
        else:
            catalog = Catalog(locale="it", domain=DOMAIN, charset="utf-8")
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        # No source locations and a fixed header: a part changes only where its strings do, so
        # branches that touch different code merge without conflicts in the catalogs.
        catalog.creation_date = created
        with po_path.open("wb") as fh:
            write_po(
                fh, catalog, width=100, sort_output=True, ignore_obsolete=True, include_previous=False, no_location=True
            )


def merged_catalog():
    """Every area's translations in one catalog (the first non-empty translation of an id wins)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale="it", domain=DOMAIN, charset="utf-8")
    for po_path in sorted(PARTS_DIR.glob("*.po")):
        with po_path.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not message.fuzzy and not merged.get(message.id):
                    merged.add(message.id, message.string)
    return merged


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo

    target = LOCALE_DIR / "it" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        write_mo(fh, merged_catalog())


def fill(area: str, lines: str) -> list[str]:
    """Set translations from lines of ``English id => traduzione``; returns the ids not found."""
    from babel.messages.pofile import read_po, write_po

    po_path = PARTS_DIR / f"{area}.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale="it", domain=DOMAIN)
    unknown = []
    for line in lines.splitlines():
        if "=>" not in line:
            continue
        msgid, translation = (part.strip() for part in line.split("=>", 1))
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = translation
        message.flags.discard("fuzzy")
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, ignore_obsolete=True, no_location=True)
    return unknown


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "help"
    if action == "update":
        update(Path(__file__).resolve().parent.parent)
    elif action == "compile":
        compile_catalogs()
    elif action == "fill" and len(sys.argv) == 3:
        for missing in fill(sys.argv[2], sys.stdin.read()):
            print(f"not in the {sys.argv[2]} catalog: {missing!r}", file=sys.stderr)
    else:
        print("usage: python -m orto.i18n update | compile | fill AREA < 'id => traduzione' lines")
