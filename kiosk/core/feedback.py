"""How was it today? Four smileys; a child pressing them all in a row counts once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kiosk.core.records import Recorder, RecordType
from kiosk.errors import ValidationError

SCORES = (1, 2, 3, 4)  # very unhappy … very happy
MIN_INTERVAL = timedelta(seconds=20)


class FeedbackDesk:
    """Takes smiley taps. A tap within ``MIN_INTERVAL`` of the previous tap is ignored, so a run of
    taps counts once, however long it lasts."""

    def __init__(self, recorder: Recorder, min_interval: timedelta = MIN_INTERVAL):
        self.recorder = recorder
        self.min_interval = min_interval
        self._last: datetime | None = None

    def give(self, score: int, where: str = "home") -> dict[str, Any] | None:
        """Store the score, or return None when it came too soon after the last one."""
        if score not in SCORES:
            raise ValidationError("bad_score", f"a score is 1 to 4, got {score!r}")
        now = self.recorder.clock.now()
        previous, self._last = self._last, now
        if previous is not None and abs(now - previous) < self.min_interval:
            return None
        return self.recorder.record(RecordType.FEEDBACK, {"score": score, "where": str(where)[:20]})
