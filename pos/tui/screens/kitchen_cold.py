"""Cold chain: the site's fridges, cold rooms and freezers with their limits and last reading
(those due marked), and a reading typed in: the appliance, the temperature, and — outside its
limits — the corrective action taken, which the service requires."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable

from inventory.cold_chain import (
    ApplianceView,
    ReadingResult,
    limits_text,
    record_appliance_reading,
    within_limits,
)
from inventory.recipes import parse_measure
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.localtime import ROME
from orto.money import format_tenths
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.kitchen_data import site_appliances


def _celsius(value_dc: int) -> str:
    return format_tenths(value_dc)  # display only: tenths of °C


class ColdChainScreen(KitchenScreen):
    TITLE_TEXT = N_("Cold chain: temperature readings")

    def __init__(self) -> None:
        super().__init__()
        self.appliances: list[ApplianceView] = []

    def compose_body(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="k-cold", cursor_type="row")
        table.add_columns(_("Code"), _("Appliance"), _("Limits"), _("Last reading"), _("Due"))
        yield table

    def on_mount(self) -> None:
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        self.call(site_appliances, self.ctx.db, self.ctx.settings, self.ctx.counter.site_code, done=self._show)

    def _show(self, found: tuple[list[ApplianceView], set[str]]) -> None:
        self.appliances, due = found
        table = self.query_one("#k-cold", DataTable)
        table.clear()
        for a in self.appliances:
            last = "-"
            if a.last_value_dc is not None and a.last_at is not None:
                last = f"{_celsius(a.last_value_dc)} °C  {a.last_at.astimezone(ROME):%d/%m %H:%M}"
            table.add_row(a.code, a.name, limits_text(a.min_dc, a.max_dc), last, _("DUE") if a.code in due else "")
        if not self.appliances:
            self.info(_("No appliance at this site: ask a manager to add them."))
            return
        self.info(_("{n} due now · Esc back").format(n=len(due)) if due else _("Nothing due now · Esc back"))
        self.ask(_("Appliance (code or row number)"), self._appliance, home=True, parse=self._find)

    def _find(self, text: str) -> ApplianceView:
        from orto.errors import InvalidInput

        if text.isdigit() and 1 <= int(text) <= len(self.appliances):
            return self.appliances[int(text) - 1]
        for a in self.appliances:
            if a.code.upper() == text.strip().upper():
                return a
        raise InvalidInput(_("{text!r}: no such appliance here").format(text=text))

    def _appliance(self, appliance: ApplianceView) -> None:
        self.ask(
            _("{name}: temperature in °C ({limits})").format(
                name=appliance.name, limits=limits_text(appliance.min_dc, appliance.max_dc)
            ),
            lambda value: self._value(appliance, value),
            parse=lambda text: parse_measure("temperature_dc", text),
        )

    def _value(self, appliance: ApplianceView, value_dc: int) -> None:
        if within_limits(value_dc, appliance.min_dc, appliance.max_dc):
            self._record(appliance, value_dc, None)
            return

        def action(text: str) -> None:
            if not text:
                self.notify(_("outside the limits: the corrective action is required"), severity="error")
                self._value(appliance, value_dc)
                return
            self._record(appliance, value_dc, text)

        self.ask(
            _("{value} °C is outside the limits ({limits}): the corrective action taken").format(
                value=_celsius(value_dc), limits=limits_text(appliance.min_dc, appliance.max_dc)
            ),
            action,
        )

    def _record(self, appliance: ApplianceView, value_dc: int, action: str | None) -> None:
        def done(result: ReadingResult) -> None:
            self.notify(
                _("{name}: {value} °C recorded").format(name=appliance.name, value=_celsius(value_dc))
                + ("" if result.within_limit else " — " + _("with its corrective action")),
                severity="information" if result.within_limit else "warning",
            )
            self.idle()

        self.call(
            record_appliance_reading,
            self.ctx.db,
            appliance.code,
            value_dc,
            actor=self.ctx.operator,
            corrective_action=action,
            done=done,
        )
