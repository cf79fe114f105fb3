"""Calendar sources for real: an HTTP server on 127.0.0.1 in a thread, files in tmp_path, the copy on disk."""

import json
import threading
from datetime import timedelta

import pytest

from calendar_server import GOOD, OTHER, Office
from icstext import day, local
from kiosk.calendar.location import check_location, shown
from kiosk.calendar.source import CACHE_FILE, CalendarRefresher, CalendarSource
from kiosk.errors import CalendarError


class StepClock:
    """Ten minutes later at every call."""

    def __init__(self):
        self.minutes = 0

    def now(self):
        self.minutes += 10
        return local(2027, 4, 20, 9, 0) + timedelta(minutes=self.minutes)


@pytest.fixture
def office():
    server = Office()
    yield server
    server.stop()


def source_for(url, tmp_path, **kw):
    return CalendarSource(url, tmp_path / "calendar", clock=StepClock(), **kw)


def titles(snapshot, when="2027-04-20"):
    return [o.title for o in snapshot.programme.day(day(when))]


def test_fetch_then_not_modified_then_changed_then_offline_then_restart_offline(office, tmp_path):
    source = source_for(office.url, tmp_path)
    assert source.snapshot.status.problem_code == "not_loaded" and not source.snapshot.status.loaded
    assert source.snapshot.programme.day(day("2027-04-20")) == []
    first = source.refresh()
    assert first.status.fresh and first.status.loaded and titles(first) == ["Ontmoetingsmoment"]
    assert first.status.describe() == f"The programme is up to date (last updated at {first.status.updated_at:%d/%m/%Y %H:%M})."
    assert "If-None-Match" not in office.requests[0]
    kept = json.loads((tmp_path / "calendar" / CACHE_FILE).read_text())
    assert kept["etag"] == '"v1"' and kept["body"] == GOOD.decode() and "secret" not in json.dumps(kept)

    second = source.refresh()  # the server answers 304: nothing is parsed again
    assert office.requests[1]["If-None-Match"] == '"v1"'
    assert second.status.fresh and second.programme is first.programme
    assert second.status.updated_at > first.status.updated_at

    office.body, office.etag = OTHER, '"v2"'
    third = source.refresh()
    assert third.status.fresh and titles(third) == ["Koffiemoment"]
    updated = third.status.updated_at

    office.stop()
    offline = source.refresh()
    assert not offline.status.fresh and offline.status.loaded
    assert offline.status.problem_code == "offline" and offline.programme is third.programme
    assert offline.status.updated_at == updated
    assert offline.status.describe() == (
        f"Cannot reach http://127.0.0.1:{office.server.server_port}/…/basic.ics: no network, or the server is down. "
        f"Showing the programme last updated at {updated:%d/%m/%Y %H:%M}."
    )

    restarted = source_for(office.url, tmp_path).refresh()  # a new kiosk start, still offline
    assert restarted.status.loaded and not restarted.status.fresh and restarted.status.problem_code == "offline"
    assert titles(restarted) == ["Koffiemoment"] and restarted.status.updated_at == updated


def test_last_modified_is_sent_back_as_if_modified_since(office, tmp_path):
    office.etag, office.last_modified = None, "Tue, 20 Apr 2027 07:00:00 GMT"
    source = source_for(office.url, tmp_path)
    source.refresh()
    assert source.refresh().status.fresh
    assert office.requests[1]["If-Modified-Since"] == "Tue, 20 Apr 2027 07:00:00 GMT"
    assert "If-None-Match" not in office.requests[1]


@pytest.mark.parametrize(
    "status, content_type, body, code",
    [
        (404, "text/html", b"<html>Not found</html>", "not_found"),
        (200, "text/html; charset=utf-8", b"<html><body>Log in to the Wi-Fi</body></html>", "html"),
        (200, "text/calendar", b"<!DOCTYPE html><html>portal</html>", "html"),
        (200, "text/calendar", GOOD[:-30], "malformed"),
        (403, "text/plain", b"no", "refused"),
        (503, "text/plain", b"busy", "server_error"),
    ],
)
def test_a_bad_answer_keeps_the_last_good_programme_and_its_copy(office, tmp_path, status, content_type, body, code):
    source = source_for(office.url, tmp_path)
    good = source.refresh()
    cache = tmp_path / "calendar" / CACHE_FILE
    kept = cache.read_bytes()
    office.status, office.content_type, office.body, office.etag = status, content_type, body, None
    bad = source.refresh()
    assert bad.status.problem_code == code and not bad.status.fresh and bad.status.loaded
    assert bad.programme is good.programme and titles(bad) == ["Ontmoetingsmoment"]
    assert cache.read_bytes() == kept
    assert "Showing the programme last updated at" in bad.status.describe()


