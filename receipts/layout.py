"""A printed document as a list of elements, and its plain-text rendering.

Layouts are pure data: documents (receipts.documents) build them from snapshots, the ESC/POS
renderer (receipts.escpos_render) turns them into bytes for a printer, and ``render_text``
turns them into the text the till shows as a preview and the golden tests compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # double width and height: totals, kitchen tickets


@dataclass(frozen=True)
class Columns:
    """A left and a right part on one line (description ... amount)."""

    left: str
    right: str
    bold: bool = False
    double: bool = False


@dataclass(frozen=True)
class Spans:
    """Running text with bold parts (allergens in an ingredient list): (text, bold) pairs."""

    parts: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Barcode:
    data: str  # CODE128


@dataclass(frozen=True)
class QRCode:
    data: str


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Element = Text | Columns | Spans | Rule | Barcode | QRCode | Feed


@dataclass(frozen=True)
class Layout:
    elements: tuple[Element, ...]
    width: int  # characters per line at normal size: 42 (58 mm) or 48 (80 mm)


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width`` (long words are cut), keeping at least one line.

    A line that fits is kept as it is, spaces included (indents, table columns).
    """
    if len(text) <= width:
        return [text]
    words, lines, current = text.split(), [], ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def columns_lines(left: str, right: str, width: int) -> list[str]:
    """``left`` wrapped, ``right`` flush right on the last line (or on its own line if too long)."""
    room = width - len(right) - 1
    parts = wrap(left, max(room, 8))
    last = parts[-1]
    if len(last) + 1 + len(right) <= width:
        return [*parts[:-1], last + " " * (width - len(last) - len(right)) + right]
    return [*parts, right.rjust(width)]


def span_lines(parts: tuple[tuple[str, bool], ...], width: int) -> list[list[tuple[str, bool]]]:
    """Word-wrap bold/plain parts at spaces only; a word may mix bold and plain segments ("(latte),")."""
    words: list[list[tuple[str, bool]]] = [[]]
    for text, bold in parts:
        pieces = text.split(" ")
        for i, piece in enumerate(pieces):
            if i:
                words.append([])
            if piece:
                words[-1].append((piece, bold))
    words = [w for w in words if w]
    lines: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for word in words:
        length = sum(len(t) for t, _b in word)
        if used and used + 1 + length > width:
            lines.append([])
            used = 0
        if used:
            lines[-1].append((" ", False))
            used += 1
        lines[-1].extend(word)
        used += length
    return lines


def _aligned(text: str, width: int, align: Align) -> str:
    if align == "center":
        return text.center(width).rstrip()
    if align == "right":
        return text.rjust(width)
    return text


def render_text(layout: Layout) -> str:
    """The layout as monospaced text; double-size text takes half the width, as on paper."""
    out: list[str] = []
    for element in layout.elements:
        if isinstance(element, Text):
            width = layout.width // 2 if element.double else layout.width
            for line in element.text.split("\n"):
                out.extend(_aligned(part, width, element.align) for part in wrap(line, width))
        elif isinstance(element, Columns):
            width = layout.width // 2 if element.double else layout.width
            out.extend(columns_lines(element.left, element.right, width))
        elif isinstance(element, Spans):
            for span_line in span_lines(element.parts, layout.width):
                out.append("".join(w.upper() if bold else w for w, bold in span_line).rstrip())
        elif isinstance(element, Rule):
            out.append(element.char * layout.width)
        elif isinstance(element, Barcode):
            out.append(f"|| {element.data} ||".center(layout.width).rstrip())
        elif isinstance(element, QRCode):
            out.append(f"[QR {element.data}]".center(layout.width).rstrip())
        elif isinstance(element, Feed):
            out.extend([""] * element.lines)
    return "\n".join(out) + "\n"
