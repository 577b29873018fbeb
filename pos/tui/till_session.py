"""One till's session as a screen works with it: the database, settings, counter and operator
bound once, and the services called off the UI thread with typed results.

A dialog is a coroutine (``Till.flow``): ``answer = await till.ask(TextPrompt(...))`` and
``result = await till.run(service, *args)``, one after the other, instead of callbacks nested in
callbacks. ``run`` keeps what the till always did with a call: it waits for the database opening
behind the login, a manager's approval asked by the service opens the PIN prompt and repeats the
call with it, a refusal is said on screen, anything else is said as an unexpected error; the
screen never waits. A call that gave no result raises ``Stopped`` and the flow ends there,
quietly (the cashier has been told why).

Nothing here loads SQLAlchemy at module level: the login screen uses it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, cast

from textual.screen import Screen
from textual.worker import WorkerCancelled, WorkerFailed

from orto.config import Settings
from orto.errors import OrtoError
from orto.i18n import gettext as _
from pos.tui.context import CounterInfo, TillContext

if TYPE_CHECKING:
    from orto.db import Database
    from pos.selling import Operator

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

# The workers of dialog flows: they wait on the cashier, so "every worker done" leaves them out
# (the service calls they make run as "db" workers, like the callbacks' calls).
FLOW = "flow"


class Opening(Protocol):
    """What a session needs of the app (``pos.tui.app.OrtoTill``): the database, opening behind
    the login, and the till's context."""

    db: Database | None
    context: TillContext | None
    ready: threading.Event
    opening_error: Exception | None

    def retry_open(self) -> bool: ...


class Stopped(Exception):
    """A call gave no result (refused and said, given up at the PIN prompt, no database): the flow ends."""


@dataclass(frozen=True)
class _Done:
    value: Any


@dataclass(frozen=True)
class _Refused:
    error: OrtoError


@dataclass(frozen=True)
class _Broke:
    error: Exception


@dataclass(frozen=True)
class _NotOpen:
    error: Exception | None


class Till:
    """The session of the screen ``screen`` (its workers are the screen's: they end with it)."""

    def __init__(self, screen: Screen[Any], host: Opening) -> None:
        self._screen = screen
        self._host = host

    @property
    def context(self) -> TillContext:
        assert self._host.context is not None
        return self._host.context

    @property
    def db(self) -> Database:
        return self.context.db

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def counter(self) -> CounterInfo:
        return self.context.counter

    @property
    def operator(self) -> Operator:
        """Who is logged in: every service call is made as them."""
        operator = self.context.operator
        assert operator is not None
        return operator

    # ------------------------------------------------------------------ flows

    def flow(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run a dialog flow as a worker of the screen; ``Stopped`` ends it quietly, a bug is said."""

        async def body() -> None:
            try:
                await coroutine
            except Stopped:
                pass
            except Exception as exc:  # a bug in a screen: show it rather than lose it
                self._screen.notify(repr(exc), title=_("Unexpected error"), severity="error", timeout=10)

        self._screen.run_worker(body(), group=FLOW, exit_on_error=False)

    async def ask(self, dialog: Screen[T]) -> T:
        """The dialog over the screen, and its answer once dismissed (only inside a flow)."""
        return await self._screen.app.push_screen_wait(dialog)

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """``fn(*args, **kwargs)`` off the UI thread; a refusal is said on screen and stops the flow."""
        try:
            return cast(R, await self.attempt(fn, *args, **kwargs))
        except OrtoError as exc:
            self._screen.notify(str(exc), severity="error", timeout=6)
            raise Stopped from exc

    async def attempt(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Like ``run``, but a refusal (an OrtoError other than an approval asked) is raised to
        the flow, for it to answer (a lot code not found: search the products instead)."""
        return cast(R, await self.calling(fn, args, kwargs))

    async def calling(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], *, approval: bool = True
    ) -> Any:
        """The untyped core of ``run`` (``TillScreen.call`` uses it too). ``approval``: False at
        the login, whose refusals are never a manager's to approve."""
        while True:
            outcome = await self._in_thread(fn, args, kwargs)
            if isinstance(outcome, _Done):
                return outcome.value
            if isinstance(outcome, _NotOpen):
                self._cannot_open(outcome.error)
                raise Stopped
            if isinstance(outcome, _Broke):  # a bug or the database gone: say it, keep the till alive
                self._screen.notify(str(outcome.error), title=_("Unexpected error"), severity="error", timeout=10)
                raise Stopped
            from pos.selling import ApprovalRequired

            if not (approval and isinstance(outcome.error, ApprovalRequired)):
                raise outcome.error
            from pos.tui.dialogs import PinPrompt

            pin = await self.ask(PinPrompt(str(outcome.error)))
            if not pin:
                raise Stopped
            kwargs = {**kwargs, "approver_pin": pin}

    async def _in_thread(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> _Done | _Refused | _Broke | _NotOpen:
        host = self._host

        def work() -> _Done | _Refused | _Broke | _NotOpen:
            host.ready.wait()
            if host.db is None and not host.retry_open():
                return _NotOpen(host.opening_error)
            try:
                return _Done(fn(*args, **kwargs))
            except OrtoError as exc:
                return _Refused(exc)
            except Exception as exc:
                return _Broke(exc)

        worker = self._screen.run_worker(work, thread=True, exit_on_error=False, group="db")
        try:
            return await worker.wait()
        except (WorkerCancelled, WorkerFailed) as exc:  # the screen went away meanwhile
            raise Stopped from exc

    def _cannot_open(self, exc: Exception | None) -> None:
        message = str(exc) if isinstance(exc, OrtoError) else repr(exc)
        self._screen.notify(
            _("{error} (enter the PIN again to retry)").format(error=message),
            title=_("The database could not be opened"),
            severity="error",
            timeout=15,
        )
