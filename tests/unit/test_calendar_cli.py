"""``kiosk activities`` run for real in a subprocess, against files and a server on 127.0.0.1."""

import json
import os
import subprocess
import sys

import pytest

from calendar_server import Office
from icstext import WEEKLY_MEETING, calendar
from kiosk.config import PROJECT_DIR

MEAL = """
UID:meal@test
SUMMARY:Samen Tafelen
DTSTART;TZID=Europe/Brussels:20270422T120000
DTEND;TZID=Europe/Brussels:20270422T133000
LOCATION:Cafetaria OC In 't Riet
X-TERPLEKKE-SIGNUP:TRUE
X-TERPLEKKE-CAPACITY:20
"""
SWAP = "UID:swap@test\nSUMMARY:Plantjesruil\nDTSTART;VALUE=DATE:20270421\n"
CANCELLED = """
UID:meeting@test
RECURRENCE-ID;TZID=Europe/Brussels:20270427T093000
SUMMARY:Ontmoetingsmoment
DTSTART;TZID=Europe/Brussels:20270427T093000
STATUS:CANCELLED
"""
BROKEN = "UID:bad@test\nSUMMARY:Kapot\nDTSTART:ooit\n"


@pytest.fixture
def kiosk(tmp_path):
    """Run ``kiosk --config <tmp>/kiosk.toml ...``; the calendar is <tmp>/programme.ics."""
    (tmp_path / "kiosk.toml").write_text('[data]\nfolder = "data"\n[calendar]\nsource = "programme.ics"\n')
    (tmp_path / "programme.ics").write_text(calendar(WEEKLY_MEETING, MEAL, SWAP, CANCELLED))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    env.pop("KIOSK_DATA_DIR", None)
    env.pop("KIOSK_CONFIG", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kiosk", "--config", str(tmp_path / "kiosk.toml"), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)

    run.folder = tmp_path
    return run


def test_a_day_as_a_table(kiosk):
    result = kiosk("activities", "--date", "2027-04-20")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Activities on Tue 20/04/2027:\n"
        "  Tue 20/04/2027   09:30–12:00  Ontmoetingsmoment  (Cafetaria OC In 't Riet, Zillebeke)\n"
    )
    assert result.stderr == ""
    assert (kiosk.folder / "data" / "calendar" / "calendar-cache.json").exists()


def test_a_week_as_json_sorted_by_start_without_the_cancelled_one(kiosk):
    result = kiosk("activities", "--date", "2027-04-20", "--days", "8", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(o["title"], o["start"]) for o in listed] == [
        ("Ontmoetingsmoment", "2027-04-20T09:30:00+02:00"),
        ("Plantjesruil", "2027-04-21"),
        ("Samen Tafelen", "2027-04-22T12:00:00+02:00"),
    ]  # 27 April is cancelled
    swap, meal = listed[1], listed[2]
    assert swap["all_day"] is True and swap["end"] == "2027-04-22"
    assert meal["signup"] == {"required": True, "capacity": 20} and meal["end"] == "2027-04-22T13:30:00+02:00"
    assert set(meal) == {
        "uid", "occurrence", "title", "start", "end", "all_day", "location", "description", "categories", "signup",
        "pictogram",
    }  # fmt: skip
    assert "sign-up, 20 places" in kiosk("activities", "--date", "2027-04-22").stdout


def test_a_bad_event_is_a_warning_and_the_rest_are_shown(kiosk):
    (kiosk.folder / "programme.ics").write_text(calendar(BROKEN, WEEKLY_MEETING))
    result = kiosk("activities", "--date", "2027-04-20")
    assert result.returncode == 0
    assert "Ontmoetingsmoment" in result.stdout
    assert result.stderr.startswith('warning: event "Kapot" (line 4) skipped: its start (DTSTART) cannot be read')


def test_a_missing_or_malformed_calendar_is_exit_2_in_words(kiosk):
    result = kiosk("activities", "--calendar", str(kiosk.folder / "nope.ics"))
    assert result.returncode == 2 and result.stdout == ""
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    (kiosk.folder / "bad.ics").write_text("BEGIN:VCALENDAR\nVERSION:2.0\n")
    result = kiosk("activities", "--calendar", str(kiosk.folder / "bad.ics"))
    assert result.returncode == 2
    assert "bad.ics is incomplete: BEGIN:VCALENDAR on line 1 is never closed" in result.stderr
    result = kiosk("activities", "--date", "20/04/2027")
    assert result.returncode == 2 and "expected a date like 2027-04-20" in result.stderr


def test_an_address_then_the_server_gone_shows_the_kept_copy_with_exit_1(kiosk):
    office = Office()
    try:
        first = kiosk("activities", "--calendar", office.url, "--date", "2027-04-20", "--json")
    finally:
        office.stop()
    assert first.returncode == 0, first.stderr
    assert [o["title"] for o in json.loads(first.stdout)] == ["Ontmoetingsmoment"]
    second = kiosk("activities", "--calendar", office.url, "--date", "2027-04-20")
    assert second.returncode == 1
    assert "Ontmoetingsmoment" in second.stdout
    assert "no network, or the server is down. Showing the programme last updated at" in second.stderr
    assert "private-secret" not in second.stderr
