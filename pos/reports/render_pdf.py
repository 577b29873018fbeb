"""A report as an A4 PDF: the cooperative's header and "pagina N di M" (``orto.pdf``), the
summary, the charts where a trend matters, then each table with its total in bold."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from orto.i18n import current_language
from orto.i18n import gettext as _
from pos.reports.model import Chart, Kind, Report, Table
from pos.reports.values import as_text

_NUMERIC = {Kind.COUNT, Kind.CENTS, Kind.GRAMS, Kind.PERCENT_BP, Kind.DECIMAL1, Kind.DECIMAL2}
_CHART_COLOURS = ("#4e7d2f", "#c8742c", "#3b6aa0", "#9b3b3b")


def write_pdf_report(report: Report, path: Path, *, company_name: str = "Fuori e Dentro") -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

    from orto.pdf import build_pdf
    from orto.pdf import table as pdf_table
    from pos.reports.render_sheets import period_text

    language = current_language()
    style = _styles()
    story: list = [Paragraph(escape(report.title), style["title"])]
    label, value = report.subject
    story.append(Paragraph(escape(f"{label}: {value}"), style["body"]))
    if report.period:
        story.append(Paragraph(escape(f"{_('Period')}: {period_text(report, language)}"), style["body"]))
    story.append(Spacer(1, 4 * mm))
    if report.summary:
        rows = [
            [
                Paragraph(escape(f.label), style["cell"]),
                Paragraph(escape(as_text(f.value, f.kind, language)), style["cell"])
                if f.kind is Kind.TEXT
                else as_text(f.value, f.kind, language),
            ]
            for f in report.summary
        ]
        wide = any(f.kind is Kind.TEXT for f in report.summary)
        widths = [80 * mm, 100 * mm] if wide else [120 * mm, 45 * mm]
        story.append(pdf_table(rows, widths, header_rows=0, numeric_cols=[1]))
        story.append(Spacer(1, 4 * mm))
    if report.empty:
        story.append(Paragraph(escape(_("No data for this period.")), style["h2"]))
    # a table that cannot fit a portrait page without cutting a word turns the report landscape
    portrait = 210 * mm - 30 * mm
    # each table's cell texts are made once: the landscape check and the layout both need them
    texts = {id(t): _cell_texts(t, language) for t in report.tables if not t.empty}
    landscape = report.landscape or any(
        not t.empty and column_widths(t, texts[id(t)], portrait) is None for t in report.tables
    )
    width = (297 if landscape else 210) * mm - 30 * mm
    for chart in report.charts:
        story.append(KeepTogether([Paragraph(escape(chart.title), style["h2"]), _drawing(chart, width, language)]))
    if report.summary_page and not report.empty:
        story.append(PageBreak())
    for table in report.tables:
        if table.empty:
            continue
        heading = [Paragraph(escape(table.title), style["h2"])]
        if table.note:
            heading.append(Paragraph(escape(table.note), style["small"]))
        body = _table(table, width, style, language, pdf_table, texts[id(table)])
        if len(table.rows) <= 25:
            story.append(KeepTogether([*heading, body]))
        else:  # a long table starts under its title on this page and runs on
            story.append(KeepTogether([*heading, Spacer(1, 30 * mm)]))
            story.append(Spacer(1, -30 * mm))
            story.append(body)
        story.append(Spacer(1, 3 * mm))
    for note in report.notes:
        story.append(Paragraph(escape(note), style["small"]))
    from reportlab import rl_config

    # The page streams compressed as binary, not also ASCII85-encoded (a fifth larger, and a pure
    # Python encoder: ~15 % of a year's PDF). Viewers read either; what is drawn is the same.
    ascii85, rl_config.useA85 = rl_config.useA85, 0
    try:
        build_pdf(
            path,
            title=report.title,
            site_label=report.site,
            story=story,
            company_name=company_name,
            landscape_page=landscape,
        )
    finally:
        rl_config.useA85 = ascii85


@functools.cache
def _styles() -> dict[str, Any]:
    """The paragraph styles, made once per process: every report and table shares them."""
    from orto.pdf import styles

    return styles()


_PAD = 12.0  # a cell's left + right padding in points (reportlab's default 6 + 6)
_SIZE = 8.5
_UNBROKEN = 20  # a short text with a digit is a code (lot, batch, DDT): never wrapped, even at a space


def _cell_texts(table: Table, language: str) -> list[list[str]]:
    body = list(table.rows) + ([table.total] if table.total is not None else [])
    out = []
    for row in body:
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            text = as_text(value, column.kind, language)
            if column.kind is Kind.TEXT and len(text) <= _UNBROKEN and any(ch.isdigit() for ch in text):
                text = text.replace(" ", "\u00a0")
            cells.append(text)
        out.append(cells)
    return out


def column_widths(table: Table, texts: list[list[str]], width: float) -> list[float] | None:
    """Widths that fit ``width`` and cut no word, code or number: each column at least its longest
    unbreakable piece (a number or date whole; a text's longest word; the header's longest word),
    numbers and dates at their full width, text columns sharing the rest by what they hold. None
    when even the least the columns need is wider than the page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from orto.pdf import BOLD, REGULAR

    def w(text: str, font: str = REGULAR) -> float:
        return stringWidth(text, font, _SIZE)

    least: list[float] = []
    natural: list[float] = []
    sample = texts[:400]
    total = texts[-1:] if table.total is not None else []  # in bold, a little wider

    def widest(i: int, pieces: Any) -> float:
        plain = max((w(piece) for row in sample for piece in pieces(row[i])), default=0.0)
        bold = max((w(piece, BOLD) for row in total for piece in pieces(row[i])), default=0.0)
        return max(plain, bold)

    for i, column in enumerate(table.columns):
        head = max((w(word, BOLD) for word in column.title.split()), default=0.0)
        if column.kind is Kind.TEXT:
            # split at plain spaces only: a code's no-break spaces keep it one piece
            words = widest(i, lambda text: text.split(" "))
            full = widest(i, lambda text: [text])
            least.append(max(head, words) + _PAD)
            natural.append(max(head, min(full, 70 * 2.835)) + _PAD)
        else:
            full = widest(i, lambda text: [text])
            least.append(max(head, full) + _PAD)
            natural.append(max(w(column.title, BOLD), full) + _PAD)
    if sum(least) > width:
        return None
    widths = list(least)
    spare = width - sum(widths)
    # first give every column what it would like, text in proportion to what it lacks
    wanted = [max(0.0, natural[i] - least[i]) for i in range(len(widths))]
    if sum(wanted) > 0:
        share = min(1.0, spare / sum(wanted))
        for i, extra in enumerate(wanted):
            widths[i] += extra * share
    spare = width - sum(widths)
    text_columns = [i for i, c in enumerate(table.columns) if c.kind is Kind.TEXT] or list(range(len(widths)))
    for i in text_columns:  # what is left widens the text columns, so the table fills the line
        widths[i] += spare / len(text_columns)
    return widths


