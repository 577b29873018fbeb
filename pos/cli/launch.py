"""Opening the till, and the exit codes of every command; without typer.

Plain ``orto`` (or ``orto till``, with at most ``--db`` and ``--lang``) is what the counter staff
run every morning, so it skips the command-line framework: parsing with typer costs a third of
a second (it loads pydantic to convert the options), which is a third of the till's start.
Every other command goes through typer (``pos.cli.app``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from orto.errors import ConfigError, DatabaseUnavailable, OrtoError, SchemaOutdated

if TYPE_CHECKING:
    from orto.config import Settings
    from orto.db import Database
    from pos.tui.context import CounterInfo

EXIT_INPUT = 1  # the input was wrong (a bad file, an unknown site): nothing was written
EXIT_UNAVAILABLE = 2  # the database or configuration cannot be used
EXIT_UNEXPECTED = 3


def plain_till_args(args: list[str]) -> tuple[str | None, str | None] | None:
    """(db, lang) when ``args`` only open the till; None for anything else (help, a command)."""
    db = lang = None
    rest = list(args)
    command_seen = False
    while rest:
        option = rest.pop(0)
        name, sep, value = option.partition("=")
        if name in ("--db", "--lang"):
            if not sep:  # "--db URL"; a missing value is typer's to explain
                if not rest or rest[0].startswith("-"):
                    return None
                value = rest.pop(0)
            if name == "--db":
                db = value or None  # "--db=" names none: the configured database, as with typer
            else:
                lang = value or None
        elif option == "till" and not command_seen:  # the global options may come after it too
            command_seen = True
        else:
            return None
    return db, lang


def exit_code_for(exc: BaseException) -> int:
    """An OrtoError becomes one line on stderr and the exit code that says what kind it was."""
    if isinstance(exc, DatabaseUnavailable | SchemaOutdated | ConfigError):
        print(f"orto: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if isinstance(exc, OrtoError):
        print(f"orto: {exc}", file=sys.stderr)
        return EXIT_INPUT
    return unexpected(exc)


def unexpected(exc: BaseException) -> int:
    """A bug: one line for the person, the traceback in a log file for whoever fixes it."""
    import traceback
    from datetime import datetime

    from orto.config import data_dir
    from orto.files import open_private
    from orto.i18n import gettext as _

    log = data_dir() / "orto-errors.log"
    with os.fdopen(open_private(log), "a", encoding="utf-8") as fh:
        fh.write(f"--- {datetime.now().isoformat()}\n")
        fh.write("".join(traceback.format_exception(exc)))
    print(_("orto: unexpected error: {error} (details in {log})").format(error=exc, log=log), file=sys.stderr)
    return EXIT_UNEXPECTED


def run_plain_till(db_url: str | None, language: str | None) -> int:
    from orto.config import load_settings
    from orto.i18n import set_language

    try:
        settings = load_settings(database_url=db_url, language=language)
        set_language(settings.language)
        if settings.counter and open_early(settings, settings.counter):
            return 0
        from orto.db import Database

        database = Database(settings.database_url)
        database.ping()
        open_till(database, settings)
    except Exception as exc:
        return exit_code_for(exc)
    return 0


def open_early(settings: Settings, counter_code: str) -> bool:
    """Open the till with the login drawn before SQLAlchemy loads (``orto.driver``); False if it can't."""
    from orto.driver import early_start

    early = early_start(settings.database_url, counter_code)
    if early is None:
        return False
    from pos.tui.app import OrtoTill
    from pos.tui.context import CounterInfo

    OrtoTill.opening(settings, CounterInfo.from_early(early), early.users).run()
    return True


def counter_info(db: Database, code: str) -> CounterInfo:
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


def open_till(db: Database, settings: Settings, *, demo: bool = False, demo_counter: str | None = None) -> None:
    """Open the Textual till; a brand-new database gets its schema, an old one must be upgraded first."""
    from orto.schema import at_head, ensure_current, is_empty, upgrade

    if not at_head(db):  # the usual case answers in one query; the rest asks Alembic
        if is_empty(db):
            upgrade(db)
        ensure_current(db)
    counter = None
    if demo:
        from pos.demo import DEMO_COUNTER

        counter = counter_info(db, demo_counter or DEMO_COUNTER)
    elif settings.counter:
        counter = counter_info(db, settings.counter)
    pins: list[tuple[str, str, str]] = []
    if demo:
        from pos.demo import with_demo_printer
        from pos.demo_data import USERS

        pins = list(USERS)
        assert counter is not None
        settings = with_demo_printer(settings, counter.code)
    from pos.tui.app import OrtoTill

    OrtoTill(db, settings, counter, demo_pins=pins).run()
