"""Transfers between sites: the transfers on their way here (Enter receives one, asking the
quantity that arrived per line, Enter = as sent), and sending (s: the destination, then lots by
code or product with the quantity, Enter = all of the lot there; F10 sends).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from inventory.transfers import TransferItem, TransferView, receive_transfer, send_transfer, transfers_in_transit
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import LocationKind, Unit
from pos.tui.kitchen_base import KitchenScreen, lot_option
from pos.tui.kitchen_data import (
    LotRow,
    Place,
    lot_units,
    places,
    transfer_places,
)
from pos.tui.parsing import parse_quantity, show_quantity, show_with_unit, unit_word


@dataclass
class _Sending:
    to: Place
    source: int | None = None  # the location the goods leave from (that of the first lot)
    lines: list[tuple[LotRow, int]] | None = None


_KIND_ORDER = (LocationKind.SHOP_FLOOR, LocationKind.BAR, LocationKind.COLD_ROOM, LocationKind.KITCHEN)


class TransferScreen(KitchenScreen):
    TITLE_TEXT = N_("Transfers between sites")
    BINDINGS = [
        Binding("s", "send", _("Send")),
        Binding("f10", "confirm", _("Send now")),
        Binding("f8", "remove", _("Remove line")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.transit: list[TransferView] = []
        self.units: dict[str, Unit] = {}
        self.sending: _Sending | None = None

    def compose_body(self) -> ComposeResult:
        yield Label(_("On their way here (Enter receives)"))
        yield DataTable(id="k-transit", cursor_type="row", zebra_stripes=True)
        yield Label(_("Sending"))
        yield DataTable(id="k-send", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-transit", DataTable).add_columns(_("No."), _("From"), _("To"), _("Lines"))
        self.query_one("#k-send", DataTable).add_columns(_("Lot"), _("Product"), _("From"), _("Qty"))
        self.refresh_transit()

    def refresh_transit(self, _result: object = None) -> None:
        def load() -> tuple[list[TransferView], dict[str, Unit], dict[int, tuple[str, str]]]:
            found = transfers_in_transit(self.ctx.db, self.site_id)
            units = lot_units(self.ctx.db, [line[1] for t in found for line in t.lines])
            return found, units, transfer_places(self.ctx.db, [t.id for t in found])

        self.call(load, done=self._show)

    def _show(self, loaded: tuple[list[TransferView], dict[str, Unit], dict[int, tuple[str, str]]]) -> None:
        self.transit, self.units, where = loaded
        table = self.query_one("#k-transit", DataTable)
        table.clear()
        for t in self.transit:
            lines = ", ".join(
                f"{product[:18]} {show_with_unit(sent, self.units.get(code, Unit.PIECE))}"
                for _id, code, product, sent, _received in t.lines
            )
            source, target = where.get(t.id, (t.from_location, t.to_location))
            table.add_row(str(t.id), source, target, lines[:60], key=str(t.id))
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        if self.sending is not None:
            self.info(
                _("Sending to {place}: lots by code or product · F10 sends · F8 removes a line · Esc stops").format(
                    place=self.sending.to.label
                )
            )
            self.ask(_("Lot code or product to send"), self._find, placeholder="CAP-261125-002, passata", home=True)
        else:
            self.info(_("Enter on a transfer receives it · s sends goods to another site · Esc back"))
            self.query_one("#k-transit", DataTable).focus()

    def action_back(self) -> None:
        if self.sending is None or (self.asking and not self._home):
            super().action_back()
            return
        if self.sending.lines and not self._warned:
            self._warned = True
            self.notify(_("Not sent yet: Esc again drops these lines, F10 sends them."), severity="warning")
            return
        self.sending = None  # Esc while sending drops the lines not sent yet
        self.query_one("#k-send", DataTable).clear()
        self.idle()

    # -- receiving

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "k-transit" or not event.row_key.value:
            return
        transfer = next((t for t in self.transit if t.id == int(event.row_key.value)), None)
        if transfer is not None:
            self._receive_line(transfer, 0, {})

    def _receive_line(self, transfer: TransferView, index: int, received: dict[int, int]) -> None:
        if index >= len(transfer.lines):
            self.call(
                receive_transfer,
                self.ctx.db,
                transfer.id,
                received=received,
                actor=self.actor,
                done=lambda differences: self._received(transfer, differences),
            )
            return
        line_id, code, product, sent, _received = transfer.lines[index]
        unit = self.units.get(code, Unit.PIECE)

        def got(quantity: int) -> None:
            received[line_id] = quantity
            self._receive_line(transfer, index + 1, received)

        self.ask(
            _("{product} (lot {lot}): how much arrived, in {unit}? Enter = as sent").format(
                product=product, lot=code, unit=unit_word(unit)
            ),
            got,
            default=show_quantity(sent, unit),
            parse=lambda text: 0 if text.strip() in ("0", "") else parse_quantity(text, unit),
        )

    def _qty(self, quantity: int, lot_code: str) -> str:
        return show_with_unit(quantity, self.units.get(lot_code, Unit.PIECE))

    def _received(self, transfer: TransferView, differences: list[tuple[int, int]]) -> None:
        if differences:
            lines = {line[0]: line for line in transfer.lines}
            said = "; ".join(
                f"{lines[i][2]}: {'+' if d > 0 else '-'}{self._qty(abs(d), lines[i][1])}" for i, d in differences
            )
            self.notify(
                _("Transfer {number} received with differences (recorded): {said}").format(
                    number=transfer.id, said=said
                ),
                severity="warning",
                timeout=10,
            )
        else:
            self.notify(_("Transfer {number} received.").format(number=transfer.id))
        self.refresh_transit()

    # -- sending

    def action_send(self) -> None:
        if self.sending is not None:
            return

        def loaded(found: list[Place]) -> None:
            others = [p for p in found if p.site_id != self.site_id]
            others.sort(key=lambda p: (p.site_code, _KIND_ORDER.index(p.kind) if p.kind in _KIND_ORDER else 9))
            by_id = {p.id: p for p in others}

            def chosen(place_id: int) -> None:
                self.sending = _Sending(by_id[place_id], None, [])
                self.idle()

            self.pick(_("Send to which site and location?"), [(p.id, p.label) for p in others], chosen)

        self.call(places, self.ctx.db, done=loaded)

    def _find(self, text: str) -> None:
        self.find_lots(text, self._choose)

    def _choose(self, rows: list[LotRow]) -> None:
        assert self.sending is not None
        source = self.sending.source
        rows = [r for r in rows if r.site_id == self.site_id and (source is None or r.location_id == source)]
        if not rows:
            self.notify(_("none of it is on hand here"), severity="warning")
            self.idle()
        elif len(rows) == 1:
            self._quantity(rows[0])
        else:
            self.pick(
                _("Which lot, from where?"),
                [(i, lot_option(r)) for i, r in enumerate(rows)],
                lambda i: self._quantity(rows[i]),
            )

    def _quantity(self, row: LotRow) -> None:
        if row.blocked:
            self.notify(row.blocked, severity="warning", timeout=8)

        def add(quantity: int) -> None:
            assert self.sending is not None and self.sending.lines is not None
            if quantity > row.quantity:
                self.notify(
                    _("only {left} of lot {lot} here").format(
                        left=show_with_unit(row.quantity, row.unit), lot=row.code
                    ),
                    severity="error",
                )
            else:
                self.sending.source = row.location_id
                self.sending.lines.append((row, quantity))
                self.query_one("#k-send", DataTable).add_row(
                    row.code, row.product[:26], row.location, show_with_unit(quantity, row.unit)
                )
            self.idle()

        self.ask(
            _("{product}, lot {lot}: quantity in {unit} (Enter = all)").format(
                product=row.product, lot=row.code, unit=unit_word(row.unit)
            ),
            add,
            default=show_quantity(row.quantity, row.unit),
            parse=lambda text: parse_quantity(text, row.unit),
        )

    def action_remove(self) -> None:
        if self.sending is None or not self.sending.lines:
            return
        table = self.query_one("#k-send", DataTable)
        row = min(max(table.cursor_row, 0), len(self.sending.lines) - 1)
        del self.sending.lines[row]
        table.remove_row(list(table.rows)[row])
        if not self.sending.lines:
            self.sending.source = None

    def action_confirm(self) -> None:
        sending = self.sending
        if sending is None or not sending.lines or sending.source is None:
            self.notify(_("add at least one line first"), severity="warning")
            return
        self.call(
            send_transfer,
            self.ctx.db,
            from_location_id=sending.source,
            to_location_id=sending.to.id,
            items=[TransferItem(row.lot_id, quantity) for row, quantity in sending.lines],
            actor=self.actor,
            done=self._sent,
        )

    def _sent(self, transfer_id: int) -> None:
        assert self.sending is not None
        self.notify(
            _("Transfer {number} sent to {place}: in transit until they receive it.").format(
                number=transfer_id, place=self.sending.to.label
            ),
            timeout=8,
        )
        self.sending = None
        self.query_one("#k-send", DataTable).clear()
        self.refresh_transit()
