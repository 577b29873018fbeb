"""Waiting for the till in a Pilot test."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pos.tui.till_session import FLOW


async def work_done(pilot: Pilot[Any]) -> None:
    """Every worker of the till done but its dialog flows (``pos.tui.till_session.FLOW``): a flow
    waits on the dialog it opened, for the answer the test gives next."""
    busy = [w for w in pilot.app.workers if w.group != FLOW]
    if busy:  # (an empty list would mean every worker to wait_for_complete)
        await pilot.app.workers.wait_for_complete(busy)
