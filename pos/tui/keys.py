"""The keys at the bottom of every screen of the till.

Textual's Footer makes a widget per key and rebuilds them whenever the bindings change; on the
till that was 0.18 s of every screen switch (login → sale, F10 → payment), more than the rest of
the switch together. This bar draws the same keys as text, recomputed only when the screen's
bindings or its width change. A click on a key presses it, so the mouse still works.

Every key stays in sight, with words a cashier can read: the keys take one line when they fit
whole, else two lines split evenly (the payment screen at 80 columns: cutting "Carta" and
"Carta regalo" to the same "Car." made F6 and F8 look alike), and only when two lines are not
enough are the longest descriptions shortened.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import ModalScreen, Screen
from textual.widget import Widget


class KeyBar(Widget, can_focus=False):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[tuple[str, str, str]] = []  # (key to press, as shown, what it does)
        self._spans: list[tuple[int, int, int, str]] = []  # (line, first cell, after the last, key to press)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self._read_keys()

    def _read_keys(self) -> None:
        keys: list[tuple[str, str, str]] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in actions:
                actions.add(binding.action)
                keys.append((binding.key, self.app.get_key_display(binding), binding.description))
        if keys != self._keys:
            self._keys = keys
            self._fit_height()
            self.refresh()

    @staticmethod
    def _width(items: list[tuple[str, str, str]], longest: int | None = None) -> int:
        """Cells taken by ``items`` on one line: "f2" + " " + description + " " each."""
        return sum(
            cell_len(shown) + 2 + (cell_len(d) if longest is None else min(cell_len(d), longest))
            for _key, shown, d in items
        )

    def _layout(self, width: int) -> tuple[list[list[tuple[str, str, str]]], int | None]:
        """The keys by line (one or two) and how long a description may be (None: all whole)."""
        keys = self._keys
        if width <= 0 or self._width(keys) <= width or len(keys) < 2:
            return [keys], None
        splits = [(keys[:i], keys[i:]) for i in range(1, len(keys))]
        first, second = min(splits, key=lambda pair: max(self._width(pair[0]), self._width(pair[1])))
        longest = max((cell_len(d) for _k, _s, d in keys), default=3)
        while longest > 3 and max(self._width(first, longest), self._width(second, longest)) > width:
            longest -= 1
        return [first, second], None if longest == max(cell_len(d) for _k, _s, d in keys) else longest

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        lines, longest = self._layout(self.size.width)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans = []
        for y, items in enumerate(lines):
            if y:
                text.append("\n")
            start_of_line = text.cell_len
            for key, shown, description in items:
                if longest is not None and cell_len(description) > longest:
                    description = description[: longest - 1] + "."
                start = text.cell_len - start_of_line
                text.append(shown, key_style)
                text.append(f" {description} ", description_style)
                spans.append((y, start, text.cell_len - start_of_line, key))
        self._spans = spans
        return text

    def _fit_height(self) -> None:
        # over another screen (a modal: the menu, a prompt) at least as tall as the keys below,
        # so that none of the keys of the screen underneath shows through
        height = max(len(self._layout(self.size.width)[0]), self._height_below())
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height

    def _height_below(self) -> int:
        screen = self.screen
        if not isinstance(screen, ModalScreen):
            return 1
        stack = self.app.screen_stack
        if screen not in stack or stack.index(screen) == 0:
            return 1
        below = stack[stack.index(screen) - 1].query(KeyBar)
        # as those bars lay their keys out at this width: their own size may not follow a resize yet
        return max((len(bar._layout(self.size.width)[0]) for bar in below), default=1)

    def on_resize(self, _event: events.Resize) -> None:
        self._fit_height()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for y, start, end, key in self._spans:
            if y == event.y and start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
