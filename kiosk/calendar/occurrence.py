"""One occurrence of an activity, in local time, as the kiosk shows it and ``kiosk activities --json`` prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.calendar.convention import DEFAULT_PICTOGRAM, SignupRule
from kiosk.clock import TIMEZONE


@dataclass(frozen=True)
class Occurrence:
    """An activity on one date and time. Immutable; safe to hand from a worker thread to the UI.

    ``start`` and ``end`` are aware datetimes in Europe/Brussels, or dates when ``all_day``. ``end`` is
    exclusive, as in iCalendar: an all-day activity on 20 April has ``end`` 21 April (see :attr:`last_day`).
    ``uid`` names the series (every Tuesday's meeting has the same uid); :attr:`key` names this occurrence.
    """

    uid: str
    title: str
    start: datetime | date
    end: datetime | date
    all_day: bool = False
    location: str = ""
    description: str = ""
    categories: tuple[str, ...] = ()
    signup: SignupRule = field(default_factory=SignupRule)
    pictogram: str = DEFAULT_PICTOGRAM
    #: The start this occurrence had in the series (RECURRENCE-ID); differs from ``start`` when it was moved.
    original_start: datetime | date | None = None

    @property
    def key(self) -> str:
        """Names this one occurrence, stable when it is moved: ``<uid>/<original start>``. Sign-ups use it."""
        return f"{self.uid}/{_iso(self.original_start if self.original_start is not None else self.start)}"

    @property
    def starts_at(self) -> datetime:
        """The start as a local datetime (midnight for an all-day activity), for sorting and comparing."""
        return _moment(self.start)

    @property
    def ends_at(self) -> datetime:
        return _moment(self.end)

    @property
    def last_day(self) -> date:
        """The last local date the activity takes place on (inclusive)."""
        if self.all_day:
            return max(_day(self.start), _day(self.end) - timedelta(days=1))
        end = self.ends_at
        if end > self.starts_at and end.time() == time(0):
            return end.date() - timedelta(days=1)  # ends at midnight: still the day before
        return end.date()

    @property
    def first_day(self) -> date:
        return _day(self.start)

    @property
    def multi_day(self) -> bool:
        return self.last_day > self.first_day

    def on(self, day: date) -> bool:
        """True when the activity takes place (in part) on the local date ``day``."""
        return self.first_day <= day <= self.last_day

    def in_progress(self, moment: datetime) -> bool:
        """True when ``moment`` lies between the start (inclusive) and the end (exclusive)."""
        return self.starts_at <= moment < self.ends_at

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``kiosk activities --json``: ISO 8601 with UTC offset, or dates when all-day."""
        return {
            "uid": self.uid,
            "occurrence": self.key,
            "title": self.title,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "all_day": self.all_day,
            "location": self.location,
            "description": self.description,
            "categories": list(self.categories),
            "signup": {"required": self.signup.required, "capacity": self.signup.capacity},
            "pictogram": self.pictogram,
        }


def _iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=TIMEZONE)


def by_start(occurrence: Occurrence) -> tuple[datetime, bool, datetime, str]:
    """Sort key: by start (all-day activities first on their day), then end, then title."""
    return occurrence.starts_at, not occurrence.all_day, occurrence.ends_at, occurrence.title
