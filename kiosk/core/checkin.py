"""Check in: how many are you, first time here, what brings you."""

from __future__ import annotations

from typing import Any, Iterable

from kiosk.core.records import Recorder, RecordType
from kiosk.errors import ValidationError

MAX_PER_GROUP = 20

#: What a visitor can say brings them; ``activity`` comes with an activity id from the calendar.
REASONS = ("coffee", "question", "activity")


def check_in(
    recorder: Recorder,
    adults: int,
    children: int,
    first_time: bool | None,
    reasons: Iterable[str],
    card: str | None = None,
    demo: bool = False,
) -> dict[str, Any]:
    """Validate and store one check-in; return the stored record.

    ``first_time`` None means "did not say". ``reasons`` are from :data:`REASONS`, an activity as
    ``"activity:<uid>"``. ``card`` is a member-card id for a one-scan check-in; ``demo`` marks synthetic records.
    """
    for count in (adults, children):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PER_GROUP:
            raise ValidationError("bad_count", f"a group count must be 0..{MAX_PER_GROUP}, got {count!r}")
    if adults + children == 0:
        raise ValidationError("nobody", "a check-in needs at least one person")
    if first_time not in (True, False, None):
        raise ValidationError("bad_first_time", f"first_time must be yes, no or unknown, got {first_time!r}")
    chosen = list(dict.fromkeys(reasons))
    for reason in chosen:
        if reason.partition(":")[0] not in REASONS or len(reason) > 200:
            raise ValidationError("bad_reason", f"unknown reason {reason[:40]!r}")
    data: dict[str, Any] = {"adults": adults, "children": children, "first_time": first_time, "reasons": chosen}
    if card:
        data["card"] = card
    if demo:
        data["demo"] = True
    return recorder.record(RecordType.CHECKIN, data)
