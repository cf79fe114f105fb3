"""Realistic synthetic visitors for demos, staff training, benchmarks and crash tests.

They go through the very same use cases and repository as real visitors; ``data.demo`` marks them.
Use a separate data folder (``KIOSK_DATA_DIR``) so that demo days never mix with real ones.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator

from kiosk.clock import TIMEZONE
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder


class ScriptedClock:
    """A clock that walks through opening hours (9:30 to 12:30) of one day, one step per call."""

    def __init__(self, day: date, steps: int):
        self._start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=TIMEZONE)
        self._step = timedelta(hours=3) / max(steps, 1)
        self._calls = 0

    def now(self) -> datetime:
        moment = self._start + self._step * self._calls
        self._calls += 1
        return moment


def demo_checkins(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Check in ``count`` plausible groups; yield each record once it is stored."""
    for _ in range(count):
        adults = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        children = rng.choices([0, 1, 2, 3], weights=[7, 1, 1, 1])[0]
        reasons = rng.sample(["coffee", "question", "activity"], k=rng.choice([1, 1, 2]))
        yield check_in(recorder, adults, children, rng.random() < 0.2, reasons, demo=True)


DEMO_KINDS: dict[str, Callable[[Recorder, int, random.Random], Iterator[dict[str, Any]]]] = {
    "checkins": demo_checkins,
}
