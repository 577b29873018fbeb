"""GNU gettext's own checker accepts every catalog part and the compiled catalog.

Babel flags a text ``python-format`` when it merely looks like one ("10% or" reads as "% o"), and
``msgfmt --check`` then stops with a fatal error: the same check runs in .ci/run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from orto import i18n

PARTS = sorted(i18n.PARTS_DIR.glob("*.po"))
MO = i18n.LOCALE_DIR / "it" / "LC_MESSAGES" / "orto.mo"
needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("msgunfmt") is None,
    reason="GNU gettext's msgfmt/msgunfmt are not installed (apt-get install gettext)",
)


def _check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


def test_there_are_parts_to_check() -> None:
    assert len(PARTS) >= 9


@needs_msgfmt
@pytest.mark.parametrize("part", PARTS, ids=[p.stem for p in PARTS])
def test_msgfmt_check_passes_on_every_part(part: Path) -> None:
    result = _check(part)
    assert result.returncode == 0, result.stderr


@needs_msgfmt
def test_msgfmt_check_passes_on_the_compiled_catalog(tmp_path: Path) -> None:
    po = tmp_path / "orto.po"
    unpacked = subprocess.run(["msgunfmt", str(MO), "-o", str(po)], capture_output=True, text=True, check=False)
    assert unpacked.returncode == 0, unpacked.stderr
    result = _check(po)
    assert result.returncode == 0, result.stderr


@needs_msgfmt
def test_the_check_catches_a_wrong_python_format_flag(tmp_path: Path) -> None:
    broken = tmp_path / "broken.po"
    broken.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "10% or 1.50 (T10% for all)"\nmsgstr "10% o 1,50 (T10% su tutto)"\n',
        encoding="utf-8",
    )
    assert _check(broken).returncode != 0
