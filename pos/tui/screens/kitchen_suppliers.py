"""Suppliers: the list with the distance to each site and km0 (from ``[km0] radius_km``), and a
form to create or edit one (name, VAT number, contacts, organic certificate and its expiry, km
to each site). Enter edits the selected supplier, n creates one; in the form Enter goes to the
next field and F10 saves.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Static

from orto.errors import InvalidInput
from orto.i18n import N_
from orto.i18n import gettext as _
from pos.tui.keys import KeyBar
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.parsing import business_day, parse_day, show_day
from pos.tui.till_screen import TillScreen
from suppliers.farms import SupplierInput, SupplierView, list_suppliers, save_supplier, supplier_input

SITES = ("PAL", "CAP", "MON")
FIELDS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("name", N_("Name")),
    ("vat_number", N_("VAT number")),
    ("address", N_("Address")),
    ("city", N_("City")),
    ("phone", N_("Phone")),
    ("email", N_("Email")),
    ("contact", N_("Contact person")),
    ("organic", N_("Organic (y/n)")),
    ("organic_cert_code", N_("Organic certificate")),
    ("organic_cert_expiry", N_("Certificate expiry")),
    ("active", N_("Active (y/n)")),
)


def _flag(text: str, what: str) -> bool:
    answer = text.strip().lower()
    if answer in ("s", "si", "sì", "y", "yes", "1", "x"):
        return True
    if answer in ("", "n", "no", "0"):
        return False
    raise InvalidInput(_("{what}: write y or n").format(what=what))


class SuppliersScreen(KitchenScreen):
    TITLE_TEXT = N_("Suppliers")
    BINDINGS = [Binding("n", "new", _("New supplier")), Binding("escape", "back", _("Back"))]

    def __init__(self) -> None:
        super().__init__()
        self.suppliers: list[SupplierView] = []

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="k-suppliers", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-suppliers", DataTable).add_columns(
            _("Code"), _("Name"), _("City"), *SITES, f"km0 {self.ctx.counter.site_code}", _("Organic")
        )
        self.query_one("#k-input", Input).display = False
        self.refresh_list()

    def refresh_list(self, _result: object = None) -> None:
        self.call(list_suppliers, self.ctx.db, self.ctx.settings.km0_radius_km, done=self._show)

    def _show(self, suppliers: list[SupplierView]) -> None:
        self.suppliers = suppliers
        table = self.query_one("#k-suppliers", DataTable)
        table.clear()
        today = business_day()
        for s in suppliers:
            organic = "-"
            if s.organic:
                expiry = s.organic_cert_expiry
                organic = (f"{expiry:%d/%m/%y}" if expiry else "✓") if s.organic_valid(today) else _("EXPIRED")
            table.add_row(
                s.code,
                s.name[:24] + ("" if s.active else " " + _("(inactive)")),
                s.city[:12],
                *[str(s.distances[c]) if c in s.distances else "" for c in SITES],
                "✓" if self.ctx.counter.site_code in s.km0_sites else "",
                organic,
                key=str(s.id),
            )
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        self.info(
            _("km to each site; km0 = within {radius} km · Enter edits · n new supplier · Esc back").format(
                radius=self.ctx.settings.km0_radius_km
            )
        )
        self.query_one("#k-suppliers", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "k-suppliers" and event.row_key.value:
            supplier_id = int(event.row_key.value)
            self.call(
                supplier_input,
                self.ctx.db,
                supplier_id,
                done=lambda data: self._edit(data, supplier_id),
            )

    def _edit(self, data: SupplierInput | None, supplier_id: int | None) -> None:
        self.app.push_screen(SupplierForm(data, supplier_id), self.refresh_list)

    def action_new(self) -> None:
        self._edit(None, None)


class SupplierForm(TillScreen):
    BINDINGS = [Binding("f10", "save", _("Save")), Binding("escape", "cancel", _("Back"))]

    def __init__(self, data: SupplierInput | None, supplier_id: int | None) -> None:
        super().__init__()
        self.data = data or SupplierInput("", "")
        self.supplier_id = supplier_id

    def _value(self, name: str) -> str:
        value: Any = getattr(self.data, name)
        if name in ("organic", "active"):
            return "s" if value else "n"
        if name == "organic_cert_expiry":
            return show_day(value)
        return value or ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="kitchen"):
            title = _("New supplier") if self.supplier_id is None else _("Supplier {code}").format(code=self.data.code)
            yield Label(title, classes="dialog-title")
            with VerticalScroll(), Grid(id="k-form"):
                for name, label in FIELDS:
                    yield Label(_(label))
                    yield Input(self._value(name), id=f"f-{name}", compact=True)
                for site in SITES:
                    yield Label(_("km to {site}").format(site=site))
                    km = self.data.distances.get(site)
                    yield Input("" if km is None else str(km), id=f"f-km-{site}", restrict=r"[0-9]*", compact=True)
            yield Static(_("Enter next field · F10 save · Esc back without saving"), id="k-info", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#f-code" if self.supplier_id is None else "#f-name", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.focus_next()

    def _read(self) -> SupplierInput:
        text = {name: self.query_one(f"#f-{name}", Input).value.strip() for name, _label in FIELDS}
        return SupplierInput(
            code=text["code"],
            name=text["name"],
            vat_number=text["vat_number"] or None,
            address=text["address"],
            city=text["city"],
            phone=text["phone"],
            email=text["email"],
            contact=text["contact"],
            organic=_flag(text["organic"], _("Organic (y/n)")),
            organic_cert_code=text["organic_cert_code"] or None,
            organic_cert_expiry=parse_day(text["organic_cert_expiry"], business_day()),
            active=_flag(text["active"] or "y", _("Active (y/n)")),
            distances={
                site: int(value) for site in SITES if (value := self.query_one(f"#f-km-{site}", Input).value.strip())
            },
            kind=self.data.kind,  # kept as it is: the kind is set by the suppliers' import for now
        )

    def action_save(self) -> None:
        try:
            data = self._read()
        except InvalidInput as exc:
            self.notify(str(exc), severity="error")
            return
        assert self.ctx.operator is not None
        self.call(
            save_supplier,
            self.ctx.db,
            data,
            supplier_id=self.supplier_id,
            actor=self.ctx.operator,
            done=self._saved,
        )

    def _saved(self, _supplier_id: int) -> None:
        self.notify(_("Supplier saved."))
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
