"""orto / orto till: open the till for the counter in orto.toml (a first-run wizard without one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orto.db import Database
from pos.cli.app import app, state

if TYPE_CHECKING:
    from pos.tui.context import CounterInfo


def _counter_info(db: Database, code: str) -> CounterInfo:
    from sqlalchemy import select

    from orto.errors import ConfigError
    from orto.models import Counter
    from pos.tui.context import CounterInfo

    with db.read() as session:
        counter = session.scalar(select(Counter).where(Counter.code == code))
        if counter is None:
            raise ConfigError(f"orto.toml: counter {code!r} is not in the database (see orto info)")
        return CounterInfo(
            counter.id, counter.code, counter.name, counter.kind, counter.site_id, counter.site.code, counter.site.name
        )


def open_till(database: Database | None = None, demo: bool = False) -> None:
    """Open the Textual till; a brand-new database gets its schema, an old one must be upgraded first."""
    from orto.schema import ensure_current, is_empty, upgrade

    db = database or state.database(check_schema=False)
    if is_empty(db):
        upgrade(db)
    ensure_current(db)
    settings = state.settings
    counter = None
    if demo:
        from pos.demo import DEMO_COUNTER

        counter = _counter_info(db, DEMO_COUNTER)
    elif settings.counter:
        counter = _counter_info(db, settings.counter)
    pins: list[tuple[str, str, str]] = []
    if demo:
        from pos.demo_data import USERS

        pins = list(USERS)
    from pos.tui.app import OrtoTill

    OrtoTill(db, settings, counter, demo_pins=pins).run()


@app.command("till")
def till() -> None:
    """Open the till (what plain 'orto' does)."""
    open_till()
