"""Where Orto finds its settings and its data.

Precedence, highest first: command-line options, environment variables (``ORTO_DATABASE_URL``,
``ORTO_CONFIG``, ``ORTO_LANG``, ``ORTO_DATA_DIR``), ``orto.toml``, built-in defaults.
``orto.toml`` is looked for in the path named by ``ORTO_CONFIG``, then in the current directory,
then in the platform's user config directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from orto.config_schema import check as check_config
from orto.errors import ConfigError
from orto.files import private_dir
from orto.i18n import gettext as _

APP_NAME = "orto"
DEFAULT_KM0_RADIUS_KM = 70
SUPPORTED_LANGUAGES = ("it", "en")


def data_dir() -> Path:
    """The folder holding the embedded SQLite databases and backups."""
    override = os.environ.get("ORTO_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'orto.sqlite3'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite3'}"


def config_candidates() -> list[Path]:
    explicit = os.environ.get("ORTO_CONFIG")
    if explicit:
        return [Path(explicit)]
    return [Path.cwd() / "orto.toml", Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "orto.toml"]


@dataclass(frozen=True)
class PrinterConfig:
    """One printer as ``[printers.NAME]`` in orto.toml; ``options`` keeps the kind's own keys."""

    name: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    database_url: str
    database_url_explicit: bool
    language: str = "it"
    site: str | None = None
    counter: str | None = None
    idle_lock_seconds: int = 300
    km0_radius_km: int = DEFAULT_KM0_RADIUS_KM
    near_expiry_days: int = 3
    printers: dict[str, PrinterConfig] = field(default_factory=dict)
    # counter code -> {role: printer name}
    counter_printers: dict[str, dict[str, str]] = field(default_factory=dict)
    company: dict[str, str] = field(default_factory=dict)
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """A table of orto.toml that a later module owns (e.g. ``selling``, ``receipts``)."""
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}


def exposed_password(settings: Settings) -> str | None:
    """A warning when orto.toml holds a database password and the group or others may read it."""
    import stat
    from urllib.parse import urlsplit

    url = settings.raw.get("database", {}).get("url") if isinstance(settings.raw.get("database"), dict) else None
    if settings.source is None or not isinstance(url, str):
        return None
    try:
        has_password = bool(urlsplit(url).password)
        mode = stat.S_IMODE(settings.source.stat().st_mode)
    except (ValueError, OSError):
        return None
    if not has_password or not mode & 0o077:
        return None
    return _(
        "warning: {path} holds the database password and is readable by others (mode {mode:o}): chmod 600 {path}"
    ).format(path=settings.source, mode=mode)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from exc


def _int(raw: dict[str, Any], key: str, default: int, where: str) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: '{key}' must be a whole number, not {value!r}")
    return value


def load_settings(database_url: str | None = None, language: str | None = None) -> Settings:
    """Read orto.toml and the environment; explicit arguments win."""
    raw: dict[str, Any] = {}
    source: Path | None = None
    for candidate in config_candidates():
        # a file named by ORTO_CONFIG that does not exist yet is "not configured": the till's
        # first-run wizard writes it there
        if candidate.is_file():
            raw = _read_toml(candidate)
            source = candidate
            break
    check_config(raw, source)  # every section, key, type and range (orto.config_schema)
    where = str(source) if source else "orto.toml"

    db_section = raw.get("database", {})
    url = database_url or os.environ.get("ORTO_DATABASE_URL") or db_section.get("url")
    explicit = url is not None
    till = raw.get("till", {})
    lang = (language or os.environ.get("ORTO_LANG") or till.get("language") or "it").lower()[:2]
    if lang not in SUPPORTED_LANGUAGES:
        raise ConfigError(f"{where}: language {lang!r} is not supported (choose it or en)")

    printers = {}
    for name, spec in raw.get("printers", {}).items():
        if not isinstance(spec, dict) or "kind" not in spec:
            raise ConfigError(f"{where}: [printers.{name}] needs a 'kind'")
        options = {k: v for k, v in spec.items() if k != "kind"}
        printers[name] = PrinterConfig(name=name, kind=str(spec["kind"]), options=options)
    counter_printers: dict[str, dict[str, str]] = {}
    for code, roles in raw.get("counters", {}).items():
        assigned = roles.get("printers", {}) if isinstance(roles, dict) else {}
        for printer in assigned.values():
            if printer not in printers:
                raise ConfigError(f"{where}: counter {code} uses printer {printer!r}, not in [printers]")
        counter_printers[code] = dict(assigned)

    return Settings(
        database_url=url or default_database_url(),
        database_url_explicit=explicit,
        language=lang,
        site=till.get("site"),
        counter=till.get("counter"),
        idle_lock_seconds=_int(till, "idle_lock_seconds", 300, where),
        km0_radius_km=_int(raw.get("km0", {}), "radius_km", DEFAULT_KM0_RADIUS_KM, where),
        near_expiry_days=_int(raw.get("stock", {}), "near_expiry_days", 3, where),
        printers=printers,
        counter_printers=counter_printers,
        company=dict(raw.get("company", {})),
        source=source,
        raw=raw,
    )
