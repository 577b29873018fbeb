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


def test_the_documented_config_table_names_every_key_orto_reads() -> None:
    from orto.config_schema import COUNTER_ROLES, PRINTER_COMMON, PRINTER_KINDS, SECTIONS

    rows = {
        cells[0]: cells[1]
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if len(cells := [c.strip() for c in line.strip().strip("|").split("|")]) == 2 and cells[0].startswith("`[")
    }
    for section, keys in SECTIONS.items():
        row = rows.get(f"`[{section}]`")
        assert row is not None, f"docs/security.md has no row for [{section}]"
        documented = set(re.findall(r"`([a-z_]+)`", row))
        assert set(keys) <= documented, (section, set(keys) - documented)
    printers = set(re.findall(r"`([a-z_]+)`", rows["`[printers.NAME]`"]))
    every_kind = {key for kind in PRINTER_KINDS.values() for key in kind}
    assert set(PRINTER_COMMON) | every_kind <= printers, (set(PRINTER_COMMON) | every_kind) - printers
    assert set(COUNTER_ROLES) <= set(re.findall(r"`([a-z_]+)`", rows["`[counters.CODE.printers]`"]))
