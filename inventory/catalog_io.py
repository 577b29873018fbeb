"""Import and export of the product catalog (CSV or XLSX), all-or-nothing.

Every row is checked before anything is written; if any row is wrong the whole file is refused
with every problem listed (line, column, reason) and the database is left exactly as it was.
A valid file creates new products and updates those matched by code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from inventory.tabular import Sheet, read_sheet, write_csv, write_xlsx
from orto import limits
from orto.access import authorise
from orto.allergens import Allergen, parse_allergen
from orto.barcodes import classify
from orto.bulk_insert import insert_rows
from orto.db import Database
from orto.errors import InvalidInput, OrtoError
from orto.i18n import gettext as _
from orto.models import AuditEntry, Barcode, Category, DateType, Product, ProductFoodInfo, StorageClass, Supplier, Unit
from orto.models.base import table_of
from orto.money import VAT_RATES_BP, format_amount, parse_money
from orto.policy import Action, Operator
from receipts.food_label import format_net_quantity, parse_net_quantity

# (field, Italian header, English header). The first is what export writes in Italian.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "codice", "code"),
    ("name", "nome", "name"),
    ("category", "categoria", "category"),
    ("unit", "unita", "unit"),
    ("sold_by_weight", "a_peso", "sold_by_weight"),
    ("vat", "iva", "vat"),
    ("onsite_vat", "iva_servito", "onsite_vat"),
    ("price", "prezzo", "price"),
    ("cost", "costo", "cost"),
    ("barcodes", "barcode", "barcodes"),
    ("plu", "plu", "plu"),
    ("allergens", "allergeni", "allergens"),
    ("ingredients", "ingredienti", "ingredients"),
    ("shelf_life_days", "giorni_scadenza", "shelf_life_days"),
    ("date_type", "tipo_scadenza", "date_type"),
    ("storage_note", "conservazione", "storage_note"),
    ("storage_class", "classe_conservazione", "storage_class"),
    ("supplier", "fornitore", "supplier"),
    ("reorder_level", "scorta_minima", "reorder_level"),
    ("kitchen_item", "comanda", "kitchen_item"),
    ("active", "attivo", "active"),
    # for the lab's labels (docs/labels.md): one piece's net quantity, cross-contact allergens
    ("net_quantity", "contenuto_netto", "net_quantity"),
    ("may_contain", "puo_contenere", "may_contain"),
)
REQUIRED = ("code", "name", "vat", "price")
_ALIASES = {
    "può_contenere": "may_contain",
    "unità": "unit",
    "barcodes": "barcodes",
    "codici_a_barre": "barcodes",
    "iva_%": "vat",
    "prezzo_€": "price",
}
_HEADER_TO_FIELD: dict[str, str] = {}
for _field, _it, _en in COLUMNS:
    _HEADER_TO_FIELD[_it] = _field
    _HEADER_TO_FIELD[_en] = _field
for _alias, _field in _ALIASES.items():
    _HEADER_TO_FIELD[_alias] = _field

# the longest text each column may hold (its length in orto.models), refused beyond, never cut
_TEXT_LIMITS: dict[str, int] = {
    "code": 32,
    "name": limits.column_length(Product.name) or 120,
    "category": limits.column_length(Category.name) or 80,
    "barcodes": 400,
    "ingredients": limits.MAX_TEXT,
    "storage_note": limits.MAX_TEXT,
}
_SHORTEST_LIMIT = min(32, *_TEXT_LIMITS.values())  # 32 also for any column not listed (200)
_MULTILINE = ("ingredients", "storage_note")

_TRUE = {"1", "si", "sì", "yes", "true", "vero", "x", "y", "s"}
_FALSE = {"0", "no", "false", "falso", "n", ""}


def _key(text: str) -> str:
    """How an enumeration is matched: case, spaces, hyphens, underscores and dots do not matter
    ('Use-by', 'use by', 'USE_BY' are one spelling)."""
    return "".join(ch for ch in text.lower() if ch not in " -_.")


_DATE_TYPE_SPELLINGS = {
    DateType.USE_BY: ("use_by", "use by date", "expiry", "expires", "entro", "scadenza", "da consumarsi entro"),
    DateType.BEST_BEFORE: (
        "best_before",
        "best before end",
        "bbe",
        "tmc",
        "preferibilmente",
        "preferibilmente entro",
        "da consumarsi preferibilmente entro",
        "termine minimo di conservazione",
    ),
}
# the Italian word first: the export writes it
STORAGE_WORDS: dict[StorageClass, tuple[str, ...]] = {
    StorageClass.AMBIENT: ("ambiente", "ambient", "secco"),
    StorageClass.CHILLED: ("refrigerato", "chilled", "frigo", "fresco"),
    StorageClass.FROZEN: ("surgelato", "frozen", "congelato"),
}
_STORAGE = {word: kind for kind, words in STORAGE_WORDS.items() for word in words}
_UNIT_SPELLINGS = {
    Unit.PIECE: ("pz", "pezzo", "pezzi", "piece", "pieces", "pc", "pcs", "each", "nr", "n"),
    Unit.KG: ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "chilo", "chili", "chilogrammo"),
    Unit.LITRE: ("l", "lt", "ltr", "litro", "litri", "litre", "litres", "liter", "liters"),
}
_DATE_TYPES = {_key(text): kind for kind, texts in _DATE_TYPE_SPELLINGS.items() for text in texts}
_UNITS = {_key(text): unit for unit, texts in _UNIT_SPELLINGS.items() for text in texts}


def _accepted(spellings: dict[Unit, tuple[str, ...]] | dict[DateType, tuple[str, ...]]) -> str:
    return "; ".join(", ".join(texts) for texts in spellings.values())


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line <= 1:
            return _("header, column {column}: {reason}").format(column=self.column, reason=self.reason)
        return _("line {line}, column {column}: {reason}").format(
            line=self.line, column=self.column, reason=self.reason
        )


class ImportRejected(OrtoError):
    """The file has errors; nothing was written."""

    def __init__(self, path: Path, errors: list[RowError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(_("{path}: {n} problem(s), nothing imported").format(path=path, n=len(errors)))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    barcodes: list[tuple[str, Any]]


def _parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def _parse_int(text: str, *, minimum: int = 0) -> int:
    value = text.strip().replace(".", "") if text.strip().count(".") and "," not in text else text.strip()
    if not value.lstrip("-").isdigit():
        raise InvalidInput(_("{value!r} is not a whole number").format(value=text))
    number = int(value)
    if number < minimum:
        raise InvalidInput(_("{value} is below {minimum}").format(value=number, minimum=minimum))
    return number


def _parse_vat(text: str) -> int:
    raw = text.strip().replace("%", "").replace(",", ".")
    try:
        percent = Decimal(raw)
    except ArithmeticError as exc:
        raise InvalidInput(_("VAT rate {value!r} is not a number").format(value=text)) from exc
    if percent < 1:  # "0,10" written as a fraction
        percent *= 100
    bp = int((percent * 100).to_integral_value())
    if bp not in VAT_RATES_BP or percent * 100 != bp:
        raise InvalidInput(_("unknown VAT rate {value!r} (use 4, 5, 10 or 22)").format(value=text))
    return bp


class _Checker:
    """Turns sheet rows into product values, collecting every problem instead of stopping."""

    def __init__(
        self, sheet: Sheet, *, suppliers: dict[str, int], db_barcodes: dict[str, str], db_plus: dict[int, str]
    ) -> None:
        """``suppliers`` by lower-cased code and name; ``db_barcodes`` and ``db_plus``: the product
        code each already belongs to, to refuse one that belongs to another product."""
        self.errors: list[RowError] = []
        self.columns: list[str | None] = []
        for header in sheet.header:
            key = header.strip().lower().replace(" ", "_")
            fld = _HEADER_TO_FIELD.get(key)
            if fld is None:
                self.errors.append(RowError(1, header or "?", _("unknown column")))
            elif fld in self.columns:
                self.errors.append(RowError(1, header, _("column given twice")))
            self.columns.append(fld)
        for required in REQUIRED:
            if required not in self.columns:
                it_name = next(it for f, it, _en in COLUMNS if f == required)
                self.errors.append(RowError(1, it_name, _("required column missing")))
        self.header = sheet.header
        # every column known and named once: a row's cells pair with the fields by zip
        self._label_columns = "net_quantity" in self.columns or "may_contain" in self.columns
        self._plain_columns = None not in self.columns and len(set(self.columns)) == len(self.columns)
        self.suppliers = suppliers
        self.db_barcodes = db_barcodes
        self.db_plus = db_plus
        self.quick = True  # off: every row through check_detailed (the tests compare the two)
        self.seen_codes: dict[str, int] = {}
        self.seen_barcodes: dict[str, int] = {}
        self.seen_plus: dict[int, int] = {}
        # a catalog repeats its few units, VAT rates, prices and date types on every row: each
        # distinct text is parsed once (a refused one is not kept: it is parsed, and said, again)
        self._units: dict[str, Unit | None] = {}
        self._vats: dict[str, int] = {}
        self._money: dict[str, int] = {}
        self._date_types: dict[str, DateType | None] = {}
        self._wholes: dict[tuple[str, str], int] = {}
        self._allergen_cells: dict[str, frozenset[Allergen]] = {}

    @classmethod
    def reading(cls, session: Session, sheet: Sheet) -> _Checker:
        suppliers = list(session.scalars(select(Supplier)))
        return cls(
            sheet,
            suppliers={s.code.lower(): s.id for s in suppliers} | {s.name.lower(): s.id for s in suppliers},
            db_barcodes=dict(session.execute(select(Barcode.code, Product.code).join(Product)).all()),
            db_plus={
                plu: code
                for plu, code in session.execute(select(Product.plu, Product.code).where(Product.plu.is_not(None)))
                if plu is not None
            },
        )

    def _unit(self, text: str) -> Unit | None:
        if text not in self._units:
            self._units[text] = _UNITS.get(_key(text))
        return self._units[text]

    def _date_type(self, text: str) -> DateType | None:
        if text not in self._date_types:
            self._date_types[text] = _DATE_TYPES.get(_key(text))
        return self._date_types[text]

    def _vat(self, text: str) -> int:
        bp = self._vats.get(text)
        if bp is None:
            bp = self._vats[text] = _parse_vat(text)
        return bp

    def _cents(self, text: str, fld: str) -> int:
        cents = self._money.get(text)
        if cents is None:
            cents = parse_money(text)
            if not 0 <= cents <= limits.MAX_PRICE_CENTS:  # refused by the limit's own words
                limits.cents(cents, self._header(fld))
            self._money[text] = cents
        return cents

    def _whole(self, fld: str, text: str, minimum: int, maximum: int) -> int:
        number = self._wholes.get((fld, text))
        if number is None:
            number = limits.whole(_parse_int(text, minimum=minimum), self._header(fld), maximum=maximum)
            self._wholes[(fld, text)] = number
        return number

    def _header(self, fld: str) -> str:
        return self.header[self.columns.index(fld)] if fld in self.columns else fld

    def _error(self, line: int, fld: str, reason: str) -> None:
        index = self.columns.index(fld) if fld in self.columns else -1
        self.errors.append(RowError(line, self.header[index] if index >= 0 else fld, reason))

    def check(self, line: int, cells: list[str]) -> _Row | None:
        """The row's values, or None with its problems added to ``errors``."""
        if not self.quick or self._label_columns or not self._plain_columns or len(cells) < len(self.columns):
            return self.check_detailed(line, cells)
        return self._quick(line, cells) or self.check_detailed(line, cells)

    def _quick(self, line: int, cells: list[str]) -> _Row | None:
        """The common row in fewer steps, from what earlier rows already parsed: None (nothing
        recorded) for anything it has not seen accepted, and ``check_detailed`` decides and says why.

        Each cell is accepted only as the detailed check would (the caches hold accepted texts
        only), so a row both accept gets the same values; tests/unit/test_catalog_quick_check.py.
        """
        if not ("".join(cells).isprintable() and max(map(len, cells), default=0) <= _SHORTEST_LIMIT):
            return None
        raw: dict[str, str] = dict(zip(self.columns, cells, strict=False))  # type: ignore[arg-type]  # no None
        get = raw.get
        code = get("code", "")
        name = get("name", "")
        if not code or not name or code in self.seen_codes:
            return None
        unit = self._units.get(get("unit", "") or "pz")
        if unit is None:
            return None
        weight_text = get("sold_by_weight", "")
        by_weight = _parse_bool(weight_text) if weight_text else unit is Unit.KG
        vat = self._vats.get(get("vat", ""))
        onsite_text = get("onsite_vat", "")
        onsite = self._vats.get(onsite_text) if onsite_text else None
        price = self._money.get(get("price", ""))
        cost_text = get("cost", "")
        cost = self._money.get(cost_text) if cost_text else 0
        allergens = self._allergen_cells.get(get("allergens", ""))
        if by_weight is None or vat is None or (onsite_text and onsite is None) or price is None:
            return None
        if cost is None or allergens is None:
            return None
        storage_text = get("storage_class")
        storage = None
        if storage_text is not None:
            storage = _STORAGE.get(storage_text.strip().lower() or "ambiente")
            if storage is None:
                return None
        wholes: dict[str, int | None] = {}
        for fld in ("shelf_life_days", "reorder_level"):
            text = get(fld, "")
            wholes[fld] = self._wholes.get((fld, text)) if text else None
            if text and wholes[fld] is None:
                return None
        date_text = get("date_type", "").strip().lower()
        date_type = self._date_types.get(date_text) if date_text else None
        if date_text and date_type is None:
            return None
        supplier_text = get("supplier", "").strip()
        supplier_id = self.suppliers.get(supplier_text.lower()) if supplier_text else None
        if supplier_text and supplier_id is None:
            return None
        kitchen_text, active_text = get("kitchen_item", ""), get("active", "")
        kitchen = _parse_bool(kitchen_text) if kitchen_text else False
        active = _parse_bool(active_text) if active_text else True
        if kitchen is None or active is None:
            return None

        barcodes: list[tuple[str, Any]] = []
        taken: set[str] = set()
        for code_text in get("barcodes", "").split("|"):
            code_text = code_text.strip()
            if not code_text:
                continue
            if code_text in taken or code_text in self.seen_barcodes:
                return None
            owner = self.db_barcodes.get(code_text)
            if owner is not None and owner != code:
                return None
            try:
                barcodes.append((code_text, classify(code_text)))
            except InvalidInput:
                return None
            taken.add(code_text)
        plu_text = get("plu", "")
        plu = None
        if plu_text:
            if not plu_text.isascii() or not plu_text.isdigit():
                return None  # "1.234", a sign or other digits: the detailed parse says what it is
            plu = int(plu_text)
            owner = self.db_plus.get(plu)
            if not 1 <= plu <= 99999 or plu in self.seen_plus or (owner is not None and owner != code):
                return None

        self.seen_codes[code] = line
        for code_text, _kind in barcodes:
            self.seen_barcodes[code_text] = line
        if plu is not None:
            self.seen_plus[plu] = line
        values: dict[str, Any] = {
            "code": code,
            "name": name,
            "unit": unit,
            "sold_by_weight": bool(by_weight),
            "vat_rate_bp": vat,
            "onsite_vat_rate_bp": onsite,
            "price_cents": price,
            "cost_cents": cost,
            "plu": plu,
            "allergens": allergens,
            "ingredients": get("ingredients", ""),
            "storage_note": get("storage_note", ""),
            "storage_class": storage,
            "shelf_life_days": wholes["shelf_life_days"],
            "reorder_level": wholes["reorder_level"],
            "date_type": date_type,
            "supplier_id": supplier_id,
            "kitchen_item": kitchen,
            "active": active,
            "category": get("category", "").strip() or None,
        }
        return _Row(line, values, barcodes)

    def check_detailed(self, line: int, cells: list[str]) -> _Row | None:
        """Every cell parsed and checked, every problem recorded with its line and column."""
        if self._plain_columns and len(cells) >= len(self.columns):
            raw: dict[str, str] = dict(zip(self.columns, cells, strict=False))  # type: ignore[arg-type]  # no None
        else:
            raw = {fld: (cells[i] if i < len(cells) else "") for i, fld in enumerate(self.columns) if fld}
        before = len(self.errors)
        values: dict[str, Any] = {}
        # most rows: every cell printable and within the shortest limit, all seen at once
        clean = "".join(cells).isprintable() and max(map(len, cells), default=0) <= _SHORTEST_LIMIT
        for fld, text_value in list(raw.items()) if not clean else ():
            if text_value.isprintable() and len(text_value) <= _TEXT_LIMITS.get(fld, 200):
                continue  # no control character (nor any other unprintable one) and short enough
            try:  # control characters and lengths first: a cell with a NUL is not parsed further
                limits.text(text_value, self._header(fld), _TEXT_LIMITS.get(fld, 200), lines=fld in _MULTILINE)
            except InvalidInput as exc:
                self._error(line, fld, str(exc))
                raw[fld] = ""

        code = raw.get("code", "")
        if not code:
            self._error(line, "code", _("missing code"))
        elif len(code) > 32:
            self._error(line, "code", _("code longer than 32 characters"))
        elif code in self.seen_codes:
            self._error(
                line, "code", _("code {code} already on line {other}").format(code=code, other=self.seen_codes[code])
            )
        else:
            self.seen_codes[code] = line
        values["code"] = code

        name = raw.get("name", "")
        if not name:
            self._error(line, "name", _("missing name"))
        values["name"] = name

        unit_text = raw.get("unit", "") or "pz"
        unit = self._unit(unit_text)
        if unit is None:
            self._error(
                line,
                "unit",
                _("unknown unit {value!r}: write one of {accepted}").format(
                    value=raw.get("unit"), accepted=_accepted(_UNIT_SPELLINGS)
                ),
            )
            unit = Unit.PIECE
        values["unit"] = unit
        weight_text = raw.get("sold_by_weight", "")
        by_weight = _parse_bool(weight_text) if weight_text else unit is Unit.KG
        if by_weight is None:
            self._error(line, "sold_by_weight", _("{value!r} is not yes or no").format(value=weight_text))
        values["sold_by_weight"] = bool(by_weight)

        for fld, target, required in (("vat", "vat_rate_bp", True), ("onsite_vat", "onsite_vat_rate_bp", False)):
            text = raw.get(fld, "")
            if not text:
                if required:
                    self._error(line, fld, _("missing VAT rate"))
                values[target] = None
                continue
            try:
                values[target] = self._vat(text)
            except InvalidInput as exc:
                self._error(line, fld, str(exc))

        for fld, target, required in (("price", "price_cents", True), ("cost", "cost_cents", False)):
            text = raw.get(fld, "")
            if not text:
                if required:
                    self._error(line, fld, _("missing price"))
                values[target] = 0
                continue
            try:
                values[target] = self._cents(text, fld)
            except InvalidInput as exc:
                self._error(line, fld, str(exc))

        barcodes: list[tuple[str, Any]] = []
        for code_text in raw.get("barcodes", "").split("|"):
            code_text = code_text.strip()
            if not code_text:
                continue
            try:
                kind = classify(code_text)
            except InvalidInput as exc:
                self._error(line, "barcodes", str(exc))
                continue
            if code_text in self.seen_barcodes:
                self._error(
                    line,
                    "barcodes",
                    _("barcode {code} already on line {other}").format(
                        code=code_text, other=self.seen_barcodes[code_text]
                    ),
                )
                continue
            owner = self.db_barcodes.get(code_text)
            if owner is not None and owner != code:
                self._error(
                    line, "barcodes", _("barcode {code} belongs to product {other}").format(code=code_text, other=owner)
                )
                continue
            self.seen_barcodes[code_text] = line
            barcodes.append((code_text, kind))

        plu_text = raw.get("plu", "")
        values["plu"] = None
        if plu_text:
            try:
                plu = _parse_int(plu_text, minimum=1)
                if plu > 99999:
                    raise InvalidInput(_("PLU {value} has more than 5 digits").format(value=plu))
                if plu in self.seen_plus:
                    raise InvalidInput(
                        _("PLU {value} already on line {other}").format(value=plu, other=self.seen_plus[plu])
                    )
                owner = self.db_plus.get(plu)
                if owner is not None and owner != code:
                    raise InvalidInput(_("PLU {value} belongs to product {other}").format(value=plu, other=owner))
                self.seen_plus[plu] = line
                values["plu"] = plu
            except InvalidInput as exc:
                self._error(line, "plu", str(exc))

        values["allergens"] = self._allergens(line, raw.get("allergens", ""))
        values["ingredients"] = raw.get("ingredients", "")
        values["storage_note"] = raw.get("storage_note", "")
        # a file without the column leaves each product's class as it is (a new one: ambient)
        storage_text = raw.get("storage_class")
        values["storage_class"] = None
        if storage_text is not None:
            values["storage_class"] = _STORAGE.get(storage_text.strip().lower() or "ambiente")
            if values["storage_class"] is None:
                self._error(
                    line,
                    "storage_class",
                    _("{value!r} is not ambiente, refrigerato or surgelato").format(value=storage_text),
                )

        for fld, minimum, maximum in (
            ("shelf_life_days", 1, limits.MAX_SHELF_LIFE_DAYS),
            ("reorder_level", 0, limits.MAX_STOCK_GRAMS),
        ):
            text = raw.get(fld, "")
            values[fld] = None
            if text:
                try:
                    values[fld] = self._whole(fld, text, minimum, maximum)
                except InvalidInput as exc:
                    self._error(line, fld, str(exc))

        date_text = raw.get("date_type", "").strip().lower()
        values["date_type"] = None
        if date_text:
            date_type = self._date_type(date_text)
            if date_type is None:
                self._error(
                    line,
                    "date_type",
                    _("{value!r} is neither a use-by nor a best-before date: write one of {accepted}").format(
                        value=date_text, accepted=_accepted(_DATE_TYPE_SPELLINGS)
                    ),
                )
            values["date_type"] = date_type

        supplier_text = raw.get("supplier", "").strip()
        values["supplier_id"] = None
        if supplier_text:
            supplier_id = self.suppliers.get(supplier_text.lower())
            if supplier_id is None:
                self._error(
                    line,
                    "supplier",
                    _("unknown supplier {value!r} (import the suppliers first: orto import suppliers)").format(
                        value=supplier_text
                    ),
                )
            values["supplier_id"] = supplier_id

        for fld, default in (("kitchen_item", False), ("active", True)):
            text = raw.get(fld, "")
            flag = _parse_bool(text) if text else default
            if flag is None:
                self._error(line, fld, _("{value!r} is not yes or no").format(value=text))
            values[fld] = default if flag is None else flag

        values["category"] = raw.get("category", "").strip() or None
        if self._label_columns:
            values["food_info"] = self._food_info(line, raw)
        if len(self.errors) > before:
            return None
        return _Row(line, values, barcodes)

    def _allergens(self, line: int, cell: str) -> frozenset[Allergen]:
        known = self._allergen_cells.get(cell)
        if known is not None:
            return known
        before = len(self.errors)
        allergens: set[Allergen] = set()
        for name_text in filter(None, (a.strip() for a in cell.split("|"))):
            allergen = parse_allergen(name_text)
            if allergen is None:
                self._error(line, "allergens", _("unknown allergen {value!r}").format(value=name_text))
            else:
                allergens.add(allergen)
        result = frozenset(allergens)
        if len(self.errors) == before:  # a refused cell is parsed, and said, again on its next line
            self._allergen_cells[cell] = result
        return result

    def _food_info(self, line: int, raw: dict[str, str]) -> tuple[int | None, str | None, frozenset[Allergen]]:
        """(net quantity, its unit, may contain) from the two label columns."""
        net_text = raw.get("net_quantity", "").strip()
        net = parse_net_quantity(net_text) if net_text else None
        if net_text and net is None:
            self._error(
                line, "net_quantity", _("{value!r} is not a net quantity (e.g. 280 g, 0,75 l)").format(value=net_text)
            )
        may_contain: set[Allergen] = set()
        for name_text in filter(None, (a.strip() for a in raw.get("may_contain", "").split("|"))):
            allergen = parse_allergen(name_text)
            if allergen is None:
                self._error(line, "may_contain", _("unknown allergen {value!r}").format(value=name_text))
            else:
                may_contain.add(allergen)
        return (net[0] if net else None, net[1] if net else None, frozenset(may_contain))


