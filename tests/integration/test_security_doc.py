"""docs/security.md's table of who may do what is a copy of orto.policy.PERMISSIONS: the same
actions, each with the same roles and the same "with a manager's PIN" answer."""

from __future__ import annotations

import re
from pathlib import Path

from orto.policy import APPROVABLE, PERMISSIONS, Action

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_documented_table_is_the_policy() -> None:
    rows: dict[str, tuple[set[str], bool]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        roles = {r.strip() for r in cells[1].split(",")}
        for action in re.findall(r"`([a-z_]+)`", cells[0].split("(")[0]):
            rows[action] = (roles, cells[2] == "yes")
    assert set(rows) == {a.value for a in Action}, "docs/security.md and orto/policy.py name different actions"
    for action in Action:
        roles, approvable = rows[action.value]
        assert roles == {r.value for r in PERMISSIONS[action]}, action
        assert approvable == (action in APPROVABLE), action