def table_fits(table: Table, width: float, language: str) -> bool:
    return column_widths(table, _cell_texts(table, language), width) is not None


def _table(
    table: Table, width: float, style: dict[str, Any], language: str, pdf_table: Any, texts: list[list[str]]
) -> Any:
    from reportlab.platypus import Paragraph, TableStyle

    numeric = [i for i, c in enumerate(table.columns) if c.kind in _NUMERIC]
    widths = column_widths(table, texts, width)
    cell_style = style["cell_nosplit"]
    if widths is None:  # wider than even a landscape page: the cells may wrap inside words
        widths = [width / len(table.columns)] * len(table.columns)
        cell_style = style["cell"]
    header = [
        Paragraph(escape(c.title), style["head_right"] if c.kind in _NUMERIC else style["head"]) for c in table.columns
    ]
    rows: list[list[object]] = [header]
    # A text that fits its column on one line is drawn as a plain string, as numbers are: the same
    # font, size and place, without a Paragraph's parsing and wrapping (most of a table's cost).
    # The total row keeps its Paragraphs: its label stays in the regular font, as before.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from orto.pdf import REGULAR

    room = [w - _PAD for w in widths]
    text_columns = [c.kind is Kind.TEXT for c in table.columns]
    last = len(texts) - 1 if table.total is not None else -1
    for n, cells_text in enumerate(texts):
        cells: list[object] = list(cells_text)
        for i, text in enumerate(cells_text):
            if text_columns[i] and text and (n == last or "\n" in text or stringWidth(text, REGULAR, _SIZE) > room[i]):
                cells[i] = Paragraph(escape(text), cell_style)
        rows.append(cells)
    body = pdf_table(rows, widths, numeric_cols=numeric, total_row=table.total is not None)
    # A row that had a text cell was as tall as a Paragraph's leading, one of numbers alone as a
    # string's (1.2 × the size): the rows keep the height they had, so the pages break as before.
    had_text = [any(text_columns[i] and text for i, text in enumerate(cells)) for cells in texts]
    commands, n = [], 0
    while n < len(had_text):
        if not had_text[n]:
            n += 1
            continue
        start = n
        while n < len(had_text) and had_text[n]:
            n += 1
        commands.append(("LEADING", (0, start + 1), (-1, n), cell_style.leading))  # + 1: the header
    if commands:
        body.setStyle(TableStyle(commands))
    return body


