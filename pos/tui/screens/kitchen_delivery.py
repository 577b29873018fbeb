"""Receiving a delivery: supplier, location, delivery note (DDT), then line by line with the
reception checks; F10 receives it all in one transaction and shows the lot codes created.

Defaults: the site's cold room; the unit cost from the product's cost; the expiry from its shelf
life; temperature blank (not measured); packaging intact; the line accepted. At the last
question of a line, Enter accepts it, ``-`` and a reason rejects it, any other text is the note
that a failed check needs to accept the line anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from orto.errors import InvalidInput
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import LocationKind, Unit
from orto.money import format_amount, format_tenths, parse_money
from pos.tui.dialogs import TextPreview
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.kitchen_data import Place, ProductRow, default_place, places
from pos.tui.parsing import parse_day, parse_quantity, show_day, show_with_unit, unit_word
from suppliers.deliveries import DeliveryLineInput, DeliveryResult, receive_delivery, reception_limit_dc
from suppliers.farms import SupplierView, list_suppliers


@dataclass
class _Line:
    product: ProductRow
    item: DeliveryLineInput


def _temperature(text: str) -> int | None:
    from inventory.recipes import parse_measure

    return parse_measure("temperature_dc", text) if text else None


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in ("", "s", "si", "sì", "y", "yes", "ok"):
        return True
    if answer in ("n", "no"):
        return False
    raise InvalidInput(_("Enter for yes, n for no"))


class DeliveryScreen(KitchenScreen):
    TITLE_TEXT = N_("Receive a delivery")
    BINDINGS = [
        Binding("f3", "location", _("Location")),
        Binding("f8", "remove", _("Remove line")),
        Binding("f10", "receive", _("Receive")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.suppliers: list[SupplierView] = []
        self.supplier: SupplierView | None = None
        self.places: list[Place] = []
        self.place: Place | None = None
        self.note_number = ""
        self.lines: list[_Line] = []

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="k-lines", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#k-lines", DataTable)
        table.add_columns(_("Product"), _("Qty"), _("Cost €"), _("Their lot"), _("Expiry"), _("°C"), _("Pack."), "")
        self.call(self._load, done=self._loaded)

    def _load(self) -> tuple[list[SupplierView], list[Place]]:
        return list_suppliers(self.ctx.db, self.ctx.settings.km0_radius_km), places(self.ctx.db)

    def _loaded(self, loaded: tuple[list[SupplierView], list[Place]]) -> None:
        self.suppliers = [s for s in loaded[0] if s.active]
        self.places = loaded[1]
        self.place = default_place(self.places, self.site_id, LocationKind.COLD_ROOM, LocationKind.STORE_ROOM)
        self._choose_supplier()

    def _choose_supplier(self) -> None:
        site = self.ctx.counter.site_code
        options = []
        for s in self.suppliers:
            km = s.distances.get(site)
            where = f"{km} km" if km is not None else "? km"
            marks = (" km0" if site in s.km0_sites else "") + (" bio" if s.organic_valid(self.today) else "")
            options.append((s.id, f"{s.name[:34]:<34} {s.city[:14]:<14} {where:>7}{marks}"))
        if not options:
            self.notify(_("No suppliers yet: add one in Suppliers."), severity="warning")
            self.dismiss(None)
            return

        def chosen(supplier_id: int) -> None:
            self.supplier = next(s for s in self.suppliers if s.id == supplier_id)
            self._header()
            self.ask(_("Delivery note (DDT) number"), self._noted, placeholder="118/2026")

        from pos.tui.dialogs import Choice

        def picked(key: int | None) -> None:
            if key:
                chosen(key)
            else:
                self.dismiss(None)

        self.app.push_screen(Choice(_("Delivery from which supplier?"), options), picked)

    def _noted(self, number: str) -> None:
        if not number:
            self.notify(_("the delivery note number is needed"), severity="error")
            self.ask(_("Delivery note (DDT) number"), self._noted, placeholder="118/2026")
            return
        self.note_number = number
        self._header()
        self.idle()

    def _header(self) -> None:
        supplier = self.supplier.name if self.supplier else "-"
        place = self.place.label if self.place else "-"
        self.info(
            _("From {supplier} · into {place} (F3) · delivery note {ddt} · {n} lines · F10 receives").format(
                supplier=supplier, place=place, ddt=self.note_number or "-", n=len(self.lines)
            )
        )

    def idle(self) -> None:
        if self.supplier is None or not self.note_number:
            return
        self.ask(
            _("Product: scan or type (F10 when all lines are in)"),
            self._product,
            placeholder="POM, 800…, pomodori",
            home=True,
        )

    def unsaved(self) -> str | None:
        if not self.lines:
            return None
        return _("{n} lines not received yet: Esc again drops them, F10 receives them").format(n=len(self.lines))

    # -- one line

    def _product(self, text: str) -> None:
        if not text:
            self.idle()
            return
        self.pick_product(text, self._quantity)

    def _quantity(self, product: ProductRow) -> None:
        self.ask(
            _("{product}: quantity in {unit}").format(product=product.name, unit=unit_word(product.unit)),
            lambda q: self._cost(product, q),
            parse=lambda t: parse_quantity(t, product.unit),
        )

    def _cost(self, product: ProductRow, quantity: int) -> None:
        per = _("per kg") if product.unit is Unit.KG else _("per litre") if product.unit is Unit.LITRE else _("each")
        self.ask(
            _("Unit cost € {per} (Enter keeps the product's cost)").format(per=per),
            lambda c: self._their_lot(product, quantity, c),
            default=format_amount(product.cost_cents),
            parse=parse_money,
        )

    def _their_lot(self, product: ProductRow, quantity: int, cost: int) -> None:
        self.ask(
            _("Supplier's lot code (on the label or the DDT; Enter if none)"),
            lambda code: self._expiry(product, quantity, cost, code or None),
        )

    def _expiry(self, product: ProductRow, quantity: int, cost: int, their_lot: str | None) -> None:
        default = self.today + timedelta(days=product.shelf_life_days) if product.shelf_life_days else None
        self.ask(
            _("Expiry date (Enter = from the shelf life; 25/11, +5)"),
            lambda day: self._temperature(product, quantity, cost, their_lot, day),
            default=show_day(default),
            parse=lambda t: parse_day(t, self.today),
        )

    def _temperature(
        self, product: ProductRow, quantity: int, cost: int, their_lot: str | None, expiry: date | None
    ) -> None:
        if not product.storage_class.cold:  # kept at room temperature: no temperature check
            self._packaging(DeliveryLineInput(product.id, quantity, cost, their_lot, expiry), product)
            return
        self.ask(
            _("Temperature on arrival in °C ({storage} goods)").format(storage=_(product.storage_class.value)),
            lambda temp: self._packaging(
                DeliveryLineInput(product.id, quantity, cost, their_lot, expiry, temp), product
            ),
            parse=_temperature,
        )

    def _packaging(self, item: DeliveryLineInput, product: ProductRow) -> None:
        self.ask(
            _("Packaging intact? Enter = yes, n = no"),
            lambda ok: self._decide(replace(item, packaging_ok=ok), product),
            parse=_yes_no,
        )

    def _decide(self, item: DeliveryLineInput, product: ProductRow) -> None:
        limit = reception_limit_dc(self.ctx.settings, product.storage_class)
        too_warm = limit is not None and item.temperature_dc is not None and item.temperature_dc > limit
        failed = too_warm or not item.packaging_ok
        prompt = (
            _("Check FAILED: '-' and a reason rejects the line; or write why it is accepted")
            if failed
            else _("Enter accepts the line; '-' and a reason rejects it")
        )

        def decided(text: str) -> None:
            if text.startswith("-"):
                reason = text[1:].strip()
                if not reason:
                    self.notify(_("say why it is rejected"), severity="error")
                    self._decide(item, product)
                    return
                line = replace(item, accepted=False, note=reason)
            else:
                if failed and not text:
                    self.notify(_("the check failed: write why it is accepted, or reject it"), severity="error")
                    self._decide(item, product)
                    return
                line = replace(item, note=text or None)
            self._add(_Line(product, line))

        self.ask(prompt, decided)

    def _add(self, line: _Line) -> None:
        self.lines.append(line)
        item = line.item
        self.query_one("#k-lines", DataTable).add_row(
            line.product.name[:28],
            show_with_unit(item.quantity, line.product.unit),
            format_amount(item.unit_cost_cents),
            item.supplier_lot_code or "",
            show_day(item.expiry),
            format_tenths(item.temperature_dc) if item.temperature_dc is not None else "",
            "✓" if item.packaging_ok else "✗",
            _("accepted") if item.accepted else _("REJECTED: {why}").format(why=item.note),
        )
        self._header()
        self.idle()

    # -- keys

    def action_location(self) -> None:
        mine = [p for p in self.places if p.site_id == self.site_id]

        def chosen(place_id: int) -> None:
            self.place = next(p for p in mine if p.id == place_id)
            self._header()
            self.idle()

        self.pick(_("Into which location?"), [(p.id, p.label) for p in mine], chosen)

    def action_remove(self) -> None:
        table = self.query_one("#k-lines", DataTable)
        if not self.lines:
            return
        row = min(max(table.cursor_row, 0), len(self.lines) - 1)
        del self.lines[row]
        table.remove_row(list(table.rows)[row])
        self._header()

    def action_receive(self) -> None:
        if self.supplier is None or self.place is None or not self.lines:
            self.notify(_("add at least one line first"), severity="warning")
            return
        self.call(
            receive_delivery,
            self.ctx.db,
            self.ctx.settings,
            supplier_id=self.supplier.id,
            location_id=self.place.id,
            note_number=self.note_number,
            lines=[line.item for line in self.lines],
            actor=self.actor,
            today=self.today,
            done=self._received,
        )

    def _received(self, result: DeliveryResult) -> None:
        names = {line.item.product_id: line.product.name for line in self.lines}
        text = [
            _("Delivery {number} received into {place}.").format(
                number=result.delivery_id, place=self.place.label if self.place else ""
            )
        ]
        for received in result.lines:
            name = names.get(received.product_id, "?")
            if received.accepted:
                text.append(
                    _("{product}: lot {lot}, expiry {expiry}").format(
                        product=name, lot=received.lot_code, expiry=show_day(received.expiry) or "-"
                    )
                )
            else:
                text.append(_("{product}: rejected, no stock").format(product=name))
        self.dismiss(None)
        self.app.push_screen(TextPreview(_("Lots created"), "\n".join(text)))
