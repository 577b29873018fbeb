"""Every test that takes ``db`` runs once on SQLite (a real file) and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orto.db import Database
from orto.i18n import set_language
from tests.engines import ENGINES, REQUIRE_PG, PostgresTemplate, SqliteTemplate, postgres_problem

# English before the test modules are collected too: a screen module imported at collection
# translates its key bindings then, and orto.i18n starts in Italian; the snapshots are taken in
# English.
set_language("en")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORTO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ORTO_CONFIG", raising=False)
    monkeypatch.delenv("ORTO_DATABASE_URL", raising=False)
    monkeypatch.delenv("ORTO_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    # domain messages are asserted in English; tests of the Italian interface set it themselves
    from orto.i18n import set_language

    set_language("en")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    problem = postgres_problem()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"ORTO_REQUIRE_POSTGRES=1 but {problem}")
        yield None
        return
    template = PostgresTemplate()
    yield template
    template.drop()


@pytest.fixture(params=ENGINES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database on the engine of this parametrisation."""
    if request.param == "sqlite":
        database = request.getfixturevalue("sqlite_template").fresh(tmp_path)
        yield database
        database.dispose()
    elif request.param == "postgres":
        template = request.getfixturevalue("postgres_template")
        if template is None:
            pytest.skip(postgres_problem() or "PostgreSQL unavailable")
        yield template.fresh()
    else:
        raise pytest.UsageError(f"unknown engine {request.param!r} in ORTO_TEST_ENGINES")
