"""The bench scripts borrow fixtures from the suite; moving a test module must not break them.

CI runs ruff on bench/ but never runs the scripts, so a stale ``from tests.x import y`` would only
show when someone next measured. Every ``tests.*`` import a script names must resolve.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _suite_imports(script: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests"):
            found.extend((node.module, alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_every_fixture_a_bench_script_borrows_exists(script: Path) -> None:
    for module, name in _suite_imports(script):
        assert hasattr(importlib.import_module(module), name), f"{script.name}: {module}.{name}"
