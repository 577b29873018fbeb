"""Recording waste: scan the lot's code (or type the product and pick its lot), the reason, the
quantity (Enter = all of it there), an optional note. Each record is valued at cost and listed.

A donation (Law 166/2016) gathers lots the same way (reason "donated"); F9 hands them over: the
receiving organisation is asked, the donation is recorded in one transaction and its transfer
document (PDF) is written to the documents folder.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from inventory.donations import DonationItem, DonationResult, donate, donation_document
from inventory.waste import WasteResult, record_waste
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import WasteReason
from orto.money import format_amount
from pos.tui.kitchen_base import KitchenScreen, lot_option
from pos.tui.kitchen_data import LotRow
from pos.tui.parsing import parse_quantity, show_quantity, show_with_unit, unit_word

REASONS = (
    (WasteReason.EXPIRED, N_("expired")),
    (WasteReason.SPOILED, N_("spoiled")),
    (WasteReason.DAMAGED, N_("damaged")),
    (WasteReason.UNSOLD_PREPARED, N_("unsold prepared food")),
    (WasteReason.PRODUCTION_LOSS, N_("production loss")),
    (WasteReason.QUALITY, N_("quality")),
    (WasteReason.DONATED, N_("donated (Law 166/2016): added to the donation, F9 hands it over")),
)


class WasteScreen(KitchenScreen):
    TITLE_TEXT = N_("Record waste")
    BINDINGS = [Binding("f9", "donate", _("Hand the donation over")), Binding("escape", "back", _("Back"))]

    def __init__(self) -> None:
        super().__init__()
        self.donation: list[tuple[LotRow, int]] = []

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="k-waste", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-waste", DataTable).add_columns(_("Lot"), _("Product"), _("Qty"), _("Reason"), _("Value €"))
        self.info(_("Scan the lot's code, or type the product and pick its lot. Esc to go back."))
        self.idle()

    def idle(self) -> None:
        self.ask(_("Lot code or product"), self._find, placeholder="PAL-261125-001, pomodori", home=True)

    def _find(self, text: str) -> None:
        self.find_lots(text, self._choose_lot)

    def _choose_lot(self, rows: list[LotRow]) -> None:
        rows = [r for r in rows if r.site_id == self.site_id] or rows
        if not rows:
            self.notify(_("none of it is on hand here"), severity="warning")
            self.idle()
        elif len(rows) == 1:
            self._reason(rows[0])
        else:
            self.pick(
                _("Which lot, where?"),
                [(i, lot_option(r)) for i, r in enumerate(rows)],
                lambda i: self._reason(rows[i]),
            )

    def _reason(self, row: LotRow) -> None:
        self.info(
            _("{product}: lot {lot} at {place}, {quantity} on hand").format(
                product=row.product, lot=row.code, place=row.location, quantity=show_with_unit(row.quantity, row.unit)
            )
        )
        self.pick(
            _("Why is {product} thrown away?").format(product=row.product),
            [(i, _(label)) for i, (_reason, label) in enumerate(REASONS)],
            lambda i: self._quantity(row, REASONS[i][0]),
        )

    def _quantity(self, row: LotRow, reason: WasteReason) -> None:
        self.ask(
            _("Quantity in {unit} (Enter = all {quantity})").format(
                unit=unit_word(row.unit), quantity=show_with_unit(row.quantity, row.unit)
            ),
            lambda quantity: self._note(row, reason, quantity),
            default=show_quantity(row.quantity, row.unit),
            parse=lambda text: parse_quantity(text, row.unit),
        )

    def _note(self, row: LotRow, reason: WasteReason, quantity: int) -> None:
        if reason is WasteReason.DONATED:
            self.donation.append((row, quantity))
            self.query_one("#k-waste", DataTable).add_row(
                row.code, row.product[:26], show_with_unit(quantity, row.unit), _("to donate"), ""
            )
            self.notify(_("Added to the donation: F9 hands it over."))
            self.idle()
            return
        self.ask(
            _("Note (optional)"),
            lambda note: self.call(
                record_waste,
                self.ctx.db,
                lot_id=row.lot_id,
                location_id=row.location_id,
                quantity=quantity,
                reason=reason,
                actor=self.actor,
                note=note,
                done=lambda result: self._recorded(row, reason, quantity, result),
                failed=self.fail,
            ),
        )

    def unsaved(self) -> str | None:
        if not self.donation:
            return None
        return _("The donation is not handed over yet: Esc again drops it, F9 hands it over")

    def action_donate(self) -> None:
        if not self.donation:
            self.notify(_("Add lots with the reason 'donated' first."), severity="warning")
            return

        def organisation(name: str) -> None:
            if not name:
                self.notify(_("name the organisation that receives the donation"), severity="error")
                self.action_donate()
                return
            self.ask(
                _("{organisation}: address (optional)").format(organisation=name),
                lambda address: self.ask(
                    _("{organisation}: tax code (optional)").format(organisation=name),
                    lambda tax_code: self._donate(name, address, tax_code),
                ),
            )

        self.ask(_("Donation: the organisation that receives it"), organisation, placeholder="Banco Alimentare")

    def _donate(self, organisation: str, address: str, tax_code: str) -> None:
        from pos.tui import documents

        items = [DonationItem(row.lot_id, row.location_id, quantity) for row, quantity in self.donation]

        def work() -> tuple[DonationResult, str]:
            result = donate(
                self.ctx.db,
                site_id=self.site_id,
                organisation=organisation,
                items=items,
                actor=self.actor,
                address=address,
                tax_code=tax_code,
                today=self.today,
            )
            path = documents.documents_dir() / f"{result.number}.pdf"
            donation_document(self.ctx.db, self.ctx.settings, result.id, path)
            return result, str(path)

        self.call(work, done=self._donated, failed=self.fail)

    def _donated(self, done: tuple[DonationResult, str]) -> None:
        result, path = done
        self.donation = []
        self.notify(
            _("Donation {number}: {value} € at cost. Transfer document written to {path}").format(
                number=result.number, value=format_amount(result.value_cents), path=path
            ),
            timeout=15,
        )
        self.idle()

    def _recorded(self, row: LotRow, reason: WasteReason, quantity: int, result: WasteResult) -> None:
        label = dict(REASONS)[reason]
        self.query_one("#k-waste", DataTable).add_row(
            row.code, row.product[:26], show_with_unit(quantity, row.unit), _(label), format_amount(result.value_cents)
        )
        self.notify(
            _("Recorded: {value} € at cost; {left} left there").format(
                value=format_amount(result.value_cents), left=show_with_unit(result.on_hand_after, row.unit)
            )
        )
        self.info(_("Scan the lot's code, or type the product and pick its lot. Esc to go back."))
        self.idle()
