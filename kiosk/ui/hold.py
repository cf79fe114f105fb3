"""A finger held still on the screen for some seconds (the staff door, turning reading on).

Timed from the touch itself (``touch.time_start``), not only by a clock event: Kivy times a scheduled
event from its last frame, so a touch handled after a slow frame (or a main loop that stood still) was
counted as held at the very next frame, and a plain tap on a tile turned reading on instead of opening it.
"""

from __future__ import annotations

import time
from typing import Callable

from kivy.clock import Clock
from kivy.metrics import dp

#: A finger that moves further than this (dp, either way) is not held still.
STILL_DP = 30


class Hold:
    """Calls ``on_held()`` once ``touch`` has been down ``seconds`` (by the wall clock) unless cancelled."""

    def __init__(self, touch, seconds: float, on_held: Callable[[], None]):
        self.touch, self.seconds, self.on_held = touch, seconds, on_held
        self._event = Clock.schedule_once(self._check, seconds)

    def _check(self, _dt) -> None:
        left = self.seconds - (time.time() - self.touch.time_start)
        if left > 0.01:  # the clock counted time the finger was not there yet
            self._event = Clock.schedule_once(self._check, left)
            return
        self._event = None
        self.on_held()

    def cancel(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def moved_away(self) -> bool:
        """Whether the finger moved too far to count as held still."""
        touch = self.touch
        return abs(touch.x - touch.ox) > dp(STILL_DP) or abs(touch.y - touch.oy) > dp(STILL_DP)
