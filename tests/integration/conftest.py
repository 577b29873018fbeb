"""tests/integration: the services on a real database, SQLite and PostgreSQL (the `db` fixture runs
each test on both engines); every test here is marked ``integration``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.integration)
