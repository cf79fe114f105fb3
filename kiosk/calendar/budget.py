"""What expanding a calendar may cost: only the window the kiosk shows, within a budget of occurrences and time.

A repeat rule is cheap to write and can be very expensive to expand: ``FREQ=DAILY`` with every hour,
minute and second listed is one occurrence per second, and a rule that started in 2000 is walked from
2000 on. So the work is bounded, not the syntax:

- **Only the shown window.** Before expanding, the start of a repeating event that began long before
  the window is moved forward by whole repeat periods (weeks for a weekly rule, ``INTERVAL`` included),
  to just before the window: the occurrences from there on are exactly those of the original rule, and
  the years before the window are never walked. Rules with ``COUNT`` are walked from their start (their
  count bounds them), as are monthly rules on day 29-31 and yearly ones on 29 February.
- **A budget per event.** An event that has more than :data:`MAX_EVENT_DATES` dates to walk for one
  window is no activity: it is skipped, with a warning naming it.
- **A budget per window.** All events together may walk :data:`MAX_WINDOW_DATES` dates and spend
  :data:`MAX_SECONDS` of processor time; beyond that the calendar is refused as a whole (:class:`CalendarTooBusyError`) and
  the kiosk keeps showing its last good copy. A real office calendar stays far below both (200 weekly
  activities walk about 900 dates a window).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from kiosk.errors import CalendarTooBusyError

if TYPE_CHECKING:  # dateutil where a rule is measured: in the calendar's own process, not the kiosk's
    import icalendar
    from dateutil.relativedelta import relativedelta

#: The window a refresh prepares: today and the coming week, plus a day so that the next day is ready too.
WINDOW_DAYS = 9
#: Dates one event may walk for one window (a daily activity walks about 10, an hourly one about 220).
MAX_EVENT_DATES = 5_000
#: Dates all events together may walk for one window (10,000 weekly activities walk about 46,000).
MAX_WINDOW_DATES = 100_000
#: Seconds of processor time the expansion of one window may take, all events together (10,000 weekly
#: activities take about 6 s on a laptop core).
MAX_SECONDS = 60.0
#: Room kept between a moved start and the window (time zones, summer time).
_MARGIN = timedelta(days=2)


@dataclass(frozen=True)
class Budget:
    """What expanding one window may cost; the defaults are the kiosk's."""

    event_dates: int = MAX_EVENT_DATES
    window_dates: int = MAX_WINDOW_DATES
    seconds: float = MAX_SECONDS


class EventTooBusy(Exception):
    """One event walks more dates than :attr:`Budget.event_dates` (it is skipped, the rest is shown)."""


class Meter:
    """Counts the dates walked and the time spent on one window; raises when the budget is spent."""

    def __init__(self, budget: Budget, where: str, window: str):
        self.budget = budget
        self.where = where
        self.window = window
        self.dates = 0
        self.started = time.thread_time()

    def check_time(self) -> None:
        """The budget counts the processor time of this thread: a busy machine does not make a calendar
        too big, a calendar that costs work does."""
        if time.thread_time() - self.started > self.budget.seconds:
            raise CalendarTooBusyError(
                f"{self.where} takes more than {self.budget.seconds:g} seconds to work out the activities of "
                f"{self.window}: it is not used; the kiosk keeps showing the last good copy"
            )

    def walk(self, series: Any, stop: datetime, floating: tzinfo) -> None:
        """Walk the repeat dates of one library series (``recurring_ical_events``) up to ``stop``, counting.

        The rules keep what was walked (dateutil's cache), so the expansion that follows walks nothing twice.
        """
        recurrence = getattr(series, "recurrence", None)
        if not getattr(recurrence, "has_core", False):
            return
        walked = 0
        for rule in recurrence.rrules:
            for moment in rule:
                walked += 1
                self.dates += 1
                if walked > self.budget.event_dates:
                    raise EventTooBusy(f"it repeats more than {self.budget.event_dates} times in {self.window}")
                if self.dates > self.budget.window_dates:
                    raise CalendarTooBusyError(
                        f"{self.where} has more than {self.budget.window_dates} activities to work out for "
                        f"{self.window}: it is not used; the kiosk keeps showing the last good copy"
                    )
                if walked % 256 == 0:
                    self.check_time()
                if _aware(moment, floating) >= stop:
                    break


def rebased(event: icalendar.Event, window_start: datetime, floating: tzinfo) -> icalendar.Event:
    """``event`` with its start moved forward by whole repeat periods to just before ``window_start``
    (a copy), or ``event`` itself when that is not needed or not safe (see the module docstring)."""
    rules = event.get("RRULE")
    if rules is None or isinstance(rules, list) or "RECURRENCE-ID" in event or "COUNT" in rules:
        return event
    step, nominal = _period(rules, event.get("DTSTART").dt)
    if step is None:
        return event
    start = event.get("DTSTART").dt
    try:
        length = event.end - start
    except Exception:  # noqa: BLE001 - no usable end: leave the event as it is
        return event
    target = window_start - max(length, timedelta(0)) - _MARGIN
    periods = math.floor((target - _aware(start, floating)) / nominal)
    while periods > 0 and _aware(start + step * periods, floating) > target:  # months and summer time vary
        periods -= 1
    if periods < 1:
        return event
    moved = start + step * periods
    import icalendar  # in the calendar worker only, not at start-up

    clone = icalendar.Event()
    for name, value in event.items():
        clone[name] = value
    clone["DTSTART"] = icalendar.vDDDTypes(moved)
    if "DTEND" in event:
        clone["DTEND"] = icalendar.vDDDTypes(moved + length)
    return clone


def _period(rule: Any, start: date | datetime) -> tuple[relativedelta | None, timedelta]:
    """One whole repeat period of ``rule`` that keeps its dates (a wall-clock step) and its average length."""
    from dateutil.relativedelta import relativedelta

    frequency = str(rule.get("FREQ", [""])[0]).upper()
    try:
        interval = int(rule.get("INTERVAL", [1])[0])
    except (TypeError, ValueError):
        return None, timedelta(0)
    if interval < 1:
        return None, timedelta(0)
    if frequency == "HOURLY":
        days = math.lcm(24, interval) // 24  # whole days, so that the hours keep their place
        return relativedelta(days=days), timedelta(days=days)
    if frequency == "DAILY":
        return relativedelta(days=interval), timedelta(days=interval)
    if frequency == "WEEKLY":
        return relativedelta(weeks=interval), timedelta(weeks=interval)
    if frequency == "MONTHLY" and start.day <= 28:
        return relativedelta(months=interval), timedelta(days=30.4375 * interval)
    if frequency == "YEARLY" and (start.month, start.day) != (2, 29):
        return relativedelta(years=interval), timedelta(days=365.25 * interval)
    return None, timedelta(0)


def _aware(moment: date | datetime, floating: tzinfo) -> datetime:
    """A date or time as an aware datetime (a date at midnight, a time without zone in ``floating``)."""
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day, tzinfo=floating)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=floating)
