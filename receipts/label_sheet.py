"""Lot labels on A4 sheets of adhesive labels (PDF), for an office printer instead of the label printer.

The grid is the stock's: ``[labels.sheet]`` in orto.toml gives columns × rows, the label's size,
the sheet's top and left margins and the gaps between labels (default: 2 × 4 labels of
99,1 × 67,7 mm, as the common 8-per-sheet stock). Each label is the same layout the ESC/POS
printer gets (receipts.documents.lot_label): allergens in bold inside the ingredient list, the
lot's CODE128 under it. The text takes the largest size from 9 down to 5 points at which the
whole label fits its cell inside ``padding_mm``; a label that does not fit even at 5 points is
refused, naming the cell's size, rather than printed cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orto.errors import ConfigError, InvalidInput
from receipts.layout import Barcode, Columns, Feed, Layout, Rule, Spans, Text

A4_MM = (210.0, 297.0)
SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)
BARCODE_MM = 9.0  # the bars' height: a handheld scanner reads it at a glance


@dataclass(frozen=True)
class SheetGrid:
    columns: int = 2
    rows: int = 4
    label_width_mm: float = 99.1
    label_height_mm: float = 67.7
    margin_top_mm: float = 13.1
    margin_left_mm: float = 4.65
    gap_x_mm: float = 2.5
    gap_y_mm: float = 0.0
    padding_mm: float = 4.0  # inside each label: office printers do not print to a label's edge

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> SheetGrid:
        values: dict[str, Any] = {}
        for name, default in cls().__dict__.items():
            value = options.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"[labels.sheet] {name} = {value!r}: a number of millimetres or labels, not negative")
            values[name] = type(default)(value) if isinstance(default, float) else value
        grid = cls(**values)
        if grid.columns < 1 or grid.rows < 1 or not isinstance(grid.columns, int) or not isinstance(grid.rows, int):
            raise ConfigError("[labels.sheet] columns and rows: whole numbers from 1")
        width = grid.margin_left_mm + grid.columns * grid.label_width_mm + (grid.columns - 1) * grid.gap_x_mm
        height = grid.margin_top_mm + grid.rows * grid.label_height_mm + (grid.rows - 1) * grid.gap_y_mm
        if width > A4_MM[0] + 0.01 or height > A4_MM[1] + 0.01:
            raise ConfigError(
                f"[labels.sheet] the grid is {width:.1f} × {height:.1f} mm, larger than an A4 sheet (210 × 297 mm)"
            )
        if 2 * grid.padding_mm >= min(grid.label_width_mm, grid.label_height_mm):
            raise ConfigError("[labels.sheet] padding_mm leaves no room inside the label")
        return grid

    def origin_mm(self, position: int) -> tuple[float, float]:
        """The top-left corner of the label at ``position`` (0 = top left, row by row)."""
        row, column = divmod(position % self.per_sheet, self.columns)
        x = self.margin_left_mm + column * (self.label_width_mm + self.gap_x_mm)
        y = self.margin_top_mm + row * (self.label_height_mm + self.gap_y_mm)
        return x, y


Word = list[tuple[str, bool]]


def _words(parts: Sequence[tuple[str, bool]]) -> list[Word]:
    words: list[Word] = [[]]
    for text, bold in parts:
        for n, piece in enumerate(text.split(" ")):
            if n:
                words.append([])
            if piece:
                words[-1].append((piece, bold))
    return [w for w in words if w]


class _Fonts:
    def __init__(self) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from orto.pdf import register_fonts

        self.regular, self.bold = register_fonts()
        self._width = stringWidth

    def name(self, bold: bool) -> str:
        return self.bold if bold else self.regular

    def width(self, word: Word, size: float) -> float:
        return sum(self._width(text, self.name(bold), size) for text, bold in word)


@dataclass
class _Line:
    words: list[Word]
    size: float
    align: str


def _wrap(fonts: _Fonts, parts: Sequence[tuple[str, bool]], size: float, room: float, align: str) -> list[_Line]:
    space = fonts.width([(" ", False)], size)
    lines: list[_Line] = [_Line([], size, align)]
    used = 0.0
    for word in _words(parts):
        width = fonts.width(word, size)
        if lines[-1].words and used + space + width > room:
            lines.append(_Line([], size, align))
            used = 0.0
        used += (space if lines[-1].words else 0.0) + width
        lines[-1].words.append(word)
    return lines


def _blocks(fonts: _Fonts, layout: Layout, size: float, room: float) -> list[_Line | Barcode]:
    blocks: list[_Line | Barcode] = []
    for element in layout.elements:
        if isinstance(element, Text):
            scaled = size * (1.5 if element.double else 1)
            for text in element.text.split("\n"):
                blocks += _wrap(fonts, [(text, element.bold)], scaled, room, element.align)
        elif isinstance(element, Columns):
            blocks += _wrap(fonts, [(f"{element.left} {element.right}", element.bold)], size, room, "left")
        elif isinstance(element, Spans):
            blocks += _wrap(fonts, element.parts, size, room, "left")
        elif isinstance(element, Barcode):
            blocks.append(element)
        elif isinstance(element, Feed | Rule):
            blocks.append(_Line([], size, "left"))
    return blocks


def _height(blocks: Sequence[_Line | Barcode], mm: float) -> float:
    total = 0.0
    for block in blocks:
        if isinstance(block, _Line):
            total += block.size * 1.2
        else:
            total += BARCODE_MM * mm + 2 * mm
    return total


def _fit(fonts: _Fonts, layout: Layout, width: float, height: float, mm: float) -> list[_Line | Barcode]:
    for size in SIZES:
        blocks = _blocks(fonts, layout, size, width)
        if _height(blocks, mm) <= height:
            return blocks
    raise InvalidInput(
        f"the label does not fit a {width / mm:.0f} × {height / mm:.0f} mm space even at {SIZES[-1]:g} points: "
        "choose a larger label in [labels.sheet]"
    )


def _runs(words: Sequence[Word]) -> list[tuple[str, bool]]:
    runs: list[tuple[str, bool]] = []
    for n, word in enumerate(words):
        for i, (text, bold) in enumerate(([(" ", False)] if n else []) + word):
            if runs and (runs[-1][1] == bold or (text == " " and i == 0)):
                runs[-1] = (runs[-1][0] + text, runs[-1][1])
            else:
                runs.append((text, bold))
    return runs


def _draw(canvas: Any, fonts: _Fonts, blocks: Sequence[_Line | Barcode], x: float, top: float, room: float) -> None:
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.lib.units import mm

    y = top
    for block in blocks:
        if isinstance(block, _Line):
            y -= block.size * 1.2
            space = fonts.width([(" ", False)], block.size)
            width = sum(fonts.width(w, block.size) for w in block.words) + space * max(len(block.words) - 1, 0)
            cursor = x + {"center": (room - width) / 2, "right": room - width}.get(block.align, 0.0)
            for text, bold in _runs(block.words):  # one string per style: the PDF's text reads whole
                canvas.setFont(fonts.name(bold), block.size)
                canvas.drawString(cursor, y + block.size * 0.25, text)
                cursor += fonts.width([(text, bold)], block.size)
            continue
        y -= 2 * mm + BARCODE_MM * mm
        bar = 0.33 * mm  # the X dimension of the GS1 recommendations for CODE128
        symbol = Code128(block.data, barHeight=BARCODE_MM * mm, barWidth=bar, quiet=False)
        if symbol.width > room:
            symbol = Code128(block.data, barHeight=BARCODE_MM * mm, barWidth=bar * room / symbol.width, quiet=False)
        symbol.drawOn(canvas, x + (room - symbol.width) / 2, y)


def write_sheets(layouts: Sequence[Layout], out: Path | Any, grid: SheetGrid, *, skip: int = 0) -> int:
    """Draw ``layouts`` one per label from position ``skip`` (labels already used on the first
    sheet); returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    if skip < 0 or skip >= grid.per_sheet:
        raise InvalidInput(f"skip {skip}: from 0 to {grid.per_sheet - 1} labels already used on the sheet")
    if not layouts:
        raise InvalidInput("no labels to print")
    fonts = _Fonts()
    canvas = Canvas(str(out) if isinstance(out, Path) else out, pagesize=A4)
    canvas.setTitle("Etichette")
    room = (grid.label_width_mm - 2 * grid.padding_mm) * mm
    room_height = (grid.label_height_mm - 2 * grid.padding_mm) * mm
    fitted: dict[int, list[_Line | Barcode]] = {}
    pages = 1
    for n, layout in enumerate(layouts):
        position = skip + n
        if position and position % grid.per_sheet == 0:
            canvas.showPage()
            pages += 1
        blocks = fitted.setdefault(id(layout), _fit(fonts, layout, room, room_height, mm))
        left, top = grid.origin_mm(position)
        _draw(canvas, fonts, blocks, (left + grid.padding_mm) * mm, A4[1] - (top + grid.padding_mm) * mm, room)
    canvas.save()
    return pages


def lot_sheet(db: Any, settings: Any, lot_code: str, out: Path, *, copies: int, skip: int = 0) -> int:
    """``copies`` labels of one lot on A4 sheets written to ``out``; returns the number of pages."""
    from receipts.documents import lot_label
    from receipts.labels import lot_label_document

    if copies < 1 or copies > 1000:
        raise InvalidInput(f"copies {copies}: from 1 to 1000")
    grid = SheetGrid.from_options(dict(settings.section("labels").get("sheet", {})))
    with db.read() as session:
        document = lot_label_document(session, settings, lot_code)
    layout = lot_label(document)
    return write_sheets([layout] * copies, out, grid, skip=skip)