def test_a_malformed_answer_says_what_and_where(office, tmp_path):
    office.body = GOOD.replace(b"END:VCALENDAR\r\n", b"")
    snapshot = source_for(office.url, tmp_path).refresh()
    assert not snapshot.status.loaded and snapshot.status.problem_code == "malformed"
    assert "is incomplete: BEGIN:VCALENDAR on line 1 is never closed" in snapshot.status.problem
    assert snapshot.status.describe().endswith("There is no programme to show yet.")
    assert snapshot.programme.day(day("2027-04-20")) == []


def test_a_slow_server_times_out_and_a_huge_answer_is_refused(office, tmp_path):
    office.hold = True
    slow = source_for(office.url, tmp_path, timeout=0.3).refresh()
    assert slow.status.problem_code == "timeout" and "did not answer within 0.3 seconds" in slow.status.problem
    office.hold = False
    office.release.set()
    huge = source_for(office.url, tmp_path, max_bytes=100).refresh()
    assert huge.status.problem_code == "too_large"


def test_on_refresh_is_called_from_the_refresher_thread_and_refresh_now_wakes_it(office, tmp_path):
    seen: list = []
    done = [threading.Event(), threading.Event()]

    def on_refresh(snapshot):
        seen.append((threading.current_thread().name, snapshot))
        done[min(len(seen), 2) - 1].set()

    source = source_for(office.url, tmp_path, on_refresh=on_refresh)
    refresher = CalendarRefresher(source, minutes=60)
    refresher.start()
    assert done[0].wait(10)
    office.body, office.etag = OTHER, '"v2"'
    refresher.refresh_now()
    assert done[1].wait(10)
    assert refresher.stop(10)
    assert [name for name, _ in seen] == ["calendar-refresh", "calendar-refresh"]
    assert titles(seen[1][1]) == ["Koffiemoment"] and source.snapshot is seen[1][1]


def test_a_file_source_is_read_again_only_when_it_changes(tmp_path):
    path = tmp_path / "programme.ics"
    path.write_bytes(GOOD)
    source = source_for(str(path), tmp_path)
    first = source.refresh()
    assert first.status.fresh and titles(first) == ["Ontmoetingsmoment"]
    assert source.refresh().programme is first.programme
    path.write_bytes(OTHER + b"\r\n")
    assert titles(source.refresh()) == ["Koffiemoment"]
    path.write_bytes(b"not a calendar at all")
    broken = source.refresh()
    assert broken.status.problem_code == "malformed" and titles(broken) == ["Koffiemoment"]
    assert f"{path} is not an iCalendar calendar" in broken.status.problem
    path.unlink()
    gone = source.refresh()
    assert gone.status.problem_code == "missing_file" and titles(gone) == ["Koffiemoment"]
    # a restart with the file still missing shows the copy kept on disk
    assert titles(source_for(str(path), tmp_path).refresh()) == ["Koffiemoment"]


def test_a_copy_of_another_calendar_is_not_shown(tmp_path):
    one, two = tmp_path / "one.ics", tmp_path / "two.ics"
    one.write_bytes(GOOD)
    source_for(str(one), tmp_path).refresh()
    snapshot = source_for(str(two), tmp_path).refresh()
    assert not snapshot.status.loaded and snapshot.status.problem_code == "missing_file"


def test_a_damaged_copy_is_ignored_with_a_note(tmp_path):
    path = tmp_path / "programme.ics"
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / CACHE_FILE).write_text("{not json")
    path.write_bytes(GOOD)
    snapshot = source_for(str(path), tmp_path).refresh()
    assert snapshot.status.fresh and titles(snapshot) == ["Ontmoetingsmoment"]
    assert snapshot.warnings[0].startswith("The kept copy of the calendar could not be read")


def test_a_cache_that_cannot_be_written_is_a_note_not_a_failure(tmp_path):
    path = tmp_path / "programme.ics"
    path.write_bytes(GOOD)
    (tmp_path / "blocked").write_text("a file where the folder should be")
    snapshot = CalendarSource(str(path), tmp_path / "blocked" / "calendar").refresh()
    assert snapshot.status.fresh and titles(snapshot) == ["Ontmoetingsmoment"]
    assert "could not be kept on disk" in snapshot.warnings[0]


def test_which_addresses_are_accepted_and_how_they_are_shown():
    assert check_location("webcal://example.be/cal.ics") == "https://example.be/cal.ics"
    assert check_location("http://127.0.0.1:8080/x.ics") == "http://127.0.0.1:8080/x.ics"
    for bad in ("http://example.be/x.ics", "ftp://example.be/x.ics", "https:///x.ics"):
        with pytest.raises(CalendarError):
            CalendarSource(bad)
    assert shown("https://calendar.google.com/calendar/ical/x%40group/private-abc123/basic.ics") == (
        "https://calendar.google.com/…/basic.ics"
    )
    assert shown("https://example.be/cal.ics?token=secret") == "https://example.be/cal.ics"
    assert shown("/etc/kiosk/cal.ics") == "/etc/kiosk/cal.ics"
