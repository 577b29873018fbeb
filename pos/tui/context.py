"""What every screen of the till needs: the database, settings, the counter, who is logged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orto.config import Settings
from orto.db import Database
from orto.models import CounterKind
from pos.selling import Operator

if TYPE_CHECKING:
    from inventory.search import ProductIndex


@dataclass
class CounterInfo:
    id: int
    code: str
    name: str
    kind: CounterKind
    site_id: int
    site_code: str
    site_name: str


@dataclass
class TillContext:
    db: Database
    settings: Settings
    counter: CounterInfo
    operator: Operator | None = None
    demo_pins: list[tuple[str, str, str]] = field(default_factory=list)
    # The catalog in memory for searching as you type: loaded in a worker while the login screen
    # shows (None until then: the till works, search results appear once it is there).
    index: ProductIndex | None = None

    @property
    def receipt_printer(self) -> str | None:
        return self.settings.counter_printers.get(self.counter.code, {}).get("receipt")