def _drawing(chart: Chart, width: float, language: str) -> Any:
    """A line or bar chart; floats only here, for drawing."""
    from babel.numbers import format_decimal
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    from orto.locales import babel_locale
    from orto.pdf import register_fonts

    regular, _bold = register_fonts()
    scale = 100 if chart.unit is Kind.CENTS else 1000 if chart.unit is Kind.GRAMS else 1
    height = 150.0
    drawing = Drawing(width, height + 20)
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    # the axis of a year's days labels one day in thirty: the blank ones are not laid out at all
    object.__setattr__(plot.categoryAxis, "__class__", _sparse_axis(type(plot.categoryAxis)))
    plot.x, plot.y = 45, 30
    plot.width, plot.height = width - 60, height - 40
    plot.data = [[v / scale for v in values] for _name, values in chart.series] or [[0]]
    plot.categoryAxis.categoryNames = chart.labels
    step = max(1, len(chart.labels) // 12)
    plot.categoryAxis.categoryNames = [label if i % step == 0 else "" for i, label in enumerate(chart.labels)]
    plot.categoryAxis.labels.fontName = regular
    plot.categoryAxis.labels.fontSize = 7
    plot.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    plot.valueAxis.labels.fontName = regular
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.valueMin = 0
    plot.valueAxis.labelTextFormat = lambda v: format_decimal(v, format="#,##0.#", locale=babel_locale(language))
    for i, _series in enumerate(chart.series):
        colour = colors.HexColor(_CHART_COLOURS[i % len(_CHART_COLOURS)])
        if chart.kind == "bar":
            plot.bars[i].fillColor = colour
            plot.bars[i].strokeColor = colour
        else:
            plot.lines[i].strokeColor = colour
            plot.lines[i].strokeWidth = 1.5
    # The chart's widgets laid out into shapes here, once, rather than when the page is drawn, and
    # without the blank labels of the days between two shown dates (one a day, a few hundred over a
    # year, each a text box laid out to draw nothing): what is drawn is the same.
    drawing.add(_without_blank_labels(plot.draw()))
    drawing._plot = plot  # the labels look their style up in the plot's collections: keep them alive
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = 50, height + 12
        legend.fontName = regular
        legend.fontSize = 7
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.dx = legend.dy = 6
        legend.deltax = 110
        legend.colorNamePairs = [
            (colors.HexColor(_CHART_COLOURS[i % len(_CHART_COLOURS)]), name)
            for i, (name, _v) in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def _without_blank_labels(group: Any) -> Any:
    """The group with its widgets laid out into shapes (as the renderer would when drawing) and
    the labels that hold no text left out."""
    from reportlab.graphics.charts.textlabels import Label
    from reportlab.graphics.shapes import Group, UserNode

    kept = []
    for node in group.contents:
        if isinstance(node, Label):
            if node._text:
                kept.append(node)
            continue
        if isinstance(node, UserNode):
            node = node.provideNode()
        kept.append(_without_blank_labels(node) if isinstance(node, Group) else node)
    group.contents[:] = kept  # in place: the list is the group's own, already checked
    return group


_SPARSE_AXES: dict[Any, Any] = {}


def _sparse_axis(axis: Any) -> Any:
    """The chart's category axis, making a label only for the categories that show a name (the
    same label, at the same place; reportlab's own makes one for each, even a blank one)."""
    from reportlab.graphics.shapes import Group

    def make_tick_labels(self: Any) -> Any:
        g = Group()
        names = self.categoryNames
        if not self.visibleLabels or names is None or self.reverseDirection or self.labelAxisMode == "axispmv":
            return axis.makeTickLabels(self)
        y = self._labelAxisPos()
        for i in range(min(self._catCount, len(names))):
            if not names[i]:
                continue
            label = self.labels[i - self._catCount] if (i - self._catCount) in self.labels else self.labels[i]
            label.setOrigin(self._x + (i + label.labelPosFrac) * self._barWidth, y)
            label.setText(names[i])
            g.add(label)
        return g

    if axis not in _SPARSE_AXES:
        _SPARSE_AXES[axis] = type(f"Sparse{axis.__name__}", (axis,), {"makeTickLabels": make_tick_labels})
    return _SPARSE_AXES[axis]
