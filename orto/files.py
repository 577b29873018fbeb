"""Files that are nobody else's: the data folder 0700, the database and its companions 0600.

The database holds the PIN hashes and the day's takings, so neither the group nor other users
of the machine may read it. A new file is created with the mode (``os.open`` with 0o600, which
the umask can only narrow); a file that exists already is narrowed with ``chmod`` when it is
ours (a file of another owner, e.g. a shared PostgreSQL socket folder, is left alone).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# SQLite's companions of a database file; -wal and -shm copy the database's mode when SQLite
# creates them, so narrowing the database first is what keeps them private
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal", "-writer")


def _ours(st: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def narrow(path: Path, mode: int) -> None:
    """Take away every permission beyond ``mode`` from a file or folder we own; quiet otherwise."""
    try:
        st = path.stat()
    except OSError:
        return
    if _ours(st) and stat.S_IMODE(st.st_mode) & ~mode:
        try:
            path.chmod(stat.S_IMODE(st.st_mode) & mode)
        except OSError:  # a read-only file system: nothing we can do, nothing to refuse either
            pass


def private_dir(path: Path) -> Path:
    """Create the folder (and its missing parents' last level) 0700, or narrow it if it is ours."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            pass
    narrow(path, PRIVATE_DIR)
    return path


def private_sqlite(path: Path) -> None:
    """The database file and every companion of it that exists: 0600."""
    narrow(path, PRIVATE_FILE)
    for suffix in SQLITE_COMPANIONS:
        narrow(Path(f"{path}{suffix}"), PRIVATE_FILE)


@contextmanager
def private_creation() -> Iterator[None]:
    """Files created inside (by SQLite, by a library) get no permission for group or others."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND) -> int:
    """``os.open`` a file created 0600 (an existing one of ours is narrowed to 0600)."""
    fd = os.open(path, flags, PRIVATE_FILE)
    narrow(path, PRIVATE_FILE)
    return fd
