"""The cart on the sale screen: a table drawn line by line, each row drawn once.

Textual's DataTable draws every visible cell again after any change (its caches are keyed on
an update counter), which was 30 ms of the 50 ms a scan may take to reach the screen with a
full basket. A cart is simpler than a DataTable: a few columns of short text, one selected
row, no editing in place. So each row becomes one ``Strip`` the first time it is seen and is
reused until its text, its stripe, the selection or the width changes; a scan draws one new
row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

Row = tuple[str, ...]


def _fit(text: str, width: int, right: bool) -> str:
    """Pad or cut ``text`` to exactly ``width`` cells; a cut ends with an ellipsis."""
    length = cell_len(text)
    if length > width:
        cut = text
        while cut and cell_len(cut) > width - 1:
            cut = cut[:-1]
        return (cut + "…")[:width] if width else ""
    padding = " " * (width - length)
    return padding + text if right else text + padding


class CartTable(Widget):
    """Rows of text under a header; the first column takes the room left, the others are right-aligned.

    Only as much as fits is drawn: the rows shown follow the selected row, and the header says
    how many rows are hidden above and below. Keys belong to the screen (the entry keeps the
    focus); the mouse selects a row by clicking it and moves the selection with the wheel.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"cart--header", "cart--even", "cart--cursor"}
    DEFAULT_CSS = """
    CartTable {
        background: $surface;
        color: $foreground;
        & > .cart--header { text-style: bold; background: $panel; color: $foreground; }
        & > .cart--even { background: $surface-lighten-1 50%; }
        & > .cart--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: Row = ()
        self.rows: list[Row] = []
        self.cursor_row = -1
        self._top = 0
        self._widths: list[int] = []
        self._strips: dict[tuple[Row, str, int], Strip] = {}
        self._styles: dict[str, Style] = {}

    # ------------------------------------------------------------------ what the screen calls

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_columns(self, *labels: str) -> None:
        self.columns = labels
        self._changed()

    def set_rows(self, rows: Sequence[Row], cursor: int) -> None:
        """Show ``rows`` with ``cursor`` selected (clamped; -1 when there are none)."""
        if len(self._strips) > 3 * len(rows) + 32:  # the rows of earlier sales
            self._strips.clear()
        self.rows = list(rows)
        self.cursor_row = min(max(cursor, 0), len(rows) - 1) if rows else -1
        self._changed()

    def move_cursor(self, row: int) -> None:
        if self.rows:
            self.cursor_row = min(max(row, 0), len(self.rows) - 1)
            self._follow_cursor()
            self.refresh()

    # ------------------------------------------------------------------ drawing

    def _changed(self) -> None:
        widths = self._column_widths(self.size.width)
        if widths != self._widths:
            self._widths = widths
            self._strips.clear()
        self._follow_cursor()
        self.refresh()

    def _column_widths(self, width: int) -> list[int]:
        if not self.columns:
            return []
        rest = [
            max([cell_len(self.columns[i])] + [cell_len(row[i]) for row in self.rows])
            for i in range(1, len(self.columns))
        ]
        # one space between columns and one at each edge
        first = max(width - sum(rest) - len(self.columns) - 1, 4)
        return [first, *rest]

    def _follow_cursor(self) -> None:
        room = max(self.size.height - 1, 1)
        if self.cursor_row < 0:
            self._top = 0
        elif self.cursor_row < self._top:
            self._top = self.cursor_row
        elif self.cursor_row >= self._top + room:
            self._top = self.cursor_row - room + 1
        self._top = max(0, min(self._top, max(len(self.rows) - room, 0)))

    def on_resize(self, _event: events.Resize) -> None:
        self._changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        if name not in self._styles:
            base = self.rich_style
            self._styles[name] = base if name == "base" else base + self.get_component_rich_style(name)
        return self._styles[name]

    def _line(self, cells: Row) -> str:
        widths = self._widths
        parts = [_fit(cell, width, right=i > 0) for i, (cell, width) in enumerate(zip(cells, widths, strict=False))]
        return " " + " ".join(parts) + " "

    def _header(self) -> Row:
        hidden_above = self._top
        hidden_below = max(len(self.rows) - self._top - max(self.size.height - 1, 1), 0)
        marks = (f" ↑{hidden_above}" if hidden_above else "") + (f" ↓{hidden_below}" if hidden_below else "")
        return (self.columns[0] + marks, *self.columns[1:])

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not self._widths:
            return Strip.blank(width, self._style("base"))
        if y == 0:
            cells, kind = self._header(), "cart--header"
        else:
            index = self._top + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, self._style("base"))
            cells = self.rows[index]
            kind = "cart--cursor" if index == self.cursor_row else ("cart--even" if index % 2 else "base")
        key = (cells, kind, width)
        strip = self._strips.get(key)
        if strip is None:
            line = Strip([Segment(self._line(cells), self._style(kind))])
            strip = line.crop_extend(0, width, self._style("base"))
            self._strips[key] = strip
        return strip

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + 1

    # ------------------------------------------------------------------ the mouse

    def on_click(self, event: events.Click) -> None:
        if 1 <= event.y <= len(self.rows) - self._top:
            self.move_cursor(self._top + event.y - 1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.move_cursor(self.cursor_row + 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.move_cursor(self.cursor_row - 1)
