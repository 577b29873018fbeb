"""The till: a Textual app for the emporio, bar and catering counters.

It holds no business rule: screens call pos.selling and friends. Every database and printer
call runs in a worker thread (``TillScreen.call``), so the interface never freezes; an error
becomes a notice and the cart stays as it was (it is in the database already).

Plain ``orto`` opens with ``OrtoTill.opening``: the login screen is drawn from what
``orto.driver`` read without SQLAlchemy, and SQLAlchemy, the models, the selling code and the
sale screen load in a worker while the cashier types the PIN. This module and the login screen
therefore import none of them at module level.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from orto.config import Settings
from orto.errors import OrtoError
from orto.i18n import gettext as _
from pos.tui.context import CounterInfo, TillContext

if TYPE_CHECKING:
    from orto.db import Database
    from orto.driver import UserChoice


class OrtoTill(App[None]):
    CSS_PATH = "till.tcss"
    TITLE = "Orto"
    BINDINGS = [Binding("ctrl+q", "quit", _("Quit"), show=False)]

    def __init__(
        self,
        db: Database | None,
        settings: Settings,
        counter: CounterInfo | None,
        *,
        demo_pins: list[tuple[str, str, str]] | None = None,
        start_queue: bool = True,
        users: list[UserChoice] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.counter_info = counter
        self.demo_pins = demo_pins or []
        self.start_queue = start_queue
        self.queue: Any = None
        self.fiscal_queue: Any = None  # the RTs' documents, when orto.toml names an "epson-rt"
        self.context: TillContext | None = None
        # the login list when it was read before the database opened (``opening``)
        self.users = users
        # set once the database is open (at once when it is given); workers wait for it
        self.ready = threading.Event()
        self.opening_error: Exception | None = None
        self._opening = threading.Lock()
        self._starting_queue = threading.Lock()
        if db is not None:
            self.ready.set()

    @classmethod
    def opening(cls, settings: Settings, counter: CounterInfo, users: list[UserChoice]) -> OrtoTill:
        """A till whose database opens behind the login screen (see the module's docstring)."""
        return cls(None, settings, counter, users=users)

    def on_mount(self) -> None:
        self.title = _("Orto - till")
        if self.counter_info is None:
            from pos.tui.screens.wizard import WizardScreen

            self.push_screen(WizardScreen())
            return
        self.begin(self.counter_info)

    def begin(self, counter: CounterInfo) -> None:
        self.context = TillContext(self.db, self.settings, counter, demo_pins=self.demo_pins)
        self.sub_title = f"{counter.site_name} - {counter.name}"
        from pos.tui.screens.login import LoginScreen

        self.push_screen(LoginScreen())
        # After the first frame: the database opens (if it is not open yet) and the catalog is
        # read while the cashier types the PIN; the printers are woken a little later (a slip
        # queued meanwhile simply waits for them).
        self.call_after_refresh(self.run_worker, self._open_then_index, thread=True, exit_on_error=False)
        if self.start_queue:
            self.set_timer(1.5, self._wake_printers)

    def _wake_printers(self) -> None:
        self.run_worker(self._start_queue, thread=True, exit_on_error=False)

    def _open_then_index(self) -> None:
        if not self.ready.is_set():
            self._open_database()
        self._load_index()

    def _load_index(self) -> None:
        if self.db is not None:
            from inventory.search import ProductIndex

            assert self.context is not None
            self.context.index = ProductIndex.load(self.db)

    def _open_database(self) -> bool:
        """Load what the login screen did without, and open the database; True if this call opened it.

        ``ready`` is set after the first try, whatever its outcome; a failure is kept in
        ``opening_error`` and said at the next worker call, which tries again (``retry_open``).
        """
        with self._opening:
            if self.db is not None:
                return False
            try:
                from sqlalchemy.orm import configure_mappers

                # the login's own code, and the next screen, so that switching to it imports nothing
                import pos.selling
                import pos.tui.screens.sale  # noqa: F401
                from orto.db import Database

                configure_mappers()
                db = Database(self.settings.database_url)
                db.ping()
                self.db = db
                assert self.context is not None
                self.context.database = db
                self.opening_error = None
                return True
            except Exception as exc:  # the till stays up: the login says it, and the next PIN tries again
                self.opening_error = exc
                return False
            finally:
                self.ready.set()

    def retry_open(self) -> bool:
        """Another try (in a worker) at a database that could not be opened: the server may be back."""
        if self._open_database():
            self.call_from_thread(self._opened_late)
        return self.db is not None

    def _opened_late(self) -> None:
        self.run_worker(self._load_index, thread=True, exit_on_error=False)
        if self.start_queue:
            self._wake_printers()

    def _start_queue(self) -> None:
        from receipts.queue import PrintQueue

        self.ready.wait()
        with self._starting_queue:  # at the timer or after a late opening, whichever comes first
            if self.db is None or self.queue is not None:
                return
            queue = PrintQueue(self.db, self.settings)
            queue.start()
            self.queue = queue
            if any(p.kind == "epson-rt" for p in self.settings.printers.values()):
                from receipts.fiscal.queue import FiscalQueue

                fiscal = FiscalQueue(self.db, self.settings)
                fiscal.start()
                self.fiscal_queue = fiscal

    async def action_quit(self) -> None:
        """Ctrl+Q with a cart open asks first (the cart is kept either way: the next start restores it)."""
        sale = getattr(self.screen, "sale", None)
        count = len(getattr(sale, "lines", ()) or ())
        if not count:
            self.exit()
            return
        from pos.tui.screens.dialogs import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        question = _("A sale is open with {count} lines (kept: the next start shows it). Quit? y = yes, Enter = no")
        self.push_screen(Confirm(question.format(count=count)), answered)

    def on_unmount(self) -> None:
        if self.queue is not None:
            self.queue.stop(timeout=1.0)
        if self.fiscal_queue is not None:
            self.fiscal_queue.stop(timeout=1.0)


class TillScreen(Screen[Any]):
    """A screen of the till, with the helper that keeps database work off the UI thread."""

    @property
    def till(self) -> OrtoTill:
        app = self.app
        assert isinstance(app, OrtoTill)
        return app

    @property
    def ctx(self) -> TillContext:
        assert self.till.context is not None
        return self.till.context

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[OrtoError], None] | None = None,
        approval: bool = True,
        **kwargs: Any,
    ) -> None:
        """Run ``fn`` in a worker thread; ``done(result)`` back on the UI thread.

        A manager approval asked by the service opens a PIN prompt and repeats the call with it.
        """

        def work() -> None:
            till = self.till
            till.ready.wait()
            if till.db is None and not till.retry_open():
                self.app.call_from_thread(self._cannot_open, till.opening_error)
                return
            try:
                result = fn(*args, **kwargs)
            except OrtoError as exc:
                self.app.call_from_thread(self._failed, exc, fn, args, kwargs, done, failed, approval)
                return
            except Exception as exc:  # a bug or the database gone: say it, keep the till alive
                self.app.call_from_thread(
                    self.notify, str(exc), title=_("Unexpected error"), severity="error", timeout=10
                )
                return
            if done is not None:
                try:
                    self.app.call_from_thread(done, result)
                except Exception as exc:  # a bug in a screen: show it rather than lose it
                    self.app.call_from_thread(
                        self.notify, repr(exc), title=_("Unexpected error"), severity="error", timeout=10
                    )

        self.run_worker(work, thread=True, exit_on_error=False, group="db")

    def _cannot_open(self, exc: Exception | None) -> None:
        message = str(exc) if isinstance(exc, OrtoError) else repr(exc)
        self.notify(
            _("{error} (enter the PIN again to retry)").format(error=message),
            title=_("The database could not be opened"),
            severity="error",
            timeout=15,
        )

    def _failed(
        self,
        exc: OrtoError,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        done: Callable[[Any], None] | None,
        failed: Callable[[OrtoError], None] | None,
        approval: bool,
    ) -> None:
        from pos.selling import ApprovalRequired

        if isinstance(exc, ApprovalRequired) and approval:
            from pos.tui.screens.dialogs import PinPrompt

            def with_pin(pin: str | None) -> None:
                if pin:
                    self.call(fn, *args, done=done, failed=failed, approval=True, **{**kwargs, "approver_pin": pin})

            self.app.push_screen(PinPrompt(str(exc)), with_pin)
            return
        if failed is not None:
            failed(exc)
        else:
            self.notify(str(exc), severity="error", timeout=6)
