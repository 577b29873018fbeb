"""The bar's quick keys: its products by group (coffee, drinks, food), with the keyboard or the mouse.

The groups come in the catalog's order of categories (the demo's: coffee, drinks, food), not
alphabetically: the coffee a bar sells most is at the top. Each key is one line, so that at 80×24
a whole group is in sight; the side panel is wider at a bar when the terminal is (``SaleScreen``),
and the keys take two columns when there is room for their names.
"""

from __future__ import annotations

from sqlalchemy import select
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Button, Label

from orto.db import Database
from orto.models import Category, Product


def quick_products(db: Database) -> list[tuple[str, list[tuple[int, str]]]]:
    with db.read() as session:
        rows = session.execute(
            select(Category.quick_key_group, Product.id, Product.name)
            .join(Product, Product.category_id == Category.id)
            .where(Category.quick_key_group.is_not(None), Product.active.is_(True))
            .order_by(Category.id, Product.name)
        ).all()
    groups: dict[str, list[tuple[int, str]]] = {}  # in the order the groups are first met
    for group, product_id, name in rows:
        groups.setdefault(group or "", []).append((product_id, name))
    return [(group, sorted(products, key=lambda p: p[1].casefold())) for group, products in groups.items()]


class QuickKeys(VerticalScroll, can_focus=False):
    """Tab from the entry lands on the first key itself, not on the panel around the keys."""

    def compose(self) -> ComposeResult:
        yield Label("…")

    def on_mount(self) -> None:
        screen = self.screen
        screen.call(quick_products, screen.ctx.db, done=self._fill)  # type: ignore[attr-defined]

    def _fill(self, groups: list[tuple[str, list[tuple[int, str]]]]) -> None:
        self.remove_children()
        for group, products in groups:
            self.mount(Label(group.upper(), classes="quick-group"))
            grid = Grid(classes="quick-grid")
            self.mount(grid)
            grid.mount_all([Button(name, id=f"q{pid}", classes="quick") for pid, name in products])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("q"):
            self.screen.add_quick(int(event.button.id[1:]))  # type: ignore[attr-defined]
            self.screen.query_one("#entry").focus()
