"""The cooperative's A4 documents: embedded font, header, page numbers "pagina N di M".

DejaVu Sans is embedded (it ships in ``orto/fonts`` with its licence) because the PDF base fonts
have no €, no accented capitals in every viewer and no ≤/≥ used by HACCP limits: every character
a report or document prints must come out the same on any machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from orto.i18n import format_datetime
from orto.i18n import gettext as _

FONTS = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MARGIN = 15 * mm
# the footer's baseline: its descenders stay clear of the 10 mm a printer may not print
FOOTER_Y = 12 * mm


def register_fonts() -> tuple[str, str]:
    """Register the embedded fonts once; returns (regular, bold) font names."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (REGULAR, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD


def styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=8.5, leading=10.5),
        # table cells never cut a word: the column widths make room for the longest one
        "cell_nosplit": ParagraphStyle("cell_nosplit", parent=body, fontSize=8.5, leading=10.5, splitLongWords=0),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=8.5, leading=10.5, splitLongWords=0),
        "head_right": ParagraphStyle(
            "head_right", parent=body, fontName=bold, fontSize=8.5, leading=10.5, splitLongWords=0, alignment=TA_RIGHT
        ),
    }


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None = None,
    *,
    header_rows: int = 1,
    numeric_cols: Sequence[int] = (),
    total_row: bool = False,
) -> Table:
    """A plain, readable table: bold shaded header repeated on each page, numbers right-aligned."""
    regular, bold = register_fonts()
    result = Table([list(r) for r in rows], colWidths=col_widths, repeatRows=header_rows)
    commands: list[Any] = [
        ("FONT", (0, 0), (-1, -1), regular, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), bold, 8.5),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8efe3")),
        ]
    for col in numeric_cols:
        commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    if len(rows) > header_rows + 1:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]))
    if total_row:
        commands += [("FONT", (0, -1), (-1, -1), bold, 8.5), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]
    result.setStyle(TableStyle(commands))
    return result


def build_pdf(
    target: str | Path | IO[bytes],
    *,
    title: str,
    site_label: str,
    story: list[Flowable],
    company_name: str = "Fuori e Dentro",
    landscape_page: bool = False,
    printed_at: datetime | None = None,
) -> None:
    """Write the document: each page has the company, site and title on top and its number below."""
    regular, bold = register_fonts()
    size = landscape(A4) if landscape_page else A4
    stamp = format_datetime(printed_at or datetime.now(UTC))  # shown in Milan's time
    document = SimpleDocTemplate(
        target if not isinstance(target, Path) else str(target),
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 10 * mm,
        bottomMargin=MARGIN + 5 * mm,
        title=title,
        author=company_name,
        creator="Orto",
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        width, height = size
        canvas.saveState()
        canvas.setFont(bold, 9)
        canvas.drawString(MARGIN, height - MARGIN, company_name)
        canvas.setFont(regular, 9)
        canvas.drawRightString(width - MARGIN, height - MARGIN, f"{site_label} · {title}")
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, height - MARGIN - 3 * mm, width - MARGIN, height - MARGIN - 3 * mm)
        canvas.setFont(regular, 7.5)
        canvas.drawString(MARGIN, FOOTER_Y, _("Printed {when} by Orto").format(when=stamp))
        canvas.restoreState()

    document.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_numbered_canvas(regular))


def _numbered_canvas(font: str) -> type[Canvas]:
    """A canvas that knows the page count when it writes "page N of M" (pages are kept until save)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(font, 7.5)
                self.drawRightString(
                    width - MARGIN,
                    FOOTER_Y,
                    _("page {n} of {total}").format(n=self._pageNumber, total=total),
                )
                super().showPage()
            super().save()

    return NumberedCanvas
