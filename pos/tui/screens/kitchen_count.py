"""Stock count of one location: choose it (a count still open there is carried on), then type
the counted quantity line by line in the big input (each line is saved at once, so nothing is
lost; Enter on an empty answer skips the line); F3 adds goods found that the sheet does not
list; F10 closes the count and shows the differences and their value at cost.

The sheet does not show the expected quantity: a count typed without seeing it is a real count.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Digits

from inventory.counts import (
    CountResult,
    CountSheet,
    add_found,
    close_count,
    count_sheet,
    count_sheet_pdf,
    enter_counts,
    open_count,
)
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import CountStatus, Unit
from orto.money import format_amount
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.kitchen_data import Place, ProductRow, open_count_of, places
from pos.tui.parsing import expiry_hint, parse_quantity, show_with_unit, unit_word


def _unit(code: str) -> Unit:
    return Unit(code)


class CountScreen(KitchenScreen):
    TITLE_TEXT = N_("Stock count")
    BINDINGS = [
        Binding("f3", "found", _("Found goods")),
        Binding("f5", "sheet", _("Printable sheet")),
        Binding("f10", "close", _("Close the count")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count_id: int | None = None
        self.sheet: CountSheet | None = None
        self.place: Place | None = None
        self.position = 0

    def compose_body(self) -> ComposeResult:
        yield Digits("", id="k-big-number")
        yield DataTable(id="k-sheet", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-sheet", DataTable).add_columns(_("Product"), _("Lot"), _("Expiry"), _("Counted"))
        self.call(places, self.ctx.db, done=self._choose_place)

    def _choose_place(self, found: list[Place]) -> None:
        mine = {p.id: p for p in found if p.site_id == self.site_id}

        def chosen(place_id: int | None) -> None:
            if not place_id:
                self.dismiss(None)
                return
            self.place = mine[place_id]
            self.call(self._open, place_id, done=self._opened)

        from pos.tui.dialogs import Choice

        self.app.push_screen(Choice(_("Count which location?"), [(p.id, p.label) for p in mine.values()]), chosen)

    def _open(self, location_id: int) -> int:
        return open_count_of(self.ctx.db, location_id) or open_count(
            self.ctx.db, location_id=location_id, actor=self.actor
        )

    def _opened(self, count_id: int) -> None:
        self.count_id = count_id
        self.reload()

    def reload(self, _result: object = None) -> None:
        assert self.count_id is not None
        self.call(count_sheet, self.ctx.db, self.count_id, done=self._show)

    def _show(self, sheet: CountSheet) -> None:
        self.sheet = sheet
        table = self.query_one("#k-sheet", DataTable)
        table.clear()
        for line in sheet.lines:
            unit = _unit(line.unit)
            table.add_row(
                line.product[:30],
                line.lot_code,
                expiry_hint(line.expiry),
                show_with_unit(line.counted, unit) if line.counted is not None else "",
                key=str(line.id),
            )
        blank = [i for i, line in enumerate(sheet.lines) if line.counted is None]
        self.position = blank[0] if blank else len(sheet.lines)
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        sheet = self.sheet
        if sheet is None:
            return
        counted = sum(1 for line in sheet.lines if line.counted is not None)
        self.info(
            _(
                "Count {number} of {place}: {counted}/{total} counted · F3 found goods · F5 sheet (PDF) · F10 close"
            ).format(
                number=sheet.id,
                place=self.place.label if self.place else sheet.location,
                counted=counted,
                total=len(sheet.lines),
            )
        )
        if self.position >= len(sheet.lines):
            self.query_one("#k-big-number", Digits).update("")
            self.ask(
                _("All lines counted: F10 closes the count (Enter goes back to the first line)"),
                lambda _t: self._goto(0),
                home=True,
            )
            return
        line = sheet.lines[self.position]
        table = self.query_one("#k-sheet", DataTable)
        table.move_cursor(row=self.position)
        unit = _unit(line.unit)
        self.query_one("#k-big-number", Digits).update(f"{self.position + 1}/{len(sheet.lines)}")
        self.ask(
            _("{product}, lot {lot}: counted in {unit} (Enter skips)").format(
                product=line.product, lot=line.lot_code, unit=unit_word(unit)
            ),
            lambda quantity: self._counted(line.id, quantity),
            parse=lambda text: None if not text else (0 if text.strip() == "0" else parse_quantity(text, unit)),
            home=True,
        )

    def _goto(self, position: int) -> None:
        self.position = position
        self.idle()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "k-sheet":
            self._goto(event.cursor_row)

    def _counted(self, line_id: int, quantity: int | None) -> None:
        if quantity is None:
            self._goto(self.position + 1)
            return
        assert self.count_id is not None
        self.call(enter_counts, self.ctx.db, self.count_id, {line_id: quantity}, actor=self.actor, done=self.reload)

    def action_found(self) -> None:
        if self.count_id is None:
            return
        self.ask(
            _("Found goods: product (scan or type)"),
            lambda text: self.pick_product(text, self._found_quantity) if text else self.idle(),
        )

    def _found_quantity(self, product: ProductRow) -> None:
        def lot_code(quantity: int) -> None:
            self.ask(
                _("Its lot code, if it has one (Enter: a new lot for it)"),
                lambda code: self.call(
                    add_found,
                    self.ctx.db,
                    self.count_id,
                    actor=self.actor,
                    product_id=product.id,
                    quantity=quantity,
                    lot_code=code or None,
                    today=self.today,
                    done=self.reload,
                ),
            )

        self.ask(
            _("{product}: quantity found in {unit}").format(product=product.name, unit=unit_word(product.unit)),
            lot_code,
            parse=lambda text: parse_quantity(text, product.unit),
        )

    def action_sheet(self) -> None:
        """The blind count sheet as a PDF in the documents folder, to count on paper."""
        if self.count_id is None or self.place is None:
            return
        from pos.tui import documents

        count_id, place = self.count_id, self.place

        def write() -> str:
            path = documents.documents_dir() / f"conta-{count_id}-{place.site_code}-{place.code}.pdf"
            count_sheet_pdf(self.ctx.db, count_id, path, site_label=place.label)
            return str(path)

        self.call(
            write, done=lambda path: self.notify(_("Count sheet written to {path}").format(path=path), timeout=12)
        )

    def action_close(self) -> None:
        sheet = self.sheet
        if sheet is None or self.count_id is None or sheet.status is not CountStatus.OPEN:
            return
        blank = sum(1 for line in sheet.lines if line.counted is None)
        if not blank:
            self._close(False)
            return
        self.ask(
            _("{n} lines are not counted: type 0 to count them as zero and close, Esc to go on counting").format(
                n=blank
            ),
            lambda text: self._close(True) if text == "0" else self.idle(),
        )

    def _close(self, blank_is_zero: bool) -> None:
        assert self.count_id is not None
        self.call(
            close_count,
            self.ctx.db,
            self.count_id,
            actor=self.actor,
            blank_is_zero=blank_is_zero,
            done=self._count_closed,
        )

    def _count_closed(self, result: CountResult) -> None:
        assert self.count_id is not None
        self.call(count_sheet, self.ctx.db, self.count_id, done=lambda sheet: self._summary(sheet, result))

    def _summary(self, sheet: CountSheet, result: CountResult) -> None:
        from pos.tui.dialogs import TextPreview

        lines = [
            _("{n} lines differed; value of the differences at cost: {value} €").format(
                n=result.adjusted, value=format_amount(result.value_cents)
            ),
            "",
        ]
        for line in sheet.lines:
            difference = (line.counted or 0) - line.expected
            if difference:
                sign = "+" if difference > 0 else "-"
                quantity = show_with_unit(abs(difference), _unit(line.unit))
                lines.append(f"{line.product[:28]:<28} {line.lot_code:<18} {sign}{quantity}")
        self.dismiss(None)
        self.app.push_screen(TextPreview(_("Count {number} closed").format(number=sheet.id), "\n".join(lines)))
