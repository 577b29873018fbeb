"""What every screen of the till needs: the database, settings, the counter, who is logged in.

Nothing here loads SQLAlchemy: the login screen is drawn before it is (``orto.driver``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orto.config import Settings
from orto.enums import CounterKind
from orto.errors import OrtoError
from orto.i18n import gettext as _

if TYPE_CHECKING:
    from inventory.search import ProductIndex
    from orto.db import Database
    from orto.driver import EarlyStart
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

    @classmethod
    def from_early(cls, early: EarlyStart) -> CounterInfo:
        """The counter as ``orto.driver`` read it for the login."""
        return cls(
            early.counter_id,
            early.counter_code,
            early.counter_name,
            early.counter_kind,
            early.site_id,
            early.site_code,
            early.site_name,
        )


@dataclass
class TillContext:
    # None while the database opens behind the login screen (``OrtoTill.opening``); workers wait
    # for it (``TillScreen.call``), so a screen only ever sees it open.
    database: Database | None
    settings: Settings
    counter: CounterInfo
    operator: Operator | None = None
    demo_pins: list[tuple[str, str, str]] = field(default_factory=list)
    # The catalog in memory for searching as you type: loaded in a worker while the login screen
    # shows (None until then: the till works, search results appear once it is there).
    index: ProductIndex | None = None

    @property
    def db(self) -> Database:
        if self.database is None:
            raise OrtoError(_("the database is still opening: try again in a moment"))
        return self.database

    @property
    def fiscal_printer(self) -> str | None:
        """The counter's RT: its documento commerciale replaces the slip."""
        return self.settings.counter_printers.get(self.counter.code, {}).get("fiscal")

    @property
    def receipt_printer(self) -> str | None:
        return self.settings.counter_printers.get(self.counter.code, {}).get("receipt")
