"""Every folder and file in the kiosk's and the office's data folders is the owner's alone (0700 / 0600),
whatever the umask: the state file holds the PIN's hash, the day files names and phone numbers."""

import os
import stat
from datetime import datetime, timedelta

import pytest

from kiosk.calendar.source import CalendarSource
from kiosk.clock import TIMEZONE
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.core.staff_pin import StaffLock
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR

START = datetime(2027, 4, 20, 9, 30, tzinfo=TIMEZONE)


class StepClock:
    def __init__(self):
        self.moment = START

    def now(self):
        self.moment += timedelta(minutes=1)
        return self.moment


@pytest.fixture
def open_umask():
    """The most careless umask there is: every file would be readable and writable by every user."""
    old = os.umask(0)
    yield
    os.umask(old)


def modes(folder):
    """Path (relative) -> permission bits, for the folder and everything in it."""
    found = {".": stat.S_IMODE(os.stat(folder).st_mode)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder)] = stat.S_IMODE(os.lstat(path).st_mode)
    return found


def assert_private(folder):
    found = modes(folder)
    loose = {path: oct(mode) for path, mode in found.items()
             if mode != (0o700 if os.path.isdir(os.path.join(folder, path)) else 0o600)}
    assert loose == {}
    return found


def test_every_folder_and_file_the_kiosk_makes_is_private_whatever_the_umask(tmp_path, open_umask):
    data = tmp_path / "data"
    with Repository(data) as repo:
        clock = StepClock()
        recorder = Recorder(repo, clock, "Zillebeke")
        for _ in range(30):
            check_in(recorder, 1, 0, None, ["coffee"])
        StaffLock(repo, clock).set_pin("4821")
    day_file = data / DAYS_DIR / "2027-04-20.jsonl"
    with open(day_file, "ab") as out:
        out.write(b"garbage, as after a power cut")
    with Repository(data) as repo:  # the damage is copied aside and the file repaired (rewritten)
        assert repo.damaged_files()
    calendar = tmp_path / "programme.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//NL\r\nEND:VCALENDAR\r\n")
    assert CalendarSource(str(calendar), data / "calendar", clock=clock).refresh().status.fresh
    found = assert_private(data)
    assert {"state.json", "days/2027-04-20.jsonl", ".lock", "damaged", "calendar/calendar-cache.json"} <= set(found)


def test_a_data_folder_an_older_version_left_readable_by_all_is_made_private_when_the_kiosk_opens_it(tmp_path):
    data = tmp_path / "data"
    with Repository(data) as repo:
        check_in(Recorder(repo, StepClock(), "Zillebeke"), 1, 0, None, ["coffee"])
    for path in [data, *data.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    with Repository(data):
        pass
    assert_private(data)


def test_the_office_database_and_its_journals_are_private_whatever_the_umask(tmp_path, open_umask):
    pytest.importorskip("flask")
    from kiosk.office.app import create_app, office_store

    app = create_app(tmp_path / "office", admin_password="x")
    store = office_store(app)
    store.add_kiosk("zillebeke")
    found = assert_private(tmp_path / "office")
    assert {"office.sqlite3", "office.sqlite3-wal"} <= set(found)
    store.close()
