"""The base of every full screen of the till.

A screen never imports the app (``pos.tui.app`` sits above the screens) nor another screen: it
reaches the app through ``self.host`` (``TillHost``: the database opening
behind the login, the print queues), its session through ``self.till`` (``Till``) and the next
screen through ``self.nav`` (``pos.tui.routes.Navigator``: ``self.nav.sale()``). Nothing here
loads SQLAlchemy: the login screen is one of these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from textual.screen import Screen

from orto.config import Settings
from orto.errors import OrtoError
from orto.i18n import gettext as _
from pos.tui.context import CounterInfo, TillContext
from pos.tui.routes import Navigator
from pos.tui.till_session import Opening, Till

if TYPE_CHECKING:
    from orto.driver import UserChoice

R = TypeVar("R")


@runtime_checkable
class TillHost(Opening, Protocol):
    """What the screens use of the app (``pos.tui.app.OrtoTill``), which they never import."""

    settings: Settings
    users: list[UserChoice] | None
    queue: Any
    fiscal_queue: Any
    nav: Navigator

    def begin(self, counter: CounterInfo) -> None: ...


class TillScreen(Screen[Any]):
    """A screen of the till, with the helper that keeps database work off the UI thread."""

    @property
    def host(self) -> TillHost:
        app = self.app
        assert isinstance(app, TillHost)
        return app

    @property
    def ctx(self) -> TillContext:
        assert self.host.context is not None
        return self.host.context

    @property
    def nav(self) -> Navigator:
        return self.host.nav

    @property
    def till(self) -> Till:
        """This screen's session: ``await self.till.run(service, ...)`` in a flow."""
        return Till(self, self.host)

    def call(
        self,
        fn: Callable[..., R],
        *args: Any,
        done: Callable[[R], None] | None = None,
        failed: Callable[[OrtoError], None] | None = None,
        approval: bool = True,
        **kwargs: Any,
    ) -> None:
        """Run ``fn`` in a worker thread; ``done(result)`` back on the UI thread (the callbacks'
        way; a dialog flow awaits ``self.till.run`` instead).

        A manager approval asked by the service opens a PIN prompt and repeats the call with it.
        """

        def work() -> None:
            host = self.host
            host.ready.wait()
            if host.db is None and not host.retry_open():
                self.app.call_from_thread(self.till._cannot_open, host.opening_error)
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

    def _failed(
        self,
        exc: OrtoError,
        fn: Callable[..., R],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        done: Callable[[R], None] | None,
        failed: Callable[[OrtoError], None] | None,
        approval: bool,
    ) -> None:
        from pos.selling import ApprovalRequired

        if isinstance(exc, ApprovalRequired) and approval:
            self.till.flow(self._approved(str(exc), fn, args, kwargs, done, failed))
        elif failed is not None:
            failed(exc)
        else:
            self.notify(str(exc), severity="error", timeout=6)

    async def _approved(
        self,
        reason: str,
        fn: Callable[..., R],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        done: Callable[[R], None] | None,
        failed: Callable[[OrtoError], None] | None,
    ) -> None:
        """The manager's PIN the service asked for, and the same call again with it (Esc: nothing)."""
        from pos.tui.dialogs import PinPrompt

        pin = await self.till.ask(PinPrompt(reason))
        if pin:
            self.call(fn, *args, done=done, failed=failed, approval=True, **{**kwargs, "approver_pin": pin})
