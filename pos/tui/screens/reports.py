"""The reports screen (managers): choose a report, the site and the days, see a preview, write
the file (PDF, CSV or XLSX) into the documents folder.

F5 shows the preview; F9 writes the file in the chosen format and says where it is. The work
runs off the UI thread, like every database call of the till.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.errors import OrtoError
from orto.i18n import current_language
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from pos.reports import FORMATS, REPORTS, file_name, make_report, write_report
from pos.reports.model import Report
from pos.tui import documents
from pos.tui.keys import KeyBar
from pos.tui.routes import SaleHost
from pos.tui.till_screen import TillScreen


def _day(text: str, what: str) -> date:
    from pos.reports.filters import parse_day

    return parse_day(text, what)


class ReportsScreen(TillScreen):
    DEFAULT_CSS = """
    ReportsScreen #r-form { height: auto; }
    ReportsScreen #r-name { width: 30; height: 9; }
    ReportsScreen .r-field { width: 1fr; height: auto; }
    ReportsScreen .r-field Label { width: 100%; }
    ReportsScreen .r-field Input { padding: 0; }
    ReportsScreen #r-preview-box { height: 1fr; border: round $primary; }
    """
    BINDINGS = [
        Binding("f5", "preview", _("Preview")),
        Binding("f9", "write", _("Write the file")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.names = list(REPORTS)
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        today = local_today()
        yield Header()
        with Vertical(classes="kitchen"):
            yield Label(_("Reports"), classes="dialog-title")
            with Horizontal(id="r-form"):
                yield OptionList(*[Option(_(REPORTS[n].label), id=n) for n in self.names], id="r-name")
                with Vertical(classes="r-field"):
                    yield Label(_("Site (empty: all)"))
                    yield Input(self.ctx.counter.site_code, id="r-site")
                    yield Label(_("Format (pdf, csv, xlsx)"))
                    yield Input("pdf", id="r-format")
                with Vertical(classes="r-field"):
                    yield Label(_("From (dd/mm/yyyy)"))
                    yield Input(f"{today - timedelta(days=30):%d/%m/%Y}", id="r-from")
                    yield Label(_("To"))
                    yield Input(f"{today:%d/%m/%Y}", id="r-to")
                with Vertical(classes="r-field"):
                    yield Label(_("Lot (for the trace)"))
                    yield Input("", id="r-lot")
            with VerticalScroll(id="r-preview-box"):
                yield Static(_("F5 preview · F9 write the file · Esc back"), id="r-preview", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#r-name", OptionList).highlighted = 0
        self.query_one("#r-name", OptionList).focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(widget_id, Input).value.strip()

    def _request(self) -> dict[str, Any]:
        highlighted = self.query_one("#r-name", OptionList).highlighted or 0
        return {
            "name": self.names[highlighted],
            "site": self._value("#r-site") or None,
            "first": _day(self._value("#r-from"), _("From")),
            "last": _day(self._value("#r-to"), _("To")),
            "lot": self._value("#r-lot") or None,
        }

    def _build(self, done: Callable[[Report], None]) -> None:
        try:
            request = self._request()
        except OrtoError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one("#r-preview", Static).update(_("Working…"))
        from orto.km0 import Km0Rule

        assert self.ctx.operator is not None  # the menu offers reports only to someone logged in

        self.call(
            make_report,
            self.ctx.db,
            request.pop("name"),
            actor=self.ctx.operator,
            km0_radius_km=self.ctx.settings.km0_radius_km,
            km0_lab_min_share_pct=Km0Rule.of(self.ctx.settings).lab_min_share_pct,
            done=done,
            **request,
        )

    def action_preview(self) -> None:
        self._build(self._show)

    def _show(self, report: Report) -> None:
        from pos.reports.render_sheets import preview_text

        self.report = report
        self.query_one("#r-preview", Static).update(preview_text(report, current_language()))

    def action_write(self) -> None:
        fmt = self._value("#r-format").lower() or "pdf"
        if fmt not in FORMATS:
            self.notify(_("no format {fmt!r} (use pdf, csv or xlsx)").format(fmt=fmt), severity="error")
            return

        def write(report: Report) -> None:
            self._show(report)
            name = file_name(report, fmt, site=self._value("#r-site") or None, lot=self._value("#r-lot") or None)
            path = documents.documents_dir() / name
            company = self.ctx.settings.company.get("name") if self.ctx.settings.company else None
            self.call(
                write_report,
                report,
                path,
                fmt,
                company_name=company,
                done=lambda written: self.notify(_("Written: {path}").format(path=written), timeout=10),
            )

        self._build(write)

    def action_back(self) -> None:
        self.app.pop_screen()


def open_reports(screen: SaleHost) -> None:
    screen.app.push_screen(ReportsScreen())
