"""Wall-clock time in Europe/Brussels, and whether it can be trusted.

A Raspberry Pi has no battery clock: after a power cut it may boot in 1970, or an hour off, until the
network sets it. Records are still written (nothing is refused), but flagged ``clock_ok=false``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Brussels")

#: No real record can be older than the software that writes it.
EARLIEST_PLAUSIBLE = datetime(2026, 1, 1, tzinfo=TIMEZONE)

#: How far the clock may step back (e.g. an NTP correction) before it counts as wrong.
BACKWARD_TOLERANCE = timedelta(minutes=5)


class Clock(Protocol):
    """Anything that tells the time: :class:`SystemClock`, or a test's fixed clock."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock. Tests pass their own object with the same ``now()``."""

    def now(self) -> datetime:
        return datetime.now(TIMEZONE)


def clock_looks_right(now: datetime, latest_seen: datetime | None) -> bool:
    """False when ``now`` is before the software existed, or well before a time already recorded."""
    if now < EARLIEST_PLAUSIBLE:
        return False
    return latest_seen is None or now >= latest_seen - BACKWARD_TOLERANCE


def parse_time(value: Any) -> datetime | None:
    """An ISO time with its UTC offset, as the kiosk writes them (records, state, bookkeeping); None when
    ``value`` is not one (not text, not a time, or a time without offset)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
