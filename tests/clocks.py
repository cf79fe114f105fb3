"""Clocks for tests: every test that needs a time gets it from one of these, never from the wall.

Each has the ``now()`` of :class:`kiosk.clock.Clock`; the moments are Europe/Brussels local times.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from kiosk.clock import TIMEZONE

#: A Tuesday morning the tests live in (the kiosk opens at 9:30).
MORNING = datetime(2027, 4, 20, 9, 30, tzinfo=TIMEZONE)


class FixedClock:
    """Always ``moment``; set ``moment`` to move it."""

    def __init__(self, moment: datetime = MORNING):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


class StepClock:
    """``step`` later at every reading, from ``start`` (so records made in a row keep their order)."""

    def __init__(self, start: datetime = MORNING, step: timedelta = timedelta(seconds=5)):
        self.moment, self.step = start, step

    def now(self) -> datetime:
        self.moment += self.step
        return self.moment


class RunningClock:
    """Starts at ``start`` and runs on with real time: for a running app, whose countdowns are real."""

    def __init__(self, start: datetime = MORNING):
        self.start, self._started = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._started)
