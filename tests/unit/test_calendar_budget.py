"""The calendar's expansion budget: only the shown window is worked out, hostile calendars are refused in
bounded time and memory, and moving a rule's start forward never changes what the kiosk shows."""

import resource
import threading
import time
from datetime import timedelta

import icalendar
import pytest
import recurring_ical_events

from icstext import WEEKLY_MEETING, calendar, day, local
from kiosk.calendar.budget import Budget
from kiosk.calendar.expand import midnight, parse_calendar, prime_window
from kiosk.calendar.source import CalendarSource
from kiosk.errors import CalendarTooBusyError

EVERY = ",".join(map(str, range(60)))
#: The reviewer's 680-byte event: every second of every day since 2020.
EVERY_SECOND = (
    "UID:bomb@test\nSUMMARY:Bom\nDTSTART:20200101T000000Z\nDURATION:PT1S\n"
    f"RRULE:FREQ=DAILY;BYHOUR={','.join(map(str, range(24)))};BYMINUTE={EVERY};BYSECOND={EVERY}\n"
)


def weekly_since(year: int, n: int, rule: str = "FREQ=WEEKLY", extra: str = "") -> str:
    return (f"UID:w{n}@test\nSUMMARY:Activiteit {n}\n"
            f"DTSTART;TZID=Europe/Brussels:{year}0104T{8 + n % 10:02d}3000\n"
            f"DTEND;TZID=Europe/Brussels:{year}0104T{9 + n % 10:02d}0000\nRRULE:{rule}\n{extra}")  # fmt: skip


def test_an_event_repeating_every_second_is_skipped_quickly_and_the_rest_is_shown():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    programme = prime_window(parse_calendar(calendar(WEEKLY_MEETING, EVERY_SECOND), "bomb.ics"), day("2027-04-20"))
    assert [o.uid for o in programme.day(day("2027-04-20"))] == ["meeting@test"]
    assert programme.warnings == (
        'event "Bom" (line 14) skipped: it repeats more than 5000 times in 20/04/2027 to 28/04/2027: '
        "that is not an activity",
    )
    # Bounded, not merely eventually refused: before the budget this took minutes and gigabytes.
    assert time.monotonic() - started < 30
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # kB


def test_many_busy_events_together_over_the_window_budget_refuse_the_whole_calendar():
    busy = [weekly_since(2026, n, "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16") for n in range(20)]
    programme = parse_calendar(calendar(*busy), "busy.ics", Budget(window_dates=1_000))
    with pytest.raises(CalendarTooBusyError, match="busy.ics has more than 1000 activities to work out for "
                                                   "20/04/2027 to 28/04/2027: it is not used"):
        prime_window(programme, day("2027-04-20"))


def test_a_calendar_that_takes_longer_than_the_time_budget_is_refused():
    programme = parse_calendar(calendar(*(weekly_since(2000, n) for n in range(30))), "slow.ics", Budget(seconds=0))
    with pytest.raises(CalendarTooBusyError, match="slow.ics takes more than 0 seconds"):
        prime_window(programme, day("2027-04-20"))


def test_an_over_budget_calendar_is_refused_by_a_refresh_and_the_last_good_copy_stays(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_text(calendar(WEEKLY_MEETING))
    source = CalendarSource(str(path), tmp_path / "cache", clock=FixedClock(), budget=Budget(window_dates=200))
    assert source.refresh().status.fresh
    path.write_text(calendar(*(weekly_since(2026, n, "FREQ=DAILY") for n in range(40))))
    snapshot = source.refresh()
    assert snapshot.status.problem_code == "too_busy" and snapshot.status.loaded and not snapshot.status.fresh
    assert "has more than 200 activities to work out" in snapshot.status.describe()
    assert "the kiosk keeps showing the last good copy" in snapshot.status.describe()
    assert [o.uid for o in snapshot.programme.day(day("2027-04-20"))] == ["meeting@test"]
    # After a restart the kept copy is the good one, not the refused one.
    again = CalendarSource(str(path), tmp_path / "cache", clock=FixedClock(), budget=Budget(window_dates=200))
    assert [o.uid for o in again.refresh().programme.day(day("2027-04-20"))] == ["meeting@test"]


class FixedClock:
    def now(self):
        return local(2027, 4, 20, 9, 0)


RULES = [
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH",
    "FREQ=DAILY;INTERVAL=5",
    "FREQ=HOURLY;INTERVAL=7;BYHOUR=9,10,11,12,13,14,15,16,17",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=MONTHLY;INTERVAL=2",
    "FREQ=YEARLY;BYMONTH=3,4,10;BYDAY=-1SU",
    "FREQ=WEEKLY;UNTIL=20270425T000000Z",
    "FREQ=WEEKLY;COUNT=1500",
]


@pytest.mark.parametrize("rule", RULES)
def test_moving_a_rules_start_forward_keeps_exactly_the_occurrences_of_the_library(rule):
    event = weekly_since(2001, 3, rule, "EXDATE;TZID=Europe/Brussels:20270420T113000\n")
    moved = ("UID:w3@test\nSUMMARY:Verplaatst\nRECURRENCE-ID;TZID=Europe/Brussels:20270413T113000\n"
             "DTSTART;TZID=Europe/Brussels:20270422T150000\nDTEND;TZID=Europe/Brussels:20270422T160000\n")
    text = calendar(event, moved)
    reference = recurring_ical_events.of(icalendar.Calendar.from_ical(text))  # walks every rule from 2001
    programme = parse_calendar(text, "rules.ics")
    seen = 0
    for first in ("2027-03-20", "2027-04-10", "2027-10-25", "2031-01-01"):  # across both changes of the clocks
        start = midnight(day(first))
        end = start + timedelta(days=31)
        expected = sorted((c["DTSTART"].dt, c["SUMMARY"]) for c in reference.between(start, end))
        assert sorted((o.start, o.title) for o in programme.between(start, end)) == expected, first
        seen += len(expected)
    assert seen > 0
    assert programme.warnings == ()


def test_a_question_inside_the_prepared_window_does_not_wait_for_a_refresh_in_progress():
    programme = prime_window(parse_calendar(calendar(WEEKLY_MEETING), "a.ics"), day("2027-04-20"))
    entered, release = threading.Event(), threading.Event()
    original = programme._expand_series

    def slow(*args):
        entered.set()
        release.wait(10)
        return original(*args)

    programme._expand_series = slow
    worker = threading.Thread(target=programme.expand, args=(midnight(day("2027-05-20")),))
    worker.start()
    assert entered.wait(10)
    started = time.monotonic()
    assert [o.uid for o in programme.day(day("2027-04-21"))] == []  # answered from the window prepared before
    assert [o.uid for o in programme.day(day("2027-04-20"))] == ["meeting@test"]
    assert time.monotonic() - started < 1
    release.set()
    worker.join(10)
