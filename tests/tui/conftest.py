"""tests/tui: the real Textual app driven by its Pilot, and whole days in a real terminal (tmux);
every test here is marked ``tui``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/tui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.tui)
