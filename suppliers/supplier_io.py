"""Import and export of suppliers (CSV or XLSX), with the same all-or-nothing rules as products.

Columns, Italian or English: codice/code, nome/name, tipo/kind (agricola/farm,
laboratorio/lab, distributore/distributor; empty: farm), partita_iva/vat_number, indirizzo/address,
citta/city, telefono/phone, email, contatto/contact, bio/organic, certificato_bio/organic_cert,
scadenza_bio/organic_expiry (25/11/2026 or 2026-11-25), attivo/active, and one distance column
per site, ``km_PAL``, ``km_CAP``, ``km_MON`` (kilometres from the farm to that site).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from inventory.catalog_io import ImportRejected, ImportResult, RowError
from inventory.tabular import read_sheet, write_csv, write_xlsx
from orto import limits
from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.models import AuditEntry, Site, Supplier, SupplierDistance, SupplierKind
from orto.policy import Action, Operator
from suppliers.farms import SUPPLIER_TEXTS

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "codice", "code"),
    ("name", "nome", "name"),
    ("kind", "tipo", "kind"),
    ("vat_number", "partita_iva", "vat_number"),
    ("address", "indirizzo", "address"),
    ("city", "citta", "city"),
    ("phone", "telefono", "phone"),
    ("email", "email", "email"),
    ("contact", "contatto", "contact"),
    ("organic", "bio", "organic"),
    ("organic_cert", "certificato_bio", "organic_cert"),
    ("organic_expiry", "scadenza_bio", "organic_expiry"),
    ("active", "attivo", "active"),
)
_FIELDS = {name: fld for fld, it, en in COLUMNS for name in (it, en)}
# what a supplier is, for km0 (orto.km0): the Italian words first (the export writes those)
KIND_WORDS: dict[SupplierKind, tuple[str, ...]] = {
    SupplierKind.FARM: ("agricola", "azienda agricola", "farm", "producer", "produttore"),
    SupplierKind.LAB: ("laboratorio", "trasformatore", "lab"),
    SupplierKind.DISTRIBUTOR: ("distributore", "grossista", "distributor", "wholesaler"),
}
_KINDS = {word: kind for kind, words in KIND_WORDS.items() for word in words}
_TRUE = {"1", "si", "sì", "yes", "true", "x", "s", "y"}
_FALSE = {"0", "no", "false", "n", ""}


def _parse_date(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip().split(" ")[0], pattern).date()
        except ValueError:
            continue
    raise InvalidInput(_("{value!r} is not a date (25/11/2026)").format(value=text))


def import_suppliers(db: Database, path: Path, *, actor: Operator) -> ImportResult:
    sheet = read_sheet(path)
    errors: list[RowError] = []
    result = ImportResult()
    with db.write() as session:
        authorise(session, actor, Action.SUPPLIERS)
        sites = {s.code.upper(): s.id for s in session.scalars(select(Site))}
        columns: list[tuple[str, str] | None] = []  # ("field", name) or ("km", site code)
        for header in sheet.header:
            key = header.strip().lower().replace(" ", "_")
            if key.startswith("km_") and key[3:].upper() in sites:
                columns.append(("km", key[3:].upper()))
            elif key in _FIELDS:
                columns.append(("field", _FIELDS[key]))
            else:
                columns.append(None)
                errors.append(RowError(1, header or "?", _("unknown column")))
        present = {c[1] for c in columns if c}
        for required, it_name in (("code", "codice"), ("name", "nome")):
            if required not in present:
                errors.append(RowError(1, it_name, _("required column missing")))

        seen: dict[str, int] = {}
        rows: list[tuple[dict[str, Any], dict[str, int]]] = []
        for line, cells in sheet.rows:
            values: dict[str, Any] = {}
            distances: dict[str, int] = {}
            before = len(errors)
            for index, column in enumerate(columns):
                if column is None:
                    continue
                kind, name = column
                text = cells[index].strip() if index < len(cells) else ""
                header = sheet.header[index]
                if kind == "km":
                    if text:
                        if not text.isdigit():
                            errors.append(
                                RowError(line, header, _("{value!r} is not a whole number of km").format(value=text))
                            )
                        else:
                            try:
                                distances[name] = limits.whole(
                                    int(text), header, maximum=limits.MAX_DISTANCE_KM, unit="km"
                                )
                            except InvalidInput as exc:
                                errors.append(RowError(line, header, str(exc)))
                    continue
                if name in ("organic", "active"):
                    flag = text.lower()
                    if flag not in _TRUE | _FALSE:
                        errors.append(RowError(line, header, _("{value!r} is not yes or no").format(value=text)))
                    values[name] = (flag in _TRUE) if flag else (name == "active")
                elif name == "kind":
                    if text.lower() not in _KINDS and text:
                        errors.append(
                            RowError(
                                line,
                                header,
                                _("{value!r} is not a kind of supplier (agricola, laboratorio, distributore)").format(
                                    value=text
                                ),
                            )
                        )
                    values[name] = _KINDS.get(text.lower(), SupplierKind.FARM)
                elif name == "organic_expiry":
                    try:
                        values[name] = _parse_date(text) if text else None
                    except InvalidInput as exc:
                        errors.append(RowError(line, header, str(exc)))
                else:
                    try:
                        column_of = dict(SUPPLIER_TEXTS)
                        attribute = "organic_cert_code" if name == "organic_cert" else name
                        values[name] = limits.text(text, header, limits.column_length(column_of[attribute]))
                    except InvalidInput as exc:
                        errors.append(RowError(line, header, str(exc)))
                        values[name] = ""
            code = values.get("code", "")
            if not code:
                errors.append(RowError(line, "codice", _("missing code")))
            elif code in seen:
                errors.append(
                    RowError(
                        line, "codice", _("code {code} already on line {other}").format(code=code, other=seen[code])
                    )
                )
            else:
                seen[code] = line
            if not values.get("name"):
                errors.append(RowError(line, "nome", _("missing name")))
            if len(errors) == before:
                rows.append((values, distances))
        if errors:
            raise ImportRejected(path, errors)

        existing = {s.code: s for s in session.scalars(select(Supplier))}
        for values, distances in rows:
            supplier = existing.get(values["code"])
            fields = {
                "name": values["name"],
                "vat_number": values.get("vat_number") or None,
                "address": values.get("address", ""),
                "city": values.get("city", ""),
                "phone": values.get("phone", ""),
                "email": values.get("email", ""),
                "contact": values.get("contact", ""),
                "organic_certified": values.get("organic", False),
                "organic_cert_code": values.get("organic_cert") or None,
                "organic_cert_expiry": values.get("organic_expiry"),
                "active": values.get("active", True),
            }
            if "kind" in values:  # a file without the column leaves the kind as it is
                fields["kind"] = values["kind"]
            if supplier is None:
                supplier = Supplier(code=values["code"], **fields)
                session.add(supplier)
                session.flush()
                result.created += 1
                changed = True
            else:
                changed = any(getattr(supplier, k) != v for k, v in fields.items())
                for key, value in fields.items():
                    setattr(supplier, key, value)
            known = {d.site_id: d for d in supplier.distances}
            for site_code, km in distances.items():
                current = known.get(sites[site_code])
                if current is None:
                    supplier.distances.append(SupplierDistance(site_id=sites[site_code], distance_km=km))
                    changed = True
                elif current.distance_km != km:
                    current.distance_km = km
                    changed = True
            if supplier.id in {s.id for s in existing.values()}:
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
        session.add(
            AuditEntry(
                action="suppliers_import",
                user_id=actor.id,
                entity="suppliers",
                details={"file": path.name, "created": result.created, "updated": result.updated},
            )
        )
    return result


def export_suppliers(db: Database, path: Path, *, plain: bool = False, language: str = "it") -> int:
    italian = language == "it" and not plain
    with db.read() as session:
        sites = sorted(session.scalars(select(Site)), key=lambda s: s.code)
        header = [it if italian else en for _f, it, en in COLUMNS] + [f"km_{s.code}" for s in sites]
        spreadsheet = path.suffix.lower() == ".xlsx"
        rows: list[list[Any]] = []
        for supplier in session.scalars(select(Supplier).order_by(Supplier.code)):
            km = {d.site_id: d.distance_km for d in supplier.distances}
            yes, no = ("sì", "no") if italian else ("yes", "no")
            expiry = supplier.organic_cert_expiry
            rows.append(
                [
                    supplier.code,
                    supplier.name,
                    KIND_WORDS[supplier.kind][0] if italian else supplier.kind.value,
                    supplier.vat_number or "",
                    supplier.address,
                    supplier.city,
                    supplier.phone,
                    supplier.email,
                    supplier.contact,
                    yes if supplier.organic_certified else no,
                    supplier.organic_cert_code or "",
                    (expiry.strftime("%d/%m/%Y") if italian else expiry.isoformat()) if expiry else "",
                    yes if supplier.active else no,
                    *[(km[s.id] if spreadsheet else str(km[s.id])) if s.id in km else "" for s in sites],
                ]
            )
    if spreadsheet:
        write_xlsx(path, header, iter(rows), {len(COLUMNS) + i: "0" for i in range(len(sites))})
    else:
        write_csv(path, header, iter(rows), italian_excel=not plain)
    return len(rows)
