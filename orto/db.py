"""The database engine and the one way to run a transaction.

Every write goes through :meth:`Database.write`, one transaction that on SQLite starts with
``BEGIN IMMEDIATE``: Python's sqlite3 driver would otherwise start a deferred transaction and
upgrade it to a write lock late, which loses updates between processes or fails with
"database is locked" (measured, see docs/architecture.md). We use SQLAlchemy's documented
pysqlite recipe: the driver's own transaction handling is switched off on connect and our
``begin`` listener emits the BEGIN itself.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from orto.errors import DatabaseUnavailable, StorageError
from orto.files import PRIVATE_FILE, private_sqlite
from orto.i18n import gettext as _
from orto.prepared import driver_sql

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Unix
    fcntl = None  # type: ignore[assignment]

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_BUSY_TIMEOUT_MS = 10_000
_READ_ONLY = "orto_read_only"
_RELAXED = "orto_relaxed_sync"
_SYNC_MODE = "orto_synchronous"
_AFTER = "orto_after_transaction"


def mask(url: str | URL) -> str:
    """The URL as it may be shown to a person: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database URL>"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"database URL {url!r} is not a valid URL ({exc})") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(f"database {mask(parsed)}: only sqlite and postgresql are supported")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database: we must never overwrite it."""
    if path.exists() and path.is_dir():
        raise DatabaseUnavailable(f"database {path} is a directory, not an SQLite file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise DatabaseUnavailable(f"database {path} exists but is not an SQLite database; left untouched")
    if not path.parent.exists():
        raise DatabaseUnavailable(f"database {path}: folder {path.parent} does not exist")


def _install_sqlite_recipe(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # SQLite has just created the file if it was new (still empty); -wal and -shm take the
        # database's mode when SQLite creates them, so this keeps all three private
        private_sqlite(path)
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        record.info[_SYNC_MODE] = "FULL"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(_READ_ONLY, False):
            driver_sql(conn, "BEGIN")
            return
        # (on the driver, orto.prepared: a sale's six transactions begin here)
        # a cart write commits to the WAL without its own fsync (NORMAL); every other write
        # syncs the WAL (FULL), and with it every frame before it: see docs/architecture.md,
        # "One disk sync per sale". The pragma cannot change inside a transaction, so it is set
        # here, before BEGIN, and only when the pooled connection's last write had the other mode.
        mode = "NORMAL" if options.get(_RELAXED, False) else "FULL"
        info = conn.connection.info
        if info.get(_SYNC_MODE) != mode:
            driver_sql(conn, f"PRAGMA synchronous = {mode}")
            info[_SYNC_MODE] = mode
        driver_sql(conn, "BEGIN IMMEDIATE")


class _WriterTurns:
    """SQLite writers of one file queue here, on an OS lock next to it, before BEGIN IMMEDIATE.

    Waiting in the kernel wakes a writer as soon as the previous one commits; SQLite's busy
    handler (or any polling) naps instead, and with eight tills on two cores the nappers keep
    waking up to steal the CPU from the writer that holds the lock. Measured with eight
    processes selling: p99 of a sale 2.2 s with SQLite's handler, 0.55 s polling, far less here.
    The turn is only a queue: the database lock stays the guarantee, so a writer that cannot
    get its turn within the busy timeout (a stuck process) goes on without it and meets the
    usual "database is locked". Unix only (fcntl); elsewhere writers go straight to SQLite.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.usable = True

    @contextmanager
    def turn(self) -> Iterator[None]:
        fd = self._open()
        if fd is None:
            yield
            return
        try:
            self._wait(fd)
            yield
        finally:
            os.close(fd)  # releases the turn (after the commit: the with-block has ended)

    def _open(self) -> int | None:
        if not self.usable:
            return None
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        except OSError:  # a read-only folder: no queue, SQLite still guards the writes
            self.usable = False
            return None

    @staticmethod
    def _wait(fd: int) -> None:
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        # a blocking flock cannot time out: the waiter thread waits on a duplicate of the file
        # description; if it takes too long we go on, and the turn it gets later is released
        # when it closes its duplicate.
        _TURN_WAITER.wait(os.dup(fd), SQLITE_BUSY_TIMEOUT_MS / 1000)


class _TurnWaiter:
    """One thread per process that waits in the kernel for the writers' turns.

    Starting a thread for each wait cost ≈ 0.3 ms of CPU on a busy machine, and with sixteen tills
    nearly every write waits: that CPU was taken from the writer holding the lock. Waits of one
    process are served in order (a till writes from one thread at a time; its queues rarely beside it).
    """

    def __init__(self) -> None:
        self.requests: queue.SimpleQueue[tuple[int, threading.Event, list[bool]]] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.pid = 0

    def wait(self, dup_fd: int, timeout: float) -> bool:
        """Wait for the turn on ``dup_fd`` (closed here or by the waiter); whether it came in time."""
        with self.lock:
            if self.pid != os.getpid():  # first use, or a forked child: its own thread
                self.pid = os.getpid()
                self.requests = queue.SimpleQueue()
                threading.Thread(
                    target=self._serve, args=(self.requests,), name="orto-writer-turn", daemon=True
                ).start()
        got = threading.Event()
        abandoned = [False]
        self.requests.put((dup_fd, got, abandoned))
        if got.wait(timeout):
            return True
        with self.lock:
            abandoned[0] = True
        return got.is_set()

    def _serve(self, requests: queue.SimpleQueue[tuple[int, threading.Event, list[bool]]]) -> None:
        assert fcntl is not None
        while True:
            dup_fd, got, abandoned = requests.get()
            try:
                with self.lock:
                    if abandoned[0]:
                        continue  # nobody waits for it any more
                fcntl.flock(dup_fd, fcntl.LOCK_EX)
                got.set()
            except OSError:
                got.set()  # the file is gone: the writer goes on, SQLite still guards the write
            finally:
                os.close(dup_fd)  # the turn stays with the writer's own descriptor until it closes it


_TURN_WAITER = _TurnWaiter()


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = _parse(url)
    path = sqlite_path(parsed)
    if path is not None:
        check_sqlite_file(path)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _install_sqlite_recipe(engine, path)
        return engine
    if "poolclass" not in kwargs:  # another pool class may not take the queue pool's sizes
        for option, value in PG_POOL.items():
            kwargs.setdefault(option, value)
    try:
        engine = create_engine(parsed, connect_args={"connect_timeout": 5}, **kwargs)
    except NoSuchModuleError as exc:
        raise DatabaseUnavailable(f"database {mask(parsed)}: driver missing; install orto[postgres]") from exc
    except ModuleNotFoundError as exc:
        raise DatabaseUnavailable(
            f"database {mask(parsed)}: PostgreSQL driver missing; pip install 'orto[postgres]'"
        ) from exc
    _ping_when_idle(engine)
    return engine


# A till runs one transaction at a time on its UI thread, plus the print and fiscal queues and a
# loader thread: two connections kept, up to five at once. Sixteen tills then hold 32 and can reach
# 80, under PostgreSQL's default max_connections of 100 (SQLAlchemy's default, 5 + 10, could reach
# 240). A till that finds none free waits at most 10 s, as long as an SQLite writer waits its turn.
PG_POOL: dict[str, Any] = {"pool_size": 2, "max_overflow": 3, "pool_timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
# Checked out again within this many seconds, a pooled connection is used without a ping
PG_PING_AFTER_IDLE_S = 1.0
_CHECKED_IN = "orto_checked_in"


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled PostgreSQL connection on checkout only when it sat idle a while.

    ``pool_pre_ping`` pings at every checkout: a round trip per transaction, five per sale. A
    connection used a moment ago is as good as its last answer; one that sat idle (a restart of
    the server may have cut it) is pinged and, if dead, replaced before the transaction starts.
    A restart inside that second costs the till one refused transaction, said as "unreachable";
    the disconnect empties the pool, so the next attempt connects afresh.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < PG_PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # the pool discards this connection and checks out a fresh one
            raise DisconnectionError(str(exc)) from exc


class _Spare:
    """One connection kept open between transactions, for whichever thread needs one next.

    Checking a connection out of the pool and back in, with SQLAlchemy's Connection around it,
    cost about 40 µs a transaction, six times a sale (docs/architecture.md, "A lean hot path").
    A till runs one transaction at a time, so the spare is nearly always free; when it is busy
    (the print queue's transaction beside the till's, a read inside a write) the pool serves as
    before. A connection invalidated by a disconnect, left in a transaction, inherited by a forked
    process or closed is replaced; on PostgreSQL one idle for more than PG_PING_AFTER_IDLE_S is
    pinged first, as the pool's checkout does.
    """

    def __init__(self, engine: Engine, *, ping: bool) -> None:
        self.engine = engine
        self.ping = ping
        self.lock = threading.Lock()
        self.conn: Connection | None = None
        self.pid = os.getpid()
        self.used = 0.0

    def take(self) -> Connection | None:
        if self.pid != os.getpid():  # a forked child: the parent's connection is not ours to use
            self.lock, self.conn, self.pid = threading.Lock(), None, os.getpid()
        if not self.lock.acquire(blocking=False):
            return None
        try:
            conn = self.conn
            if conn is not None and (conn.closed or conn.invalidated or conn.in_transaction()):
                self._drop(conn)
                conn = None
            if conn is not None and self.ping and time.monotonic() - self.used >= PG_PING_AFTER_IDLE_S:
                conn = self._pinged(conn)
            if conn is None:
                conn = self.conn = self.engine.connect()
            return conn
        except BaseException:
            self.lock.release()
            raise

    def give_back(self, conn: Connection) -> None:
        self.used = time.monotonic()
        if conn.invalidated or conn.in_transaction():
            self._drop(conn)
        self.lock.release()

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self._drop(self.conn)

    def _pinged(self, conn: Connection) -> Connection | None:
        dbapi_connection = conn.connection.dbapi_connection
        assert dbapi_connection is not None  # a live connection (checked by take)
        try:
            self.engine.dialect.do_ping(dbapi_connection)
        except self.engine.dialect.loaded_dbapi.Error:
            conn.invalidate()  # the server went away meanwhile: connect afresh
            self._drop(conn)
            return None
        return conn

    def _drop(self, conn: Connection) -> None:
        self.conn = None
        try:
            conn.close()
        except DBAPIError:
            pass  # a connection that cannot even be closed is gone already


class Database:
    """An engine plus the transaction helpers every service uses."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.read_engine = self.engine.execution_options(**{_READ_ONLY: True})
        # the cart's writes skip their own disk sync (False: every write synced, for a comparison)
        self.relaxed_cart = True
        path = sqlite_path(self.engine.url)
        self.sqlite_file = path
        self._turns = _WriterTurns(Path(f"{path}-writer")) if path is not None and fcntl is not None else None
        # an engine that pings at every checkout, or with a pool of its own kind, gets no spare
        plain = not engine_kwargs.get("pool_pre_ping") and "poolclass" not in engine_kwargs
        self._spare = _Spare(self.engine, ping=path is None) if plain else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return mask(self.engine.url)

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on any exception.

        What was handed to :func:`after_transaction` runs next, in a transaction of its own,
        whether this one committed or not.

        ``durable=False`` is for the open cart's writes alone (a sale started, a line scanned,
        changed or removed): on SQLite the commit reaches the WAL, so a killed process loses
        nothing, but is not synced to the disk by itself; a power cut may lose the last such
        writes, never a durable one, whose sync also covers every write committed before it.
        On PostgreSQL both are the same (the server's settings decide).
        """
        pending: list[Callable[[Session], None]] = []
        options = {_READ_ONLY: False, _RELAXED: not durable and self.relaxed_cart}
        try:
            with (
                self._translate(),
                self._turn(),
                self._connection(options) as conn,
                Session(conn, expire_on_commit=False) as session,
            ):
                session.info[_AFTER] = pending
                with session.begin():
                    yield session
        finally:
            for work in pending:
                with self.write() as own:
                    work(own)

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if self._turns is None:
            yield
        else:
            with self._turns.turn():
                yield

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot; on SQLite a deferred transaction that never takes the write lock."""
        with (
            self._translate(),
            self._connection({_READ_ONLY: True, _RELAXED: False}) as conn,
            Session(conn, expire_on_commit=False) as session,
        ):
            with session.begin():
                yield session

    @contextmanager
    def _connection(self, options: dict[str, bool]) -> Iterator[Connection]:
        """The connection for one transaction: the spare when it is free, else one from the pool."""
        conn = self._spare.take() if self._spare is not None else None
        if conn is None:
            with self.engine.connect() as pooled:
                yield pooled.execution_options(**options)
            return
        assert self._spare is not None
        try:
            yield conn.execution_options(**options)
        finally:
            self._spare.give_back(conn)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            storage = storage_problem(exc, self.sqlite_file, self.display_url)
            if storage is not None:
                raise storage from exc
            if isinstance(exc, OperationalError) and _is_connection_problem(exc):
                raise DatabaseUnavailable(f"database {self.display_url} unreachable: {_reason(exc)}") from exc
            raise

    def ping(self) -> None:
        """Connect once; raise DatabaseUnavailable with a one-line reason if that fails."""
        try:
            with self.read_engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            storage = storage_problem(exc, self.sqlite_file, self.display_url)
            if storage is not None:
                raise storage from exc
            raise DatabaseUnavailable(f"database {self.display_url} unreachable: {_reason(exc)}") from exc

    def dispose(self) -> None:
        if self._spare is not None:
            self._spare.close()
        self.engine.dispose()


def after_transaction(session: Session, work: Callable[[Session], None]) -> None:
    """Have ``work`` run in a write transaction of its own once ``session``'s has ended.

    For what must be kept even when the action it belongs to fails and rolls back (a wrong PIN
    counted and audited). On SQLite the running transaction holds the write lock, so the record
    cannot be written beside it; it is written right after, by the same ``Database.write``.
    """
    pending = session.info.get(_AFTER)
    if pending is None:  # a session not opened by Database.write: nothing to wait for
        work(session)
    else:
        pending.append(work)


# SQLite's primary result codes (sqlite_errorname, Python 3.11) and PostgreSQL's SQLSTATEs that
# mean "the storage refuses", not "the statement is wrong"
_SQLITE_KINDS = {
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "read_only",
    "SQLITE_BUSY": "locked",
    "SQLITE_LOCKED": "locked",
    "SQLITE_CANTOPEN": "cannot_open",
    "SQLITE_PERM": "read_only",
    "SQLITE_IOERR": "io",
}
_SQLITE_TEXTS = (
    ("database or disk is full", "full"),
    ("readonly database", "read_only"),
    ("database is locked", "locked"),
    ("unable to open database file", "cannot_open"),
    ("disk i/o error", "io"),
)
_PG_STATES = {
    "53100": "full",  # disk_full
    "53200": "full",  # out_of_memory: the server's, not ours; same advice
    "25006": "read_only",  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "55P03": "locked",  # lock_not_available (lock_timeout)
    "57014": "locked",  # query_canceled by statement_timeout while waiting
    "58030": "io",  # io_error
}


def _storage_kind(orig: BaseException | None) -> str | None:
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str):
        for prefix, kind in _SQLITE_KINDS.items():
            if name == prefix or name.startswith(prefix + "_"):
                return kind
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        return _PG_STATES.get(state)
    text_ = str(orig).lower()
    return next((kind for marker, kind in _SQLITE_TEXTS if marker in text_), None)


def _no_room(folder: Path) -> bool:
    try:
        vfs = os.statvfs(folder)
    except OSError:
        return False
    return vfs.f_bavail * vfs.f_frsize < 64 * 1024


def storage_problem(exc: DBAPIError, sqlite_file: Path | None, display_url: str) -> StorageError | None:
    """The driver's error as a sentence naming what and where, or None if it is not about storage."""
    kind = _storage_kind(exc.orig)
    if kind is None:
        return None
    if kind == "io" and sqlite_file is not None and _no_room(sqlite_file.parent):
        kind = "full"  # SQLite says IOERR_WRITE (or _SHMSIZE) when the WAL finds no room
    where = str(sqlite_file) if sqlite_file is not None else display_url
    folder = str(sqlite_file.parent) if sqlite_file is not None else display_url
    messages = {
        "full": _("database {where}: the disk is full; nothing was saved. Free some space and try again"),
        "read_only": _(
            "database {where}: the file or its folder {folder} is read-only; nothing was saved. "
            "Make both writable for Orto and try again"
        ),
        "locked": _(
            "database {where}: locked by another program for more than {seconds} s; nothing was saved. "
            "Close the other program (a backup, a database browser) and try again"
        ),
        "cannot_open": _("database {where}: cannot be opened (is the folder {folder} there and writable?)"),
        "io": _("database {where}: the disk reported a read or write error; nothing was saved. Check the disk"),
    }
    return StorageError(messages[kind].format(where=where, folder=folder, seconds=SQLITE_BUSY_TIMEOUT_MS // 1000))


def _reason(exc: DBAPIError) -> str:
    message = str(exc.orig).strip().splitlines()
    return message[0] if message else exc.__class__.__name__


def _is_connection_problem(exc: OperationalError) -> bool:
    text_ = str(exc.orig).lower()
    return any(
        marker in text_
        for marker in ("connection", "could not connect", "unable to open", "server closed", "timeout expired")
    )
