"""What every screen of the till needs: the database, settings, the counter, who is logged in."""

from __future__ import annotations

from dataclasses import dataclass, field

from orto.config import Settings
from orto.db import Database
from orto.models import CounterKind
from pos.selling import Operator


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

    @property
    def receipt_printer(self) -> str | None:
        return self.settings.counter_printers.get(self.counter.code, {}).get("receipt")
