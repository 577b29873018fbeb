"""The till: a Textual app for the emporio, bar and catering counters.

It holds no business rule: screens call pos.selling and friends. Every database and printer
call runs in a worker thread (``TillScreen.call``, or ``Till.run`` awaited in a dialog flow:
pos.tui.till_session), so the interface never freezes; an error becomes a notice and the cart
stays as it was (it is in the database already). The screens never import each other: the app
builds the registry of them once (``pos.tui.navigation.build``) and they ask it for the next one.

Plain ``orto`` opens with ``OrtoTill.opening``: the login screen is drawn from what
``orto.driver`` read without SQLAlchemy, and SQLAlchemy, the models, the selling code and the
sale screen load in a worker while the cashier types the PIN. This module and the login screen
therefore import none of them at module level.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding

from orto.config import Settings
from orto.i18n import gettext as _
from pos.tui.context import CounterInfo, TillContext
from pos.tui.navigation import build
from pos.tui.till_session import FLOW

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
        # every screen by name, so that no screen imports another (pos.tui.navigation)
        self.nav = build()
        if db is not None:
            self.ready.set()

    @classmethod
    def opening(cls, settings: Settings, counter: CounterInfo, users: list[UserChoice]) -> OrtoTill:
        """A till whose database opens behind the login screen (see the module's docstring)."""
        return cls(None, settings, counter, users=users)

    def on_mount(self) -> None:
        self.title = _("Orto - till")
        if self.counter_info is None:
            self.push_screen(self.nav.wizard())
            return
        self.begin(self.counter_info)

    def begin(self, counter: CounterInfo) -> None:
        self.context = TillContext(self.db, self.settings, counter, demo_pins=self.demo_pins)
        self.sub_title = f"{counter.site_name} - {counter.name}"
        self.push_screen(self.nav.login())
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

                from orto.db import Database

                # the login's own code (pos.selling) and the next screen: switching to it imports nothing
                self.nav.preload()
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
        self._quit_if_confirmed(count)

    # a dialog flow (it waits on the cashier: see pos.tui.till_session)
    @work(group=FLOW, exit_on_error=False)
    async def _quit_if_confirmed(self, count: int) -> None:
        from pos.tui.dialogs import Confirm

        question = _("A sale is open with {count} lines (kept: the next start shows it). Quit? y = yes, Enter = no")
        if await self.push_screen_wait(Confirm(question.format(count=count))):
            self.exit()

    def on_unmount(self) -> None:
        if self.queue is not None:
            self.queue.stop(timeout=1.0)
        if self.fiscal_queue is not None:
            self.fiscal_queue.stop(timeout=1.0)