_COMPARED = (
    "name",
    "unit",
    "sold_by_weight",
    "vat_rate_bp",
    "onsite_vat_rate_bp",
    "price_cents",
    "cost_cents",
    "plu",
    "allergens",
    "ingredients",
    "storage_note",
    "storage_class",
    "shelf_life_days",
    "date_type",
    "supplier_id",
    "reorder_level",
    "kitchen_item",
    "active",
    "category_id",
)


def import_products(db: Database, path: Path, *, actor: Operator) -> ImportResult:
    """Check the whole file, then write it in one transaction; ImportRejected if any row is wrong."""
    sheet = read_sheet(path)
    result = ImportResult()
    with db.write() as session:
        authorise(session, actor, Action.CATALOG)
        checker = _Checker.reading(session, sheet)
        rows = [r for r in (checker.check(line, cells) for line, cells in sheet.rows) if r is not None]
        if checker.errors:
            raise ImportRejected(path, checker.errors)

        categories = {c.name.lower(): c.id for c in session.scalars(select(Category))}
        new_categories: dict[str, str] = {}  # lower-cased -> as first written, in file order
        for row in rows:
            name = row.values["category"]
            if name is not None and name.lower() not in categories:
                new_categories.setdefault(name.lower(), name)
        if new_categories:  # one executemany, then the new ids read back by name
            session.execute(insert(table_of(Category)), [{"name": n} for n in new_categories.values()])
            categories = {name.lower(): id_ for id_, name in session.execute(select(Category.id, Category.name))}
            result.categories_created.extend(new_categories.values())
        for row in rows:
            name = row.values.pop("category")
            row.values["category_id"] = None if name is None else categories[name.lower()]

        existing = {p.code: p for p in session.scalars(select(Product))}
        existing_barcodes: dict[int, set[str]] = {}
        for product_id, code in session.execute(select(Barcode.product_id, Barcode.code)):
            existing_barcodes.setdefault(product_id, set()).add(code)

        new_rows: list[_Row] = []
        changed_rows: list[dict[str, Any]] = []
        barcode_rows: list[dict[str, Any]] = []
        retired_barcodes: list[str] = []
        food = {
            i.product_id: (i.net_quantity, i.net_unit, i.may_contain) for i in session.scalars(select(ProductFoodInfo))
        }
        for row in rows:
            product = existing.get(row.values["code"])
            if row.values["storage_class"] is None:
                row.values["storage_class"] = product.storage_class if product else StorageClass.AMBIENT
            wanted = {code for code, _kind in row.barcodes}
            if product is None:
                new_rows.append(row)
                continue
            have = existing_barcodes.get(product.id, set())
            differs = any(getattr(product, f) != row.values[f] for f in _COMPARED) or have != wanted
            if "food_info" in row.values:
                differs = differs or food.get(product.id, (None, None, frozenset())) != row.values["food_info"]
            if not differs:
                result.unchanged += 1
                continue
            result.updated += 1
            changed_rows.append({"id": product.id, **{f: row.values[f] for f in _COMPARED}})
            retired_barcodes.extend(have - wanted)
            barcode_rows.extend(
                {"product_id": product.id, "code": c, "kind": k} for c, k in row.barcodes if c not in have
            )

        if retired_barcodes:
            # A barcode moved away from a product: the product history keeps its lines; barcodes
            # are lookup keys, not records, so the old ones are dropped.
            from sqlalchemy import delete

            session.execute(delete(Barcode).where(Barcode.code.in_(retired_barcodes)))
        if changed_rows:
            session.execute(update(Product), changed_rows)
        if new_rows:
            # the driver's executemany (orto.bulk_insert); the ORM's bulk insert with
            # RETURNING is quadratic in SQLAlchemy 2.1, Core's spends more on parameters than SQL
            insert_rows(session, table_of(Product), ("code", *_COMPARED), [row.values for row in new_rows])
            ids = dict(session.execute(select(Product.code, Product.id)).all())
            for row in new_rows:
                product_id = ids[row.values["code"]]
                barcode_rows.extend({"product_id": product_id, "code": c, "kind": k} for c, k in row.barcodes)
            result.created = len(new_rows)
        insert_rows(session, table_of(Barcode), ("product_id", "code", "kind"), barcode_rows)
        _write_food_info(session, rows)
        session.add(
            AuditEntry(
                action="catalog_import",
                user_id=actor.id,
                entity="products",
                details={
                    "file": path.name,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
        )
    return result


def _write_food_info(session: Session, rows: list[_Row]) -> None:
    """The label columns, for the rows of a file that has them (a file without them changes nothing)."""
    with_info = [r for r in rows if "food_info" in r.values]
    if not with_info:
        return
    ids = dict(session.execute(select(Product.code, Product.id)).all())
    have = set(session.scalars(select(ProductFoodInfo.product_id)))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in with_info:
        net, unit, may_contain = row.values["food_info"]
        product_id = ids[row.values["code"]]
        values = {"net_quantity": net, "net_unit": unit, "may_contain": may_contain}
        if product_id in have:
            updates.append({"pid": product_id, **values})
        else:
            inserts.append({"product_id": product_id, **values})
    # staged: one executemany per statement instead of a look-up and a flush per product
    table = table_of(ProductFoodInfo)
    if updates:
        session.execute(
            update(table).where(table.c.product_id == bindparam("pid")),
            updates,
        )
    if inserts:
        session.execute(insert(table), inserts)


def _yes_no(flag: bool, italian: bool) -> str:
    return ("sì" if flag else "no") if italian else ("yes" if flag else "no")


def _export_rows(session: Session, italian: bool, spreadsheet: bool) -> Iterator[list[Any]]:
    language = "it" if italian else "en"
    categories = dict(session.execute(select(Category.id, Category.name)).all())
    suppliers = dict(session.execute(select(Supplier.id, Supplier.code)).all())
    barcodes: dict[int, list[str]] = {}
    for product_id, code in session.execute(select(Barcode.product_id, Barcode.code).order_by(Barcode.id)):
        barcodes.setdefault(product_id, []).append(code)

    def money(cents: int) -> Any:
        return (
            Decimal(cents).scaleb(-2)
            if spreadsheet
            else format_amount(cents, language).replace("." if italian else ",", "")
        )

    def vat(bp: int | None) -> Any:
        if bp is None:
            return None if spreadsheet else ""
        return bp // 100 if spreadsheet else str(bp // 100)

    food = {i.product_id: i for i in session.scalars(select(ProductFoodInfo))}
    for p in session.scalars(select(Product).order_by(Product.code)):
        info = food.get(p.id)
        yield [
            p.code,
            p.name,
            categories.get(p.category_id, "") if p.category_id else "",
            p.unit.value,
            _yes_no(p.sold_by_weight, italian),
            vat(p.vat_rate_bp),
            vat(p.onsite_vat_rate_bp),
            money(p.price_cents),
            money(p.cost_cents),
            "|".join(barcodes.get(p.id, [])),
            (p.plu if spreadsheet else str(p.plu)) if p.plu is not None else "",
            "|".join(a.label(language) for a in sorted(p.allergens)),
            p.ingredients,
            (p.shelf_life_days if spreadsheet else str(p.shelf_life_days)) if p.shelf_life_days else "",
            p.date_type.value if p.date_type else "",
            p.storage_note,
            STORAGE_WORDS[p.storage_class][0] if italian else p.storage_class.value,
            suppliers.get(p.supplier_id, "") if p.supplier_id else "",
            (p.reorder_level if spreadsheet else str(p.reorder_level)) if p.reorder_level is not None else "",
            _yes_no(p.kitchen_item, italian),
            _yes_no(p.active, italian),
            format_net_quantity(info.net_quantity, info.net_unit)
            if info and info.net_quantity and info.net_unit
            else "",
            "|".join(a.label(language) for a in sorted(info.may_contain)) if info else "",
        ]


def export_products(db: Database, path: Path, *, plain: bool = False, language: str = "it") -> int:
    """Write the catalog; CSV for Italian Excel unless ``plain``; XLSX by extension. Returns the count."""
    italian = language == "it" and not plain
    header = [it if italian else en for _f, it, en in COLUMNS]
    with db.read() as session:
        rows = list(_export_rows(session, italian, path.suffix.lower() == ".xlsx"))
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, header, iter(rows), {7: "#,##0.00", 8: "#,##0.00"})
    else:
        write_csv(path, header, iter(rows), italian_excel=not plain)
    return len(rows)
