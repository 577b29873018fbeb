"""A list whose entries are chosen by their number, with a mark when some are out of sight.

Typing a number chooses its entry at once when no longer number could follow (``7`` of 12);
otherwise it is highlighted and the next digit or Enter decides (``1`` then ``2`` is 12, ``1``
then Enter is 1). The line under the list says how many entries are above and below the visible
part, so that at 80×24 a hidden entry is never a surprise.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList, Static

from orto.i18n import gettext as _


class NumberedList(OptionList):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._typed = ""

    def on_key(self, event: events.Key) -> None:
        if event.character is None or not event.character.isdigit():
            self._typed = ""
            return
        event.stop()
        event.prevent_default()
        typed = self._typed + event.character
        number = int(typed)
        if not 1 <= number <= self.option_count:
            typed, number = event.character, int(event.character)
            if not 1 <= number <= self.option_count:
                self._typed = ""
                return
        self.highlighted = number - 1
        if number * 10 > self.option_count:  # nothing longer can follow: choose it now
            self._typed = ""
            self.action_select()
        else:
            self._typed = typed

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.call_after_refresh(self._mark)

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark)

    def on_mount(self) -> None:
        self.call_after_refresh(self._mark)

    def hidden(self) -> tuple[int, int]:
        """How many entries are above and below what is on screen."""
        first = int(self.scroll_y)
        shown = self.scrollable_content_region.height
        return first, max(0, self.option_count - first - shown)

    def _mark(self) -> None:
        marks = list(self.screen.query(f"#{self.id}-more")) if self.id else []
        above, below = self.hidden()
        text = "  ".join(
            t
            for t in (
                _("↑ {n} more above").format(n=above) if above else "",
                _("↓ {n} more below").format(n=below) if below else "",
            )
            if t
        )
        for mark in marks:
            if isinstance(mark, Static):
                mark.update(text)
