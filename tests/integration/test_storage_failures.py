"""Storage failures in words, and files that are nobody else's.

A full disk is a real tmpfs filled to the last byte, a read-only database a real read-only
mount (both need root: skipped otherwise); a lock held by another program is a plain sqlite3
connection in an exclusive transaction.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from inventory.catalog_io import import_products
from orto.db import Database
from orto.errors import DatabaseUnavailable, StorageError
from orto.models import Product, Role, User
from tests import factories
from tests.engines import SqliteTemplate

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CSV = "codice;nome;iva;prezzo\nPOM;Pomodori;4;3,50\nPANE;Pane;4;4,20\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    if not ROOT:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "small"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path) -> None:
    """Take every free byte of the file system."""
    with (folder / "ballast").open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
        try:
            while True:  # the last few bytes
                fh.write(b"\0")
                fh.flush()
        except OSError:
            pass


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Product)) or 0


def test_a_full_disk_is_said_in_words_and_nothing_is_half_written(
    tmpfs: Path, sqlite_template: SqliteTemplate, tmp_path: Path
) -> None:
    db = sqlite_template.fresh(tmpfs)
    (tmp_path / "p.csv").write_text(CSV + "".join(f"X{n};{'Prodotto ' * 12}{n};4;1,00\n" for n in range(3000)))
    actor = factories.manager(db)
    _fill(tmpfs)
    with pytest.raises(StorageError) as refused:
        import_products(db, tmp_path / "p.csv", actor=actor)
    message = str(refused.value)
    assert "disk is full" in message and str(tmpfs / "orto.sqlite3") in message and "nothing was saved" in message
    assert isinstance(refused.value, DatabaseUnavailable)  # exit code 2 at the CLI
    (tmpfs / "ballast").unlink()
    assert _count(db) == 0
    import_products(db, tmp_path / "p.csv", actor=actor)  # the next try, with room, goes through whole
    assert _count(db) == 3002
    db.dispose()


def test_a_read_only_mount_is_said_in_words(tmpfs: Path, sqlite_template: SqliteTemplate, tmp_path: Path) -> None:
    db = sqlite_template.fresh(tmpfs)
    assert _count(db) == 0
    actor = factories.manager(db)
    db.dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    (tmp_path / "p.csv").write_text(CSV)
    with pytest.raises(StorageError) as refused:
        import_products(Database(f"sqlite:///{tmpfs / 'orto.sqlite3'}"), tmp_path / "p.csv", actor=actor)
    assert str(tmpfs / "orto.sqlite3") in str(refused.value)
    assert "read-only" in str(refused.value) or "cannot be opened" in str(refused.value)


@pytest.fixture
def read_only_file(sqlite_template: SqliteTemplate, tmp_path: Path) -> Iterator[Path]:
    """The database file read-only in a writable folder: a read-only bind mount of the file for
    root (who ignores file modes), mode 0444 for anyone else."""
    writable = sqlite_template.fresh(tmp_path)
    factories.manager(writable)  # someone to act, made while the file can still be written
    writable.dispose()
    path = tmp_path / "orto.sqlite3"
    if not ROOT:
        path.chmod(0o444)
        yield path
        return
    bound = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if bound.returncode:
        pytest.skip(f"cannot bind-mount here: {bound.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_read_only_file_is_said_in_words(read_only_file: Path, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{read_only_file}")
    with db.read() as session:
        actor = factories.logged_in(session.scalars(select(User).where(User.role == Role.MANAGER)).one())
    (tmp_path / "p.csv").write_text(CSV)
    with pytest.raises(StorageError, match="read-only") as refused:
        import_products(db, tmp_path / "p.csv", actor=actor)
    assert str(read_only_file) in str(refused.value) and "nothing was saved" in str(refused.value)
    with sqlite3.connect(f"file:{read_only_file}?mode=ro", uri=True) as check:
        assert check.execute("SELECT count(*) FROM products").fetchone() == (0,)


def test_a_lock_held_by_another_program_is_said_in_words(
    sqlite_template: SqliteTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("orto.db.SQLITE_BUSY_TIMEOUT_MS", 300)
    db = sqlite_template.fresh(tmp_path)
    actor = factories.manager(db)
    other = sqlite3.connect(tmp_path / "orto.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        (tmp_path / "p.csv").write_text(CSV)
        with pytest.raises(StorageError, match="locked by another program") as refused:
            import_products(db, tmp_path / "p.csv", actor=actor)
        assert str(tmp_path / "orto.sqlite3") in str(refused.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    import_products(db, tmp_path / "p.csv", actor=actor)  # the retry goes through
    assert _count(db) == 2


def test_the_cli_says_it_in_one_line_with_exit_2(read_only_file: Path, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(CSV)
    url = f"sqlite:///{read_only_file}"
    done = subprocess.run(
        [sys.executable, "-m", "pos.cli", "--db", url, "import", "products", str(tmp_path / "p.csv")],
        capture_output=True,
        text=True,
        env={**os.environ, "ORTO_LANG": "en", "ORTO_USER": "Responsabile", "ORTO_PIN": "9191"},
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0] and "Traceback" not in done.stderr


def test_the_data_folder_database_wal_shm_and_writer_lock_are_private(tmp_path: Path) -> None:
    from orto.config import data_dir

    folder = data_dir()  # ORTO_DATA_DIR from conftest: created now
    assert _mode(folder) == 0o700
    db = Database(f"sqlite:///{folder / 'orto.sqlite3'}")
    with db.write() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
        session.execute(text("INSERT INTO t VALUES (1)"))
    names = ("orto.sqlite3", "orto.sqlite3-wal", "orto.sqlite3-shm", "orto.sqlite3-writer")
    assert {n: _mode(folder / n) for n in names} == dict.fromkeys(names, 0o600)
    db.dispose()


def test_files_made_by_an_older_orto_are_narrowed(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    path = folder / "orto.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x INTEGER)").connection.close()
    os.chmod(path, 0o644)
    os.environ["ORTO_DATA_DIR"] = str(folder)  # conftest's monkeypatch restores it
    from orto.config import data_dir

    data_dir()
    Database(f"sqlite:///{path}").ping()
    assert (_mode(folder), _mode(path)) == (0o700, 0o600)


def test_backups_error_log_and_demo_printer_file_are_private(sqlite_template: SqliteTemplate, tmp_path: Path) -> None:
    from orto.config import data_dir, load_settings
    from orto.schema import backup_sqlite
    from pos.cli.launch import unexpected
    from pos.demo import with_demo_printer
    from receipts.transports import transport_for

    db = sqlite_template.fresh(tmp_path)
    backup = backup_sqlite(db)
    assert backup is not None and _mode(backup) == 0o600
    unexpected(RuntimeError("boom"))
    assert _mode(data_dir() / "orto-errors.log") == 0o600
    settings = with_demo_printer(load_settings(), "PAL-1")
    transport_for(settings.printers["demo"]).send(b"slip")
    assert _mode(data_dir() / "demo-printer.escpos") == 0o600


@pytest.mark.parametrize(
    ("url", "mode", "warned"),
    [
        ("postgresql+psycopg://orto:s3cret@127.0.0.1/orto", 0o644, True),
        ("postgresql+psycopg://orto:s3cret@127.0.0.1/orto", 0o640, True),
        ("postgresql+psycopg://orto:s3cret@127.0.0.1/orto", 0o600, False),
        ("postgresql+psycopg://orto@127.0.0.1/orto", 0o644, False),
    ],
)
def test_orto_info_warns_of_a_password_others_can_read(tmp_path: Path, url: str, mode: int, warned: bool) -> None:
    config = tmp_path / "orto.toml"
    config.write_text(f'[database]\nurl = "{url}"\n')
    config.chmod(mode)
    done = subprocess.run(
        [sys.executable, "-m", "pos.cli", "info"],
        capture_output=True,
        text=True,
        env={**os.environ, "ORTO_LANG": "en", "ORTO_CONFIG": str(config)},
    )
    assert done.returncode == 0, done.stderr
    assert ("holds the database password" in done.stderr and "chmod 600" in done.stderr) is warned
    assert "s3cret" not in done.stdout + done.stderr
