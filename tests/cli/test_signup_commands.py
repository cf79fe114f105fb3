"""``kiosk signups``: who signed up for one day's activities, through the real command on real day files."""

import csv
import io
import json
from pathlib import Path

from kiosk.calendar.convention import SignupRule
from kiosk.calendar.occurrence import Occurrence
from kiosk.core import participants
from kiosk.core.records import Recorder
from kiosk.core.signup import sign_up
from kiosk.storage import Repository


class FixedClock:
    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment


def occurrence(uid, title, hour):
    from datetime import datetime

    from kiosk.clock import TIMEZONE

    start = datetime(2027, 4, 22, hour, 0, tzinfo=TIMEZONE)
    return Occurrence(uid=uid, title=title, start=start, end=start.replace(hour=hour + 1), signup=SignupRule(True, 20))


def write_signups(data_dir: Path) -> str:
    from datetime import datetime

    from kiosk.clock import TIMEZONE

    with Repository(data_dir) as repo:
        rec = Recorder(repo, FixedClock(datetime(2027, 4, 20, 10, 0, tzinfo=TIMEZONE)), "Zillebeke")
        meal, walk = occurrence("meal@test", "Samen Tafelen", 12), occurrence("walk@test", "Wandeling", 14)
        sign_up(rec, meal, 2, "Rik")
        gone = sign_up(rec, meal, 3, "=cmd()")
        sign_up(rec, walk, 1)
        participants.cancel(rec, participants.list_records(repo, datetime(2027, 4, 20).date()), gone["id"])
    return gone["id"]


def test_signups_lists_each_sign_up_per_activity_in_json_csv_and_html(kiosk, kiosk_env):
    gone = write_signups(Path(kiosk_env["KIOSK_DATA_DIR"]))
    result = kiosk("signups", "--date", "2027-04-22", check=True)
    lists = json.loads(result.stdout)
    assert [(a["title"], a["persons"]) for a in lists] == [("Samen Tafelen", 2), ("Wandeling", 1)]
    assert [(s["first_name"], s["persons"], s["cancelled"]) for s in lists[0]["signups"]] == [
        ("Rik", 2, False), ("=cmd()", 3, True)] and lists[0]["signups"][1]["id"] == gone
    only = json.loads(kiosk("signups", "--date", "2027-04-22", "--activity", "walk@test", check=True).stdout)
    assert [a["title"] for a in only] == ["Wandeling"]
    rows = list(csv.reader(io.StringIO(kiosk("signups", "--date", "2027-04-22", "--format", "csv",
                                             check=True).stdout.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Activiteit", "Begin", "Voornaam", "Personen"]
    assert rows[2][2] == "'=cmd()" and rows[2][5] == "ja"  # a name is never run as an Excel formula
    page = kiosk("signups", "--date", "2027-04-22", "--format", "html", check=True).stdout
    assert page.count("<section>") == 2 and "Rik" in page and "Personen: 2" in page
    empty = kiosk("signups", "--date", "2027-04-23", check=True)
    assert json.loads(empty.stdout) == [] and "Nobody signed up" in empty.stderr
    bad = kiosk("signups", "--date", "22/04/2027")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
