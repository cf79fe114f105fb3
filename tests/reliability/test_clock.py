"""A wrong clock: it jumps back, jumps forward, or the device boots in 1970 (no battery clock, no network).

Records are never refused; a time that looks wrong is flagged ``clock_ok=false``; ``seq`` keeps the
true order; each record goes to the day file of its own ``created_at``; the day's log lists them.
A clock that ran ahead is forgotten once the office's clock (its answers' Date) confirms ours.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from kiosk.clock import TIMEZONE
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.office.serve import start_in_thread
from kiosk.storage import Repository
from kiosk.sync import OfficeSettings, Outbox

REAL = datetime(2027, 4, 20, 9, 30, tzinfo=TIMEZONE)


class SetClock:
    """A wall clock that moves a minute per reading; ``at`` sets it (as NTP or a person would)."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def at(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        self.moment += timedelta(minutes=1)
        return self.moment


def checkins(repo, clock, n: int) -> list[dict]:
    recorder = Recorder(repo, clock, "Zillebeke")
    return [check_in(recorder, 1, 0, None, ["coffee"]) for _ in range(n)]


def test_a_clock_that_jumps_back_is_flagged_and_seq_keeps_the_order(tmp_path):
    clock = SetClock(REAL)
    with Repository(tmp_path) as repo:
        right = checkins(repo, clock, 3)
        clock.at(REAL - timedelta(hours=1))  # back an hour (a wrong correction)
        back = checkins(repo, clock, 3)
        clock.at(REAL - timedelta(minutes=2))  # a small NTP step back is no fault
        small = checkins(repo, clock, 1)
        clock.at(REAL.replace(hour=0, minute=3))  # back across... the same day, early morning
        early = checkins(repo, clock, 1)
        clock.at(REAL - timedelta(days=1))  # back to yesterday: yesterday's file, flagged
        yesterday = checkins(repo, clock, 1)
    assert [r["clock_ok"] for r in right + back + small + early + yesterday] == [True] * 3 + [False] * 3 + [True, False, False]
    with Repository(tmp_path, writer=False) as repo:
        today = repo.records_for_day(REAL.date())
        assert [r["seq"] for r in today] == sorted(r["seq"] for r in today)
        assert [r["id"] for r in today] == [r["id"] for r in right + back + small + early]  # the order of writing
        assert [r["id"] for r in repo.records_for_day(REAL.date() - timedelta(days=1))] == [yesterday[0]["id"]]


def test_a_device_that_boots_in_1970(tmp_path, kiosk, kiosk_env):
    clock = SetClock(datetime(1970, 1, 1, 1, 0, tzinfo=TIMEZONE))
    with Repository(kiosk_env["KIOSK_DATA_DIR"]) as repo:
        lost = checkins(repo, clock, 3)
        clock.at(REAL)  # the network set the clock
        found = checkins(repo, clock, 2)
    assert [r["clock_ok"] for r in lost + found] == [False] * 3 + [True] * 2
    day_1970 = json.loads(kiosk("log", "--date", "1970-01-01", "--format", "json", check=True).stdout)
    assert [r["id"] for r in day_1970] == [r["id"] for r in lost] and all(r["clock_ok"] is False for r in day_1970)
    csv = kiosk("log", "--date", "1970-01-01", "--format", "csv", check=True).stdout
    assert csv.count("\n") >= 4
    assert [r["seq"] for r in lost + found] == [1, 2, 3, 4, 5]
    assert json.loads(kiosk("status", "--json", check=True).stdout)["pending_uploads"] == 5
    with Repository(kiosk_env["KIOSK_DATA_DIR"]) as repo:  # uploaded while the clock said 1970
        repo.mark_done([("1970-01-01", r["id"], "uploaded", "") for r in lost], at="1970-01-01T01:10:00+01:00")
        report = repo.purge_uploaded(REAL + timedelta(days=365))
        assert report.removed_days == [] and repo.count_for_day("1970-01-01") == 3  # an age from 1970 means nothing


def test_random_clock_faults_never_break_order_nor_files(tmp_path, scale):
    rng = random.Random(1970)
    clock = SetClock(REAL)
    written = []
    with Repository(tmp_path) as repo:
        for _ in range(scale(200, 3000)):
            fault = rng.random()
            if fault < 0.03:
                clock.at(clock.moment - timedelta(minutes=rng.randint(6, 60 * 48)))
            elif fault < 0.05:
                clock.at(datetime(1970, 1, 1, tzinfo=TIMEZONE) + timedelta(minutes=rng.randint(0, 600)))
            elif fault < 0.07:
                clock.at(clock.moment + timedelta(minutes=rng.randint(1, 60 * 48)))
            written += checkins(repo, clock, 1)
    assert [r["seq"] for r in written] == list(range(1, len(written) + 1))
    with Repository(tmp_path) as repo:
        assert repo.damage == []
        for day in repo.days():
            stored = repo.records_for_day(day)
            assert all(r["created_at"].startswith(day) for r in stored)
            assert [r["seq"] for r in stored] == sorted(r["seq"] for r in stored)
        assert sum(len(repo.records_for_day(d)) for d in repo.days()) == len(written)
        # after a restart, a right clock is right again once the office confirms it (see below), and
        # a wrong one is still flagged
        assert checkins(repo, SetClock(datetime(1970, 1, 2, tzinfo=TIMEZONE)), 1)[0]["clock_ok"] is False


def test_a_clock_that_ran_ahead_is_forgotten_once_the_office_confirms_the_time(tmp_path):
    """Before: after a jump to 2030 and back, every right record was flagged until 2030 came."""
    real_now = datetime.now(TIMEZONE)
    clock = SetClock(real_now - timedelta(minutes=30))
    office, url = start_in_thread(tmp_path / "office")
    try:
        with Repository(tmp_path / "kiosk") as repo:
            token = office.store.add_kiosk(repo.kiosk_id)
            before = checkins(repo, clock, 2)
            clock.at(real_now + timedelta(days=3 * 365))  # a wrong clock, ahead: nothing can tell yet
            ahead = checkins(repo, clock, 2)
            clock.at(real_now - timedelta(minutes=10))  # set right again
            flagged = checkins(repo, clock, 2)
            assert [r["clock_ok"] for r in before + ahead + flagged] == [True] * 4 + [False] * 2
            report = Outbox(repo, OfficeSettings(url, token)).drain_once()  # on the system's clock
            clock.at(datetime.now(TIMEZONE) - timedelta(minutes=1))
            assert report.problem is None and report.uploaded == 6
            after = checkins(repo, clock, 2)
            assert [r["clock_ok"] for r in after] == [True, True]
        with Repository(tmp_path / "kiosk") as repo:  # and after a restart
            assert checkins(repo, clock, 1)[0]["clock_ok"] is True
            assert len({r["seq"] for d in repo.days() for r in repo.records_for_day(d)}) == 9
    finally:
        office.close()


def test_an_office_whose_clock_disagrees_changes_nothing(tmp_path):
    real_now = datetime.now(TIMEZONE)
    office, url = start_in_thread(tmp_path / "office")
    try:
        with Repository(tmp_path / "kiosk") as repo:
            token = office.store.add_kiosk(repo.kiosk_id)
            clock = SetClock(real_now + timedelta(days=365))  # ahead, and the office says otherwise
            checkins(repo, clock, 2)
            Outbox(repo, OfficeSettings(url, token), clock=clock).drain_once()
            assert repo.latest_time() > real_now + timedelta(days=300)
    finally:
        office.close()
