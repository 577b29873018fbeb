"""Customers to and from CSV or XLSX, like the catalog: every row checked first, all or nothing,
each problem with its line and column. A row with the code of a known customer updates it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy import select

from catering.customers import CustomerData, CustomerInvalid, apply, check_customer
from inventory.catalog_io import ImportRejected, ImportResult, RowError
from inventory.tabular import read_sheet, write_csv, write_xlsx
from orto.access import authorise
from orto.audit import audit
from orto.db import Database
from orto.errors import InvalidInput
from orto.i18n import gettext as _
from orto.models import Customer
from orto.policy import Action, Operator

# (field, Italian header, English header)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "codice", "code"),
    ("name", "nome", "name"),
    ("kind", "tipo", "kind"),
    ("vat_number", "partita_iva", "vat_number"),
    ("fiscal_code", "codice_fiscale", "fiscal_code"),
    ("address", "indirizzo", "address"),
    ("postcode", "cap", "postcode"),
    ("town", "comune", "town"),
    ("province", "provincia", "province"),
    ("country", "nazione", "country"),
    ("sdi_code", "codice_sdi", "sdi_code"),
    ("pec", "pec", "pec"),
    ("email", "email", "email"),
    ("phone", "telefono", "phone"),
    ("contact", "referente", "contact"),
    ("payment_days", "giorni_pagamento", "payment_days"),
    ("account_allowed", "conto", "account"),
    ("order_ref", "ordine", "order_ref"),
    ("cig", "cig", "cig"),
    ("cup", "cup", "cup"),
)
_YES = {"si", "sì", "s", "yes", "y", "1", "true", "x"}
_NO = {"", "no", "n", "0", "false"}
KINDS_IT = {"privato": "person", "azienda": "business", "associazione": "association", "ente pubblico": "public"}
_HEADERS = {h.lower(): f for f, it, en in COLUMNS for h in (it, en)}
_FIELD_HEADER = {f: it for f, it, _en in COLUMNS}
# CustomerInvalid names a field as a person says it; the file's column is spelled like this
_ERROR_COLUMN = {
    "nome": "nome",
    "tipo": "tipo",
    "partita IVA": "partita_iva",
    "codice fiscale": "codice_fiscale",
    "codice SdI": "codice_sdi",
    "CAP": "cap",
    "provincia": "provincia",
    "PEC": "pec",
    "giorni pagamento": "giorni_pagamento",
    "ordine": "ordine",
    "CIG": "cig",
    "CUP": "cup",
}


def _row(line: int, cells: dict[str, str], errors: list[RowError]) -> CustomerData | None:
    values: dict[str, Any] = {k: v for k, v in cells.items() if k not in ("payment_days", "account_allowed")}
    allowed = cells.get("account_allowed", "").strip().lower()
    if allowed not in _YES | _NO:
        errors.append(RowError(line, _FIELD_HEADER["account_allowed"], _("sì or no expected")))
        return None
    values["account_allowed"] = allowed in _YES
    values["kind"] = KINDS_IT.get(values.get("kind", "").lower(), values.get("kind", "") or "business")
    days = cells.get("payment_days", "").strip()
    if days:
        if not days.isdigit():
            errors.append(RowError(line, _FIELD_HEADER["payment_days"], _("a whole number of days expected")))
            return None
        values["payment_days"] = int(days)
    try:
        return check_customer(CustomerData(**values))
    except CustomerInvalid as exc:
        column = _ERROR_COLUMN.get(exc.field, exc.field)
        errors.append(RowError(line, column, str(exc).split(": ", 1)[-1]))
        return None


def import_customers(db: Database, actor: Operator, path: Path) -> ImportResult:
    sheet = read_sheet(path)
    mapping = {i: _HEADERS.get(h.strip().lower()) for i, h in enumerate(sheet.header)}
    errors = [RowError(1, h, _("unknown column")) for i, h in enumerate(sheet.header) if mapping[i] is None and h]
    if "name" not in mapping.values():
        errors.append(RowError(1, "nome", _("the column is missing")))
    if errors:
        raise ImportRejected(path, errors)
    rows: list[tuple[int, CustomerData]] = []
    codes: dict[str, int] = {}
    for line, cells in sheet.rows:
        values = {mapping[i]: cell for i, cell in enumerate(cells) if mapping.get(i)}
        data = _row(line, values, errors)  # type: ignore[arg-type]
        if data is None:
            continue
        if data.code:
            if data.code in codes:
                errors.append(
                    RowError(
                        line,
                        "codice",
                        _("{code} is also on line {other}").format(code=data.code, other=codes[data.code]),
                    )
                )
                continue
            codes[data.code] = line
        rows.append((line, data))
    if errors:
        raise ImportRejected(path, errors)
    result = ImportResult()
    with db.write() as session:
        authorise(session, actor, Action.CUSTOMERS)
        existing = {c.code: c for c in session.scalars(select(Customer).where(Customer.code.is_not(None)))}
        for _line, data in rows:
            customer = existing.get(data.code) if data.code else None
            if customer is None:
                customer = Customer()
                session.add(customer)
                result.created += 1
            else:
                before = {f.name: getattr(customer, f.name) for f in fields(CustomerData)}
                if before == {f.name: getattr(data, f.name) for f in fields(CustomerData)}:
                    result.unchanged += 1
                    continue
                result.updated += 1
            apply(customer, data)
        audit(
            session,
            "customers_imported",
            actor.id,
            details={"file": path.name, "created": result.created, "updated": result.updated},
        )
    return result


def _export_rows(db: Database) -> Iterator[list[Any]]:
    with db.read() as session:
        for c in session.scalars(select(Customer).order_by(Customer.name, Customer.id)):
            yield [_cell(getattr(c, f)) for f, _it, _en in COLUMNS]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else ""
    return "" if value is None else value


def export_customers(db: Database, actor: Operator, path: Path, *, plain: bool = False, language: str = "it") -> int:
    """Every customer with their fiscal codes and addresses into a file: people's data in bulk,
    so a manager's (``Action.REPORTS``), checked before anything is written."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(_("{path}: .csv or .xlsx expected").format(path=path))
    with db.read() as session:
        authorise(session, actor, Action.REPORTS)
    italian = language == "it" and not plain
    header = [it if italian else en for _f, it, en in COLUMNS]
    rows = list(_export_rows(db))
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, header, iter(rows), {})
    else:
        write_csv(path, header, iter(rows), italian_excel=not plain)
    return len(rows)
