"""The line of keys at the bottom of every screen of the till.

Textual's Footer makes a widget per key and rebuilds them whenever the bindings change; on the
till that was 0.18 s of every screen switch (login → sale, F10 → payment), more than the rest of
the switch together. This bar draws the same keys as one line of text, recomputed only when the
screen's bindings change. A click on a key presses it, so the mouse still works. When the line
is wider than the terminal (the sale screen at 80 columns), the descriptions are shortened alike,
so that every key stays in sight: F10 and F12 at the end of the line matter most.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
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
        self._spans: list[tuple[int, int, str]] = []  # (first cell, after the last, key to press)

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
            self.refresh()

    def _longest_description(self) -> int | None:
        """How long a description may be for every key to fit; None when they all fit whole."""
        keys = sum(cell_len(shown) + 2 for _key, shown, _d in self._keys)  # "f2" + " " + ... + " "
        lengths = [cell_len(description) for _key, _shown, description in self._keys]
        if keys + sum(lengths) <= self.size.width:
            return None
        longest = max(lengths, default=3)
        while longest > 3 and keys + sum(min(n, longest) for n in lengths) > self.size.width:
            longest -= 1
        return longest

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        longest = self._longest_description()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans = []
        for key, shown, description in self._keys:
            if longest is not None and cell_len(description) > longest:
                description = description[: longest - 1] + "."
            start = line.cell_len
            line.append(shown, key_style)
            line.append(f" {description} ", description_style)
            spans.append((start, line.cell_len, key))
        self._spans = spans
        return line

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
