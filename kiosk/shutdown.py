"""One way to stop everything that runs beside the app's window, within one time budget. Kivy-free.

Each background worker (uploads, calendar, speech, ...) joins with ``add(name, stop)``, where ``stop(timeout)``
asks it to end at its next safe point and returns True once it has ended. ``stop_all`` first asks every
worker at once (``stop(0)``: nobody waits for another), then waits for each in turn until the common
deadline. A worker still busy then (an upload waiting for a slow office) is left behind: it is a daemon
thread, and the work it abandons is safe to redo (an upload goes again; the office deduplicates).
"""

from __future__ import annotations

import logging
import time
from typing import Callable

log = logging.getLogger(__name__)

#: Seconds all workers together may take to stop: a stop signal must end the app within 2 s.
STOP_BUDGET = 0.8


class Workers:
    """The app's background workers, stopped together."""

    def __init__(self, budget: float = STOP_BUDGET):
        self.budget = budget
        self._stops: list[tuple[str, Callable[[float], bool]]] = []
        #: The workers that had not ended when ``stop_all`` ran out of time.
        self.left_running: list[str] = []

    def add(self, name: str, stop: Callable[[float], bool]) -> None:
        """``stop(timeout)`` ends the worker at a safe point; True when it has ended within ``timeout``."""
        self._stops.append((name, stop))

    def stop_all(self) -> list[str]:
        """Stop every worker (each once); the names of those still running when the budget ran out."""
        stops, self._stops = self._stops, []
        deadline = time.monotonic() + self.budget
        for name, stop in stops:
            _ask(name, stop, 0)
        late = [name for name, stop in stops if not _ask(name, stop, max(0.0, deadline - time.monotonic()))]
        if late:
            log.warning("still busy at shutdown, left to end on their own: %s", ", ".join(late))
        self.left_running += late
        return late


def _ask(name: str, stop: Callable[[float], bool], timeout: float) -> bool:
    try:
        return bool(stop(timeout))
    except Exception:  # noqa: BLE001 - one worker's failure must not keep the others running
        log.exception("stopping %s failed", name)
        return True
