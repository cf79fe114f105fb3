"""The kiosk's calendar read in a short child process (kiosk.calendar.elsewhere): the same programme as read
in-process, the same refusals, read again when the file changes or the day moves past the window, and read
in-process where no child process can run. Real child Pythons, real files."""

import subprocess
import sys
from datetime import timedelta

import pytest

from icstext import WEEKLY_MEETING, calendar, day, local
from kiosk.calendar import elsewhere
from kiosk.calendar.budget import Budget
from kiosk.calendar.expand import parse_calendar, prime_window
from kiosk.calendar.source import CalendarSource
from kiosk.errors import CalendarError, CalendarTooBusyError
from kiosk.resources import ASSETS_DIR

DEMO = (ASSETS_DIR / "config" / "demo-calendar.ics").read_bytes()

#: A moved occurrence, a cancelled one, an all-day activity over two days, a sign-up with places, a zone.
VARIED = calendar(
    WEEKLY_MEETING,
    """
    UID:meeting@test
    RECURRENCE-ID;TZID=Europe/Brussels:20270420T093000
    SUMMARY:Ontmoetingsmoment (verplaatst)
    DTSTART;TZID=Europe/Brussels:20270421T140000
    DTEND;TZID=Europe/Brussels:20270421T160000
    """,
    """
    UID:fair@test
    SUMMARY:Dorpsfeest
    DTSTART;VALUE=DATE:20270423
    DTEND;VALUE=DATE:20270425
    """,
    """
    UID:cooking@test
    SUMMARY:Samen koken
    DTSTART;TZID=America/New_York:20270422T040000
    DURATION:PT2H
    CATEGORIES:Koken
    X-TERPLEKKE-SIGNUP:required
    X-TERPLEKKE-CAPACITY:8
    """,
    """
    UID:gone@test
    SUMMARY:Afgelast
    STATUS:CANCELLED
    DTSTART;TZID=Europe/Brussels:20270422T100000
    DTEND;TZID=Europe/Brussels:20270422T110000
    """,
    """
    UID:broken@test
    SUMMARY:Zonder begin
    """,
    header="X-WR-CALNAME:Ter Plekke",
)


def read_here(body, when):
    return prime_window(parse_calendar(body, "test.ics"), day(when))


@pytest.mark.parametrize("body, when", [(VARIED.encode(), "2027-04-19"), (DEMO, "2026-03-02")])
def test_a_calendar_read_in_a_child_answers_as_one_read_here(body, when):
    here, there = read_here(body, when), elsewhere.work_out(body, "test.ics", day(when))
    assert there.worked_out_elsewhere and not here.worked_out_elsewhere
    first = day(when)
    assert there.coming_days(first, 9) == here.coming_days(first, 9)
    assert sum(len(found) for _, found in there.coming_days(first, 9)) > 3
    moment = local(first.year, first.month, first.day, 10, 0)
    assert there.now_and_next(moment) == here.now_and_next(moment)
    assert (there.name, there.series_count, there.warnings) == (here.name, here.series_count, here.warnings)
    timed = [o for _, found in there.coming_days(first, 9) for o in found if not o.all_day]
    assert timed and all(o.start.tzinfo is local(2027, 1, 1).tzinfo for o in timed)  # Belgian time, as read here


def test_a_malformed_or_over_budget_calendar_is_refused_by_the_child_as_here():
    with pytest.raises(CalendarError, match="test.ics is not an iCalendar calendar") as refused:
        elsewhere.work_out(b"not a calendar at all", "test.ics", day("2027-04-20"))
    assert not isinstance(refused.value, CalendarTooBusyError)
    daily = calendar(*(WEEKLY_MEETING.replace("meeting@test", f"m{n}@test").replace("WEEKLY;BYDAY=TU", "DAILY")
                       for n in range(40)))
    with pytest.raises(CalendarTooBusyError, match="has more than 100 activities to work out"):
        elsewhere.work_out(daily, "test.ics", day("2027-04-20"), Budget(window_dates=100))


def test_the_child_does_not_import_icalendar_into_the_kiosk():
    script = ("import sys; from kiosk.calendar import elsewhere; from datetime import date; "
              f"p = elsewhere.work_out({VARIED.encode()!r}, 'x', date(2027, 4, 21)); "
              "print(len(p.day(date(2027, 4, 21))), 'icalendar' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]


class DayClock:
    def __init__(self):
        self.moment = local(2027, 4, 20, 9, 0)

    def now(self):
        return self.moment


def test_the_kiosk_source_reads_in_a_child_again_when_the_file_changes_or_the_day_moves(tmp_path, monkeypatch):
    def not_here(*_args, **_kw):
        raise AssertionError("read in the kiosk's own process")

    monkeypatch.setattr("kiosk.calendar.source.parse_calendar", not_here)
    path, clock = tmp_path / "programme.ics", DayClock()
    path.write_text(calendar(WEEKLY_MEETING))
    source = CalendarSource(str(path), tmp_path / "calendar", clock=clock, in_child=True)
    first = source.refresh()
    assert first.status.fresh and first.programme.worked_out_elsewhere
    assert [o.title for o in first.programme.day(day("2027-04-27"))] == ["Ontmoetingsmoment"]
    assert source.refresh().programme is first.programme  # unchanged: not read again
    path.write_text(calendar(WEEKLY_MEETING.replace("Ontmoetingsmoment", "Koffiemoment")))
    changed = source.refresh()
    assert [o.title for o in changed.programme.day(day("2027-04-20"))] == ["Koffiemoment"]
    path.write_text("not a calendar at all")
    broken = source.refresh()
    assert broken.status.problem_code == "malformed" and broken.programme is changed.programme
    # a month later (the kiosk ran on): the window is worked out again from the last good copy
    clock.moment += timedelta(days=30)
    later = source.refresh()
    assert later.programme is not changed.programme and later.programme.covers(day("2027-05-20"))
    assert [o.title for o in later.programme.day(day("2027-05-25"))] == ["Koffiemoment"]
    # a restart reads the kept copy in a child too
    restarted = CalendarSource(str(path), tmp_path / "calendar", clock=clock, in_child=True).refresh()
    assert restarted.programme.worked_out_elsewhere
    assert [o.title for o in restarted.programme.day(day("2027-05-25"))] == ["Koffiemoment"]


def test_where_no_child_can_run_the_calendar_is_read_in_the_kiosk(tmp_path, monkeypatch):
    monkeypatch.setenv("ANDROID_PRIVATE", str(tmp_path))  # as python-for-android starts the app
    assert not elsewhere.available()
    path = tmp_path / "programme.ics"
    path.write_text(calendar(WEEKLY_MEETING))
    snapshot = CalendarSource(str(path), tmp_path / "calendar", clock=DayClock(), in_child=True).refresh()
    assert snapshot.status.fresh and not snapshot.programme.worked_out_elsewhere
    assert [o.title for o in snapshot.programme.day(day("2027-04-20"))] == ["Ontmoetingsmoment"]


def test_a_child_that_fails_leaves_the_reading_to_the_kiosk(tmp_path, monkeypatch):
    monkeypatch.setattr(elsewhere.sys, "executable", sys.executable + "-missing")
    path = tmp_path / "programme.ics"
    path.write_text(calendar(WEEKLY_MEETING))
    snapshot = CalendarSource(str(path), tmp_path / "calendar", clock=DayClock(), in_child=True).refresh()
    assert snapshot.status.fresh and [o.title for o in snapshot.programme.day(day("2027-04-20"))] == ["Ontmoetingsmoment"]
