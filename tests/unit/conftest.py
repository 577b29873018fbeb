"""tests/unit: the pure rules, no database, no screen; the loop to run while changing a rule
(`pytest tests/unit`, a few seconds). Every test here is marked ``unit``; one that asks for a
database fixture is refused at collection, so the folder stays fast."""

from __future__ import annotations

import pytest
from hypothesis import settings

settings.register_profile("unit", max_examples=200, deadline=None)
settings.load_profile("unit")

_DATABASE_FIXTURES = {"db", "sqlite_template", "postgres_template", "shop"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/unit/" not in item.nodeid.replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.unit)
        wanted = _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if wanted:
            raise pytest.UsageError(f"{item.nodeid}: a unit test uses no database ({', '.join(sorted(wanted))})")
