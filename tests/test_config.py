"""Where settings come from: --db beats ORTO_DATABASE_URL beats orto.toml beats the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from orto.config import load_settings
from orto.errors import ConfigError


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orto.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = load_settings()
    assert default.database_url.endswith("orto.sqlite3") and not default.database_url_explicit
    assert default.language == "it"
    _toml(tmp_path, '[database]\nurl = "sqlite:///from-toml.sqlite3"\n[till]\nlanguage = "en"\n')
    assert load_settings().database_url == "sqlite:///from-toml.sqlite3"
    assert load_settings().language == "en"
    monkeypatch.setenv("ORTO_DATABASE_URL", "sqlite:///from-env.sqlite3")
    monkeypatch.setenv("ORTO_LANG", "it")
    assert load_settings().database_url == "sqlite:///from-env.sqlite3"
    assert load_settings().language == "it"
    explicit = load_settings(database_url="sqlite:///from-flag.sqlite3", language="en")
    assert explicit.database_url == "sqlite:///from-flag.sqlite3" and explicit.database_url_explicit
    assert explicit.language == "en"


def test_printers_and_counters(tmp_path: Path) -> None:
    _toml(
        tmp_path,
        """
[printers.banco]
kind = "network"
host = "127.0.0.1"
port = 9100
[counters.PAL-1.printers]
receipt = "banco"
[km0]
radius_km = 50
""",
    )
    settings = load_settings()
    assert settings.printers["banco"].options == {"host": "127.0.0.1", "port": 9100}
    assert settings.counter_printers == {"PAL-1": {"receipt": "banco"}}
    assert settings.km0_radius_km == 50


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[till\n", "not valid TOML"),
        ('[till]\nlanguage = "fr"\n', "not supported"),
        ('[km0]\nradius_km = "far"\n', "whole number"),
        ('[printers.x]\nhost = "a"\n', "needs a 'kind'"),
        ('[counters.PAL-1.printers]\nreceipt = "ghost"\n', "uses printer .ghost., not in"),
    ],
)
def test_bad_configuration_names_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _toml(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as err:
        load_settings()
    assert str(path) in str(err.value) or "orto.toml" in str(err.value)
