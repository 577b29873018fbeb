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
        ('[till]\nlanguage = "fr"\n', r"\[till\] language = 'fr': expected one of 'it', 'en'"),
        ('[km0]\nradius_km = "far"\n', r"\[km0\] radius_km = 'far': expected a whole number from 1 to 1000"),
        ('[printers.x]\nhost = "a"\n', r"\[printers.x\] needs kind"),
        ('[counters.PAL-1.printers]\nreceipt = "ghost"\n', "uses printer .ghost., not in"),
    ],
)
def test_bad_configuration_names_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _toml(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as err:
        load_settings()
    assert str(path) in str(err.value) or "orto.toml" in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[selling]\ndiscount_approval_threshold_percent = 12.5\n",
            r"\[selling\] discount_approval_threshold_percent = 12.5: expected a whole number from 0 to 100",
        ),
        ("[selling]\ndiscount_approval_threshold_percent = 150\n", "= 150: expected a whole number from 0 to 100"),
        ("[selling]\ndiscount_approval_threshold_percent = true\n", "= True: expected a whole number"),
        ("[selling]\ndiscount_threshold = 10\n", r"\[selling\] has an unknown key 'discount_threshold'"),
        ("[sellling]\nx = 1\n", r"unknown section \[sellling\]"),
        ("selling = 3\n", "selling must be a table"),
        ("[till]\nidle_lock_seconds = -5\n", "idle_lock_seconds = -5: expected a whole number from 0 to 86400"),
        ("[till]\ncounter = 12\n", r"\[till\] counter = 12: expected text"),
        ("[stock]\nnear_expiry_days = 3.0\n", "near_expiry_days = 3.0"),
        ("[lab]\nrescue_days = nan\n", "rescue_days = nan"),
        ("[supply]\nmax_chilled_temperature_dc = 40.5\n", "max_chilled_temperature_dc = 40.5"),
        ("[company]\nname = 1\n", r"\[company\] name = 1: expected text"),
        ("[company]\nslogan = 'x'\n", "unknown key 'slogan'"),
        ('[printers.banco]\nkind = "laser"\n', r"kind = 'laser': expected one of network, file"),
        ('[printers.banco]\nkind = "network"\n', r"\[printers.banco\] needs host"),
        ('[printers.banco]\nkind = "network"\nhost = "h"\nport = 70000\n', "port = 70000: expected a whole number"),
        ('[printers.banco]\nkind = "network"\nhost = "h"\ntimeout = inf\n', "timeout = inf"),
        ('[printers.banco]\nkind = "network"\nhost = "h"\nwidth = "wide"\n', "width = 'wide'"),
        ('[printers.banco]\nkind = "file"\npath = "p"\nhost = "h"\n', r"\[printers.banco\] has an unknown key 'host'"),
        ('[printers.banco]\nkind = "serial"\nbaudrate = 1234\n', "baudrate = 1234: expected one of"),
        ('[printers.banco]\nkind = "none"\ndrawer_pin = 3\n', "drawer_pin = 3: expected one of 2, 5"),
        ('[counters.PAL-1]\nprinter = "x"\n', r"\[counters.PAL-1\] has an unknown key 'printer'"),
        ("[counters.PAL-1.printers]\nreceipt = 1\n", r"\[counters.PAL-1.printers\] receipt = 1: expected text"),
        ('[counters.PAL-1.printers]\nfax = "x"\n', "unknown key 'fax'"),
    ],
)
def test_every_key_is_typed_and_nothing_falls_back(tmp_path: Path, text: str, message: str) -> None:
    path = _toml(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as err:
        load_settings()
    assert str(err.value).startswith(f"{path}: ")


def test_a_valid_file_is_read_as_written(tmp_path: Path) -> None:
    from pos.selling.sales import discount_threshold_bp

    _toml(
        tmp_path,
        """
[selling]
discount_approval_threshold_percent = 15
[printers.banco]
kind = "network"
host = "127.0.0.1"
timeout = 2
width = 42
paper_width_mm = 58
[printers.etichette]
kind = "file"
path = "labels.escpos"
[counters.PAL-1.printers]
receipt = "banco"
label = "etichette"
[company]
name = "Fuori e Dentro"
""",
    )
    settings = load_settings()
    assert discount_threshold_bp(settings) == 1500
    assert settings.printers["banco"].options["paper_width_mm"] == 58


def test_printer_kinds_are_one_table_others_can_extend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orto import config_schema

    _toml(tmp_path, '[printers.st]\nkind = "star-tsp"\nhost = "h"\ndepartments = 4\n')
    with pytest.raises(ConfigError, match="kind = 'star-tsp'"):
        load_settings()
    monkeypatch.setitem(
        config_schema.PRINTER_KINDS,
        "star-tsp",
        {"host": config_schema.Key((str,), required=True), "departments": config_schema.whole(1, 99)},
    )
    assert load_settings().printers["st"].options == {"host": "h", "departments": 4}


def test_the_cli_says_it_in_one_line_with_exit_2(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = _toml(tmp_path, "[selling]\ndiscount_approval_threshold_percent = 12.5\n")
    done = subprocess.run(
        [sys.executable, "-m", "pos.cli", "info"],
        capture_output=True,
        text=True,
        env={**os.environ, "ORTO_LANG": "en", "ORTO_CONFIG": str(path)},
    )
    assert done.returncode == 2
    # the language is not known before the file is read: the message is in the default, Italian
    assert done.stderr.strip().splitlines() == [
        f"orto: {path}: [selling] discount_approval_threshold_percent = 12.5: atteso un numero intero da 0 a 100"
    ]


def test_the_readmes_example_orto_toml_is_accepted_and_read(tmp_path: Path) -> None:
    """A shop copies the README's example: every key in it must be one Orto knows and uses."""
    import re

    from receipts.snapshots import company

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", readme, re.S)
    _toml(tmp_path, example)
    settings = load_settings()
    assert settings.printers["banco"].options["host"] == "192.168.1.50"
    slip = company(settings, None)
    assert slip["footer"] == "Grazie e a presto! Prodotti km0 e del nostro laboratorio."  # not the default
    assert slip["vat_number"] == "IT00000000000"
