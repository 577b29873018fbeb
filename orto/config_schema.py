"""What orto.toml may say: every section, every key, its type and range, in one table.

``orto.config.load_settings`` checks the whole file against these tables before it builds the
settings: a wrong type, an unknown key or section, or a value out of range is a ``ConfigError``
naming the file, the section, the key, the value and what is expected. Nothing falls back to a
default silently (``discount_approval_threshold_percent = 12.5`` is refused, not read as 10).

A module that reads a new section or key adds one line here; a new printer kind adds one entry
to ``PRINTER_KINDS`` (its own keys; the keys every printer has are in ``PRINTER_COMMON``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orto.errors import ConfigError
from orto.i18n import gettext as _


@dataclass(frozen=True)
class Key:
    """One key: its TOML type(s), an inclusive range for numbers, the allowed values if few."""

    types: tuple[type, ...]
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    required: bool = False

    def expected(self) -> str:
        names = {
            str: _("text"),
            int: _("a whole number"),
            float: _("a number"),
            bool: _("true or false"),
            dict: _("a table"),
            list: _("a list"),
        }
        if float in self.types:
            what = _("a number")
        elif len(self.types) > 1:
            what = _("text or a whole number")
        else:
            what = names.get(self.types[0], self.types[0].__name__)
        if self.choices:
            return _("one of {choices}").format(choices=", ".join(repr(c) for c in self.choices))
        if self.minimum is not None and self.maximum is not None:
            return _("{what} from {minimum} to {maximum}").format(what=what, minimum=self.minimum, maximum=self.maximum)
        return what


TEXT = Key((str,))
FLAG = Key((bool,))


def whole(minimum: int, maximum: int) -> Key:
    return Key((int,), minimum, maximum)


SECTIONS: dict[str, dict[str, Key]] = {
    "database": {"url": TEXT},
    "till": {
        "language": Key((str,), choices=("it", "en")),
        "site": TEXT,
        "counter": TEXT,
        "idle_lock_seconds": whole(0, 86_400),
    },
    "km0": {"radius_km": whole(1, 1_000), "lab_min_share_pct": whole(0, 100)},
    # the times are checked as times by inventory.cold_chain.reading_times
    "haccp": {"reading_times": Key((list,))},
    "stock": {"near_expiry_days": whole(0, 365)},
    "selling": {
        "discount_approval_threshold_percent": whole(0, 100),
        "social_card_unknown": Key((str,), choices=("warn", "refuse")),
    },
    # pos.selling.gift_cards: the most a card may hold (so the most one load adds), in whole euros,
    # and how long a card stays valid after its last load (0: no expiry)
    "gift_cards": {"max_euros": whole(1, 10_000), "validity_months": whole(0, 120)},
    "supply": {"max_chilled_temperature_dc": whole(-500, 1_000), "max_frozen_temperature_dc": whole(-500, 1_000)},
    "lab": {"rescue_days": whole(0, 365), "label_printer": TEXT},
    # the A4 sheet's grid is checked as a whole by receipts.label_sheet.SheetGrid (docs/labels.md)
    "labels": {"sheet": Key((dict,))},
    "company": {
        name: TEXT
        for name in (
            "name",
            "address",
            "vat_number",
            "fiscal_code",
            "site_name",
            "site_address",
            "lab_address",
            "phone",
            "email",
            # the seller's address as a FatturaPA needs it (docs/catering.md)
            "postcode",
            "town",
            "province",
            "footer",  # the slip's last line (receipts.snapshots.company)
        )
    },
}
# tables of tables: [printers.NAME] and [counters.CODE]
NESTED = ("printers", "counters")

PRINTER_COMMON: dict[str, Key] = {
    "kind": Key((str,), required=True),
    "width": whole(24, 80),  # characters per line: 48 on 80 mm paper, 42 on 58 mm
    "profile": TEXT,  # a python-escpos capability profile
    "drawer_pin": Key((int,), choices=(2, 5)),
    "cut": FLAG,
    "paper_width_mm": whole(40, 120),
    "dots": whole(200, 1_000),
    "font": Key((str,), choices=("a", "b")),  # font A (12 dots a column) or B (9)
}
PRINTER_KINDS: dict[str, dict[str, Key]] = {
    "network": {
        "host": Key((str,), required=True),
        "port": whole(1, 65_535),
        "timeout": Key((int, float), 0.1, 120),
        "status": FLAG,
    },
    "file": {"path": Key((str,), required=True)},
    "device": {"path": Key((str,), required=True)},
    "cups": {"queue": Key((str,), required=True)},
    "usb": {"vendor_id": Key((str, int), required=True), "product_id": Key((str, int), required=True)},
    "serial": {"device": TEXT, "baudrate": Key((int,), choices=(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200))},
    "none": {},
    # an Italian RT speaking Epson's Fiscal ePOS-Print (docs/fiscal.md); departments maps each VAT
    # percentage to the RT's reparto, checked against the catalog when the fiscal queue starts
    "epson-rt": {
        "host": Key((str,), required=True),
        "port": whole(1, 65_535),
        "timeout": Key((int, float), 0.1, 120),
        "departments": Key((dict,), required=True),
        "devid": TEXT,
        "simulated": FLAG,
    },
}
COUNTER_ROLES = ("receipt", "kitchen", "label", "fiscal")


def check(raw: Mapping[str, Any], path: Path | None) -> None:
    """Refuse the first thing in the file that does not fit the tables."""
    where = str(path) if path else "orto.toml"
    for section, body in raw.items():
        if section in NESTED:
            _nested(where, section, body)
            continue
        keys = SECTIONS.get(section)
        if keys is None:
            raise ConfigError(
                _("{file}: unknown section [{section}] (known: {known})").format(
                    file=where, section=section, known=", ".join(sorted([*SECTIONS, *NESTED]))
                )
            )
        _table(where, f"[{section}]", _as_table(where, section, body), keys)


def _as_table(where: str, section: str, body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ConfigError(
            _("{file}: {section} must be a table ([{section}]), not {value!r}").format(
                file=where, section=section, value=body
            )
        )
    return body


def _nested(where: str, section: str, body: Any) -> None:
    for name, spec in _as_table(where, section, body).items():
        label = f"[{section}.{name}]"
        table = _as_table(where, f"{section}.{name}", spec)
        if section == "printers":
            kind = table.get("kind")
            _table(where, label, table, {"kind": PRINTER_COMMON["kind"]}, partial=True)
            own = PRINTER_KINDS.get(kind) if isinstance(kind, str) else None
            if own is None:
                raise ConfigError(
                    _("{file}: {section} kind = {value!r}: expected one of {choices}").format(
                        file=where, section=label, value=kind, choices=", ".join(PRINTER_KINDS)
                    )
                )
            _table(where, label, table, {**PRINTER_COMMON, **own})
        else:
            _table(where, label, table, {"printers": Key((dict,))})
            roles = table.get("printers", {})
            _table(where, f"[{section}.{name}.printers]", roles, dict.fromkeys(COUNTER_ROLES, TEXT))


def _table(where: str, label: str, table: Mapping[str, Any], keys: Mapping[str, Key], *, partial: bool = False) -> None:
    for key, value in table.items():
        spec = keys.get(key)
        if spec is None:
            if partial:
                continue
            raise ConfigError(
                _("{file}: {section} has an unknown key {key!r} (known: {known})").format(
                    file=where, section=label, key=key, known=", ".join(keys) or "—"
                )
            )
        if not _fits(spec, value):
            raise ConfigError(
                _("{file}: {section} {key} = {value!r}: expected {expected}").format(
                    file=where, section=label, key=key, value=value, expected=spec.expected()
                )
            )
    for key, spec in keys.items():
        if spec.required and key not in table:
            raise ConfigError(
                _("{file}: {section} needs {key} ({expected})").format(
                    file=where, section=label, key=key, expected=spec.expected()
                )
            )


def _fits(spec: Key, value: Any) -> bool:
    if isinstance(value, bool) and bool not in spec.types:
        return False  # TOML true is not the number 1
    if not isinstance(value, spec.types):
        return False
    if spec.choices and value not in spec.choices:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            return False
        if spec.minimum is not None and value < spec.minimum:
            return False
        if spec.maximum is not None and value > spec.maximum:
            return False
    return True
