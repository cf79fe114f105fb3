"""Expanding a calendar into the occurrences of a day: ``icalendar`` parses, ``recurring-ical-events`` expands.

What counts (RFC 5545 as those libraries implement it): RRULE, RDATE, EXDATE, single occurrences moved
or changed with RECURRENCE-ID, STATUS:CANCELLED occurrences and series left out, time zones (an event
given in UTC, New York or an Outlook zone is shown in Belgian time; a time without zone is Belgian
time, or the calendar's X-WR-TIMEZONE), all-day and multi-day events. "Today" is the local date.
Events marked CLASS:PRIVATE or CONFIDENTIAL are left out: the kiosk stands in a public room.

One bad event is skipped and described in :attr:`Programme.warnings` (with its line); a calendar that
cannot be read at all raises :class:`~kiosk.errors.CalendarError` (see :mod:`kiosk.calendar.parse`).

Parse once (:func:`parse_calendar`), then ask often: occurrences are worked out for one window of dates
(today and the coming week), within a budget of dates walked and time (:mod:`kiosk.calendar.budget`), and
questions inside that window are answered from it. :func:`prime_window` prepares the window in a worker
thread before the UI asks; a calendar over budget is refused there (:class:`~kiosk.errors.CalendarTooBusyError`).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Iterable, Sequence
from zoneinfo import ZoneInfo

from kiosk.calendar.budget import WINDOW_DAYS, Budget, EventTooBusy, Meter, rebased
from kiosk.calendar.convention import CAPACITY_PROPERTY, PICTOGRAM_PROPERTY, SIGNUP_PROPERTY, pictogram_of, signup_of
from kiosk.calendar.occurrence import Occurrence, by_start
from kiosk.calendar.parse import read_calendar_text
from kiosk.clock import TIMEZONE
from kiosk.errors import CalendarTooBusyError

if TYPE_CHECKING:
    import icalendar

log = logging.getLogger(__name__)

#: Words for the properties a person may have to fix, for warnings.
PROPERTY_WORDS = {
    "DTSTART": "start (DTSTART)",
    "DTEND": "end (DTEND)",
    "DURATION": "duration (DURATION)",
    "RRULE": "repeat rule (RRULE)",
    "RDATE": "extra dates (RDATE)",
    "EXDATE": "left-out dates (EXDATE)",
    "RECURRENCE-ID": "changed occurrence (RECURRENCE-ID)",
}
HIDDEN_CLASSES = ("PRIVATE", "CONFIDENTIAL")
#: Repeat rules that no activity has, and that would keep the expansion busy for a very long time.
TOO_OFTEN = ("SECONDLY", "MINUTELY")


@dataclass(frozen=True)
class NowAndNext:
    """What is on at a moment: ``now`` (in progress) and ``next`` (the first one still to start)."""

    now: tuple[Occurrence, ...]
    next: Occurrence | None


@dataclass
class _Series:
    """The events sharing one UID (a rule and its changed occurrences), ready to expand."""

    uid: str
    label: str  # for warnings: 'event "Samen Tafelen" (line 40)'
    events: list[icalendar.Event]


@dataclass(frozen=True)
class _Window:
    """The occurrences of every series from ``start`` up to ``end``, by start."""

    start: datetime
    end: datetime
    occurrences: tuple[Occurrence, ...]

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


class Programme:
    """A parsed calendar that answers "what is on". Safe to share between threads (one lock inside).

    Get one from :func:`parse_calendar` or from a :class:`~kiosk.calendar.source.CalendarSource`.
    Occurrences are worked out for one window of dates at a time, within a :class:`Budget` (see
    :mod:`kiosk.calendar.budget`); :func:`prime_window` prepares the kiosk's window in a worker thread, so
    that the UI's questions are answered from it at once.
    """

    def __init__(
        self,
        series: Sequence[_Series] = (),
        warnings: Iterable[str] = (),
        where: str = "",
        name: str = "",
        floating: tzinfo = TIMEZONE,
        budget: Budget = Budget(),
    ):
        self._series = list(series)
        self._floating = floating
        self._warnings = list(warnings)
        self._failed: set[str] = set()
        self._window: _Window | None = None
        self._series_count = len(self._series)
        #: True when the window was worked out in another process (:meth:`worked_out`): this programme holds
        #: no series, so it cannot work out another window itself (its source does, see kiosk.calendar.elsewhere).
        self.worked_out_elsewhere = False
        self._lock = threading.Lock()
        self.budget = budget
        #: Where the calendar came from, for messages (a file path or a shortened address).
        self.where = where
        #: The calendar's own name (X-WR-CALNAME), or "".
        self.name = name

    @property
    def warnings(self) -> tuple[str, ...]:
        """Events that were skipped or partly understood, one line each, in plain words (for staff)."""
        with self._lock:
            return tuple(self._warnings)

    @property
    def series_count(self) -> int:
        """How many events (series) the programme holds, not counting skipped ones."""
        return self._series_count

    @classmethod
    def worked_out(cls, occurrences: Iterable[Occurrence], start: datetime, end: datetime, warnings: Iterable[str] = (),
                   where: str = "", name: str = "", series_count: int = 0, budget: Budget = Budget()) -> Programme:
        """A programme whose window (``start`` up to ``end``) was worked out in another process: it answers
        from those occurrences (a question beyond the window gets the part inside it)."""
        programme = cls((), warnings, where, name, budget=budget)
        programme._window = _Window(start, end, tuple(sorted(occurrences, key=by_start)))
        programme._series_count = series_count
        programme.worked_out_elsewhere = True
        return programme

    def covers(self, day: date) -> bool:
        """Whether the prepared window holds the kiosk's window from ``day`` (see :meth:`prime`)."""
        with self._lock:
            window = self._window
        return window is not None and window.covers(midnight(day), midnight(day + timedelta(days=WINDOW_DAYS - 1)))

    def between(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Occurrences that take place (in part) from ``start`` up to ``end`` (aware datetimes), by start.

        Each occurrence is listed once, however many days it spans. Cancelled ones are left out. Answered
        from the prepared window when it covers the question; otherwise a window from ``start`` is worked
        out first (a calendar over budget for it answers nothing and says why in :attr:`warnings`).
        """
        with self._lock:
            window = self._window
        if (window is None or not window.covers(start, end)) and not self.worked_out_elsewhere:
            try:
                window = self.expand(start, end)
            except CalendarTooBusyError as error:
                with self._lock:
                    self._warnings.append(_sentence(str(error)))
                window = _Window(start, end, ())
                with self._lock:
                    self._window = window
        return [o for o in window.occurrences if _overlaps(o, start, end)]

    def expand(self, start: datetime, end: datetime | None = None) -> _Window:
        """Work out the window from ``start`` up to ``end`` (at least :data:`WINDOW_DAYS` days) and keep it.

        Raises :class:`CalendarTooBusyError` when that costs more than the budget; an event that alone
        walks too many dates is skipped with a warning. Slow for a big calendar: call it in a worker.
        """
        end = max(end or start, midnight(start.astimezone(TIMEZONE).date() + timedelta(days=WINDOW_DAYS)))
        last = (end - timedelta(microseconds=1)).astimezone(TIMEZONE)
        shown = f"{start.astimezone(TIMEZONE):%d/%m/%Y} to {last:%d/%m/%Y}"
        meter = Meter(self.budget, self.where or "the calendar", shown)
        with self._lock:
            failed = set(self._failed)
        found: list[Occurrence] = []
        problems: list[tuple[str, str]] = []
        for series in self._series:
            if series.uid in failed:
                continue
            meter.check_time()
            try:
                found.extend(self._expand_series(series, start, end, meter))
            except CalendarTooBusyError:
                raise
            except EventTooBusy as error:
                problems.append((series.uid, f"{series.label} skipped: {error}: that is not an activity"))
            except Exception as error:  # noqa: BLE001 - one bad series must never hide the others
                problems.append((series.uid, f"{series.label} skipped: it cannot be expanded ({_short(error)})"))
                log.info("calendar: %s cannot be expanded", series.label, exc_info=True)
        found.sort(key=by_start)
        window = _Window(start, end, tuple(found))
        with self._lock:
            for uid, problem in problems:
                if uid not in self._failed:
                    self._failed.add(uid)
                    self._warnings.append(problem)
            self._window = window
        return window

    def _expand_series(self, series: _Series, start: datetime, end: datetime, meter: Meter) -> list[Occurrence]:
        import icalendar  # imported by parse_calendar first, in the worker: not at start-up
        import recurring_ical_events

        single = icalendar.Calendar()
        for event in series.events:
            single.add_component(rebased(event, start, self._floating))
        query = recurring_ical_events.of(single)
        for library_series in query.series:
            meter.walk(library_series, end, self._floating)
        components = query.between(start, end)
        occurrences = [_occurrence(c, series.uid, self._floating) for c in components if _shown(c)]
        return [o for o in occurrences if _overlaps(o, start, end)]

    def day(self, day: date) -> list[Occurrence]:
        """The occurrences of one local date (those spanning several days too), by start."""
        return self.between(midnight(day), midnight(day + timedelta(days=1)))

    def coming_days(self, first: date, count: int = 7) -> list[tuple[date, list[Occurrence]]]:
        """``count`` local dates from ``first``, each with its occurrences (a multi-day one on each of its days)."""
        occurrences = self.between(midnight(first), midnight(first + timedelta(days=count)))
        days = [first + timedelta(days=n) for n in range(count)]
        return [(day, [o for o in occurrences if o.on(day)]) for day in days]

    def now_and_next(self, moment: datetime, days: int = 1) -> NowAndNext:
        """What is on at ``moment`` and what comes next, looking ``days`` local dates ahead (1: today only)."""
        today = moment.astimezone(TIMEZONE).date()
        return now_and_next(self.between(midnight(today), midnight(today + timedelta(days=days))), moment)

    def prime(self, day: date) -> None:
        """Prepare the window from ``day`` now, unless the prepared one covers it (call it in a worker).

        Raises :class:`CalendarTooBusyError` when the calendar is over budget for that window.
        """
        if not self.covers(day) and not self.worked_out_elsewhere:
            self.expand(midnight(day))


def prime_window(programme: Programme, day: date) -> Programme:
    """Prepare ``programme``'s window from ``day`` (what a refresh does in its worker); return it.
    Raises :class:`CalendarTooBusyError` when it is over budget."""
    programme.prime(day)
    return programme


def midnight(day: date) -> datetime:
    """The start of a local date (days are 23 or 25 hours long when the clocks change)."""
    return datetime(day.year, day.month, day.day, tzinfo=TIMEZONE)


def now_and_next(occurrences: Iterable[Occurrence], moment: datetime) -> NowAndNext:
    """From ``occurrences``: those in progress at ``moment``, and the first that starts after it.

    All-day occurrences are neither: they are on all day, and the screen shows them as such.
    """
    timed = sorted((o for o in occurrences if not o.all_day), key=by_start)
    now = tuple(o for o in timed if o.in_progress(moment))
    upcoming = next((o for o in timed if o.starts_at > moment), None)
    return NowAndNext(now, upcoming)


def parse_calendar(data: bytes | str, where: str = "the calendar", budget: Budget = Budget()) -> Programme:
    """Read iCalendar ``data`` into a :class:`Programme`. ``where`` names the source in messages.

    Raises :class:`~kiosk.errors.CalendarError` when the calendar as a whole cannot be read; a bad
    event is skipped with a warning instead.
    """
    import icalendar  # here, not at start-up (a second's import on a Raspberry Pi): the worker reads calendars

    text = read_calendar_text(data, where)
    calendar = text.calendar
    floating = _floating_zone(calendar)
    warnings: list[str] = []
    groups: dict[str, list[tuple[icalendar.Event, str]]] = defaultdict(list)
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = text.event_lines[index]
        label = _label(event, line)
        problem = text.broken_events.get(index) or _problem(event, label, warnings)
        if problem:
            warnings.append(f"{label} skipped: {problem}")
            continue
        if "UID" not in event:
            event["UID"] = f"event-{index + 1}"  # RFC 5545 requires one; a hand-written calendar may lack it
        zone = _unknown_zone(event)
        if zone:
            warnings.append(f'{label}: the time zone "{zone}" is unknown; its times are read as Belgian time')
        warnings.extend(f"{label}: {p}" for p in _convention_problems(event))
        groups[str(event["UID"])].append((event, label))
    series = [_Series(uid, members[0][1], [event for event, _ in members]) for uid, members in groups.items()]
    name = str(calendar.get("X-WR-CALNAME", "")).strip()
    return Programme(series, warnings, where, name, floating, budget)


def _label(event: icalendar.Event, line: int | None) -> str:
    title = str(event.get("SUMMARY", "")).strip() or "(no title)"
    return f'event "{title}"' + (f" (line {line})" if line else "")


def _problem(event: icalendar.Event, label: str, warnings: list[str]) -> str | None:
    """Why ``event`` cannot be shown, in words; None when it can. Lesser problems go to ``warnings``."""
    for name, detail in event.errors:
        if name in PROPERTY_WORDS:
            return f"its {PROPERTY_WORDS[name]} cannot be read ({_short(detail)})"
        warnings.append(f"{label}: its {name} cannot be read and is left aside ({_short(detail)})")
    if "DTSTART" not in event:
        return "it has no start (DTSTART)"
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if any(str(f).upper() in TOO_OFTEN for f in rule.get("FREQ", [])):
            return "its repeat rule (RRULE) repeats every minute or second: that is not an activity"
        if any(not isinstance(i, int) or i < 1 for i in rule.get("INTERVAL", [1])):
            return "its repeat rule (RRULE) has an INTERVAL below 1"
    try:
        start, end = event.start, event.end
        backwards = end < start
    except Exception as error:  # noqa: BLE001 - icalendar raises several kinds here; TypeError: naive vs aware
        return f"its start and end cannot be read together ({_short(error)})"
    if backwards:
        return f"it ends ({end}) before it starts ({start})"
    return None


def _floating_zone(calendar: icalendar.Calendar) -> tzinfo:
    """Times without a zone are Belgian time, unless the calendar names its own zone (X-WR-TIMEZONE)."""
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    try:
        return ZoneInfo(name) if name else TIMEZONE
    except (ValueError, KeyError, OSError):
        return TIMEZONE


def _unknown_zone(event: icalendar.Event) -> str | None:
    """The TZID of the start when no time zone of that name is known (icalendar then gives a floating time)."""
    prop = event.get("DTSTART")
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime) and value.tzinfo is None and "TZID" in prop.params:
        return str(prop.params["TZID"])
    return None


def _convention_problems(event: icalendar.Event) -> list[str]:
    _, _, problems = signup_of(_x_properties(event), _categories(event), str(event.get("DESCRIPTION", "")))
    problems += pictogram_of(_text(event, PICTOGRAM_PROPERTY), _categories(event), "")[1]
    return problems


def _shown(component: icalendar.Component) -> bool:
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return False
    return str(component.get("CLASS", "")).upper() not in HIDDEN_CLASSES


def _occurrence(component: icalendar.Component, uid: str, floating: tzinfo) -> Occurrence:
    start = _local(component["DTSTART"].dt, floating)
    end = _local(component.end, floating)
    title = str(component.get("SUMMARY", "")).strip()
    categories = _categories(component)
    description = str(component.get("DESCRIPTION", "")).replace("\r\n", "\n").strip()
    signup, description, _ = signup_of(_x_properties(component), categories, description)
    pictogram, _ = pictogram_of(_text(component, PICTOGRAM_PROPERTY), categories, title)
    original = component.get("RECURRENCE-ID")
    return Occurrence(
        uid=uid,
        title=title,
        start=start,
        end=end,
        all_day=not isinstance(start, datetime),
        location=str(component.get("LOCATION", "")).strip(),
        description=description,
        categories=categories,
        signup=signup,
        pictogram=pictogram,
        original_start=_local(original.dt, floating) if original is not None else None,
    )


def _local(value: date | datetime, floating: tzinfo) -> date | datetime:
    """A date as it is; a time in Belgian time (a time without zone is in the ``floating`` zone)."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=floating)
    return value.astimezone(TIMEZONE)


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    begins, ends = occurrence.starts_at, occurrence.ends_at
    if begins == ends:
        return start <= begins < end
    return begins < end and ends > start


def _categories(component: icalendar.Component) -> tuple[str, ...]:
    try:
        values = component.categories
    except Exception:  # noqa: BLE001 - a garbled CATEGORIES must not hide the event
        return ()
    return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _text(component: icalendar.Component, name: str) -> str | None:
    value = component.get(name)
    return None if value is None else str(value)


def _x_properties(component: icalendar.Component) -> dict[str, str]:
    return {name: str(component[name]) for name in (SIGNUP_PROPERTY, CAPACITY_PROPERTY) if name in component}


def _short(error: object, limit: int = 160) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
