"""The outbox against a real, misbehaving office on 127.0.0.1, with a real repository on disk.

End state in every case: every record at the office exactly once, nothing pending on the kiosk,
nothing silently dropped (a record the office refused is kept aside, with the reason).
"""

import socket
import threading
import time
from datetime import timedelta

import pytest

from fault_office import FaultOffice
from kiosk.storage import Repository
from kiosk.sync import OfficeSettings, Outbox, RetryPolicy, SyncState
from test_storage import START, StepClock, add_checkins

FAST = RetryPolicy(first_delay=0.01, max_delay=0.05, min_delay=0.01, max_retry_after=5)


class FixedDelay(RetryPolicy):
    def backoff(self, failures, rng):
        return self.first_delay


def office_settings(office, token="good-token", read_timeout=0.3):
    return OfficeSettings(office.url, token, connect_timeout=1.0, read_timeout=read_timeout)


@pytest.fixture
def repo(tmp_path):
    with Repository(tmp_path / "data") as repository:
        yield repository


def backlog(repo, n=30):
    """``n`` records over two days (an hour apart), as a kiosk offline for a while would have."""
    return [r["id"] for r in add_checkins(repo, n, StepClock(START, step=timedelta(hours=1)))]


def run_until_drained(outbox, timeout=10.0):
    drained = threading.Event()
    outbox.on_status = lambda s: drained.set() if s.pending == 0 and s.state is SyncState.IDLE else None
    outbox.start()
    try:
        assert drained.wait(timeout), outbox.status()
    finally:
        assert outbox.stop()


def assert_each_once_nothing_left(office, repo, ids, rejected=()):
    at_office = [i for i in ids if i not in rejected]
    assert set(office.records) == set(at_office)
    assert all(office.inserts[i] == 1 for i in at_office)
    assert repo.pending_count() == 0 and repo.pending() == []
    assert {r["id"] for r in repo.rejected()} == set(rejected)


# -- one fault at a time -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "faults",
    [
        ["500", "500", "500"],
        ["slow"],
        ["reset"],
        ["drop"],
        ["html", "html"],
        ["redirect"],
        ["garbage"],
        ["partial"],
        ["500", "drop", "html", "reset", "slow", "garbage", "500"],
    ],
)
def test_every_record_arrives_once_whatever_goes_wrong(repo, faults):
    ids = backlog(repo)
    with FaultOffice() as office:
        office.faults.extend(faults)
        office.slow_seconds = 1.0
        run_until_drained(Outbox(repo, office_settings(office), max_records=10, policy=FAST, settle=0.01))
        assert office.post_count() > len(faults)  # each fault was met, then retried
    assert_each_once_nothing_left(office, repo, ids)
    assert repo.get_setting("sync_last_error") is None and repo.get_setting("sync_last_success")


@pytest.mark.parametrize("fault", ["drop", "reset", "slow"])
def test_a_lost_answer_comes_back_as_duplicates(repo, fault):
    ids = backlog(repo, 10)
    with FaultOffice() as office:
        office.faults.append(fault)
        office.slow_seconds = 0.5
        outbox = Outbox(repo, office_settings(office, read_timeout=1.0 if fault != "slow" else 0.2), policy=FAST)
        first = outbox.drain_once()
        assert first.uploaded == 0 and first.remaining == 10
        if fault == "slow":
            assert "did not answer within 0.2 s" in first.problem
            while len(office.records) < 10:  # the office stores the batch after the kiosk gave up
                office.got_request.wait(0.05)
        else:
            assert "broke" in first.problem
        assert len(office.records) == 10  # the office has them; the kiosk does not know
        second = outbox.drain_once()
    assert second.uploaded == 10 and second.duplicates == 10 and second.problem is None
    assert_each_once_nothing_left(office, repo, ids)


def test_a_wifi_login_page_marks_nothing_and_says_so(repo):
    backlog(repo, 5)
    with FaultOffice() as office:
        office.faults.extend(["html"])
        report = Outbox(repo, office_settings(office), policy=FAST).drain_once()
    assert report.uploaded == 0 and report.remaining == 5 and "Wi-Fi login page" in report.problem
    assert "Wi-Fi login page" in repo.get_setting("sync_last_error")


def test_413_splits_the_batch(repo):
    ids = backlog(repo)
    with FaultOffice() as office:
        office.max_records = 4
        run_until_drained(Outbox(repo, office_settings(office), max_records=10, policy=FAST))
    assert all(len(r["ids"]) <= 4 for r in office.requests if r["status"] == 201)
    assert 1 <= sum(r["status"] == 413 for r in office.requests) <= 4  # it learns the smaller size
    assert_each_once_nothing_left(office, repo, ids)


def test_a_single_record_the_office_finds_too_large_is_kept_aside_with_the_reason(repo):
    ids = backlog(repo, 12)
    with FaultOffice() as office:
        office.too_large_ids = {ids[5]}
        run_until_drained(Outbox(repo, office_settings(office), max_records=10, policy=FAST))
    assert_each_once_nothing_left(office, repo, ids, rejected=[ids[5]])
    assert "too large (413)" in repo.rejected()[0]["reason"]


def test_a_record_larger_than_the_batch_limit_is_kept_aside_locally(repo):
    ids = backlog(repo, 3)
    with FaultOffice() as office:
        report = Outbox(repo, office_settings(office), max_bytes=100, policy=FAST).drain_once()
    assert report.rejected == 3 and report.remaining == 0 and office.post_count() == 0
    assert all("too large to upload" in r["reason"] for r in repo.rejected())
    assert {r["id"] for r in repo.rejected()} == set(ids)


def test_records_the_office_rejects_are_kept_aside_and_not_retried(repo):
    ids = backlog(repo, 8)
    with FaultOffice() as office:
        office.reject_ids = {ids[2]: "unknown record type", ids[6]: "created_at is not a time"}
        outbox = Outbox(repo, office_settings(office), policy=FAST)
        report = outbox.drain_once()
        again = outbox.drain_once()
        assert office.post_count() == 1  # nothing left to send the second time
    assert report.uploaded == 6 and report.rejected == 2 and again.uploaded == again.rejected == 0
    assert_each_once_nothing_left(office, repo, ids, rejected=[ids[2], ids[6]])
    reasons = {r["id"]: r["reason"] for r in repo.rejected()}
    assert reasons[ids[6]] == "created_at is not a time"
    assert outbox.status().rejected == 2


@pytest.mark.parametrize("fault", ["429", "503-date"])
def test_retry_after_is_honoured(repo, fault):
    ids = backlog(repo, 5)
    with FaultOffice() as office:
        office.faults.append(fault)
        office.retry_after = 1
        run_until_drained(Outbox(repo, office_settings(office), policy=FAST))
        first, second = office.requests[0]["at"], office.requests[1]["at"]
    assert second - first >= 0.9  # the backoff alone would have waited at most 0.05 s
    assert_each_once_nothing_left(office, repo, ids)


def test_the_office_down_for_a_while_then_up(repo):
    ids = backlog(repo, 20)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = OfficeSettings(f"http://127.0.0.1:{port}", "good-token", connect_timeout=0.5, read_timeout=0.5)
    outbox = Outbox(repo, settings, policy=FAST, max_records=7)
    waiting = threading.Event()
    drained = threading.Event()

    def on_status(status):
        if status.state is SyncState.WAITING:
            waiting.set()
        if status.pending == 0 and status.state is SyncState.IDLE:
            drained.set()

    outbox.on_status = on_status
    outbox.start()
    try:
        assert waiting.wait(5)
        assert "refused the connection" in outbox.status().last_error
        with FaultOffice(port=port) as office:
            assert drained.wait(10), outbox.status()
    finally:
        assert outbox.stop()
    assert_each_once_nothing_left(office, repo, ids)
    assert outbox.status().last_error is None


# -- a refused token ---------------------------------------------------------------------------------
def test_401_stops_until_the_settings_change(repo):
    ids = backlog(repo, 6)
    with FaultOffice(token="good-token") as office:
        wrong = office_settings(office, token="wrong-token")
        stopped = threading.Event()
        outbox = Outbox(repo, wrong, interval=0.05, settle=0.01, policy=FAST,
                        on_status=lambda s: stopped.set() if s.auth_stopped else None)
        outbox.start()
        assert stopped.wait(5)
        status = outbox.status()
        assert "refused this kiosk's token (401" in status.last_error and "stopped until" in status.last_error
        office.got_request.clear()
        outbox.nudge()
        assert not office.got_request.wait(0.3)  # six intervals passed: no hammering
        assert outbox.stop()

        # A restart with the same settings stays stopped, without asking the office again.
        again = Outbox(repo, wrong, interval=0.05, settle=0.01, policy=FAST).start()
        assert again.status().auth_stopped
        assert not office.got_request.wait(0.2)
        assert office.post_count() == 1

        # New settings (the right token): uploads resume on their own.
        drained = threading.Event()
        again.on_status = lambda s: drained.set() if s.pending == 0 and s.state is SyncState.IDLE else None
        again.configure(office_settings(office))
        assert drained.wait(5), again.status()
        assert again.stop()
    assert_each_once_nothing_left(office, repo, ids)
    assert repo.get_setting("sync_auth_failed_for") is None


def test_new_settings_given_while_an_upload_with_the_old_ones_is_refused_are_not_blamed(repo):
    ids = backlog(repo, 4)
    with FaultOffice(token="new-token") as office:
        office.faults.append("slow")  # the refusal of the old token comes late
        office.slow_seconds = 0.3
        drained = threading.Event()
        outbox = Outbox(repo, office_settings(office, token="old-token", read_timeout=2), policy=FAST, settle=0.01,
                        on_status=lambda s: drained.set() if s.pending == 0 and s.state is SyncState.IDLE else None)
        outbox.start()
        try:
            assert office.got_request.wait(5)
            outbox.configure(office_settings(office, token="new-token"))
            assert drained.wait(5), outbox.status()
        finally:
            assert outbox.stop()
        assert office.requests[0]["status"] == 401
    assert_each_once_nothing_left(office, repo, ids)
    assert repo.get_setting("sync_auth_failed_for") is None and not outbox.status().auth_stopped


def test_retry_now_tries_again_after_a_refused_token(repo):
    ids = backlog(repo, 3)
    with FaultOffice(token="rotated") as office:
        outbox = Outbox(repo, office_settings(office, token="rotated"), policy=FAST)
        office.token = "not-yet"
        assert outbox.drain_once().auth_failed and outbox.status().auth_stopped
        office.token = "rotated"  # the office fixed it on its side; the kiosk's settings did not change
        drained = threading.Event()
        outbox.on_status = lambda s: drained.set() if s.pending == 0 and s.state is SyncState.IDLE else None
        outbox.start()
        outbox.retry_now()
        assert drained.wait(5)
        assert outbox.stop()
    assert_each_once_nothing_left(office, repo, ids)


# -- the worker thread -------------------------------------------------------------------------------
def test_a_nudge_uploads_a_new_record_soon_and_a_failing_callback_does_no_harm(repo):
    with FaultOffice() as office:
        calls = []

        def on_status(status):
            calls.append(status)
            raise RuntimeError("a broken UI callback")

        outbox = Outbox(repo, office_settings(office), interval=3600, settle=0.01, policy=FAST, on_status=on_status)
        outbox.start()
        try:
            new = add_checkins(repo, 1)[0]
            outbox.nudge()
            assert office.got_request.wait(5)
            for _ in range(100):
                if repo.pending_count() == 0:
                    break
                office.got_request.wait(0.02)
        finally:
            assert outbox.stop()
    assert set(office.records) == {new["id"]} and repo.pending_count() == 0 and calls


def test_a_nudge_does_not_cut_short_the_wait_after_a_failure(repo):
    backlog(repo, 2)
    with FaultOffice() as office:
        office.faults.append("500")
        outbox = Outbox(repo, office_settings(office), settle=0.01, policy=FixedDelay(first_delay=0.6))
        outbox.start()
        try:
            assert office.got_request.wait(5)
            office.got_request.clear()
            began = time.monotonic()
            add_checkins(repo, 1, StepClock(START + timedelta(hours=5)))
            outbox.nudge()
            assert office.got_request.wait(5)
            assert time.monotonic() - began >= 0.4
        finally:
            assert outbox.stop()


def test_every_batch_tells_the_office_how_the_kiosk_is(repo):
    backlog(repo, 3)
    with FaultOffice() as office:
        Outbox(repo, office_settings(office), policy=FAST, clock=StepClock(START + timedelta(days=1))).drain_once()
        Outbox(repo, office_settings(office), policy=FAST, clock=StepClock(START - timedelta(days=1))).drain_once()
    status = office.statuses[0]
    assert status["pending"] == 3 and status["app_version"] and status["clock_ok"] is True
    assert isinstance(status["free_disk_mb"], int) and status["free_disk_mb"] > 0
    assert len(office.statuses) == 1  # nothing was pending the second time: the office is not asked
    backlog(repo, 1)
    with FaultOffice() as office:
        Outbox(repo, office_settings(office), policy=FAST, clock=StepClock(START - timedelta(days=1))).drain_once()
    assert office.statuses[0]["clock_ok"] is False  # a day before records already written


@pytest.mark.parametrize("while_", ["idle", "waiting"])
def test_the_worker_stops_promptly(repo, while_):
    with FaultOffice() as office:
        if while_ == "waiting":
            backlog(repo, 2)
            office.faults.append("500")
        policy = RetryPolicy(first_delay=60, max_delay=60, min_delay=60)
        seen = threading.Event()
        outbox = Outbox(repo, office_settings(office), interval=3600, policy=policy,
                        on_status=lambda s: seen.set() if s.state.value == while_ else None)
        outbox.start()
        assert seen.wait(5)
        began = time.monotonic()
        assert outbox.stop(timeout=2.0)
        assert time.monotonic() - began < 0.5


def test_stopping_during_an_upload_abandons_it_and_touches_nothing_after_close(tmp_path):
    errors = []
    old_hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args)
    try:
        repo = Repository(tmp_path / "data")
        ids = backlog(repo, 4)
        with FaultOffice() as office:
            office.faults.append("slow")
            office.slow_seconds = 5
            outbox = Outbox(repo, office_settings(office, read_timeout=10), policy=FAST).start()
            assert office.got_request.wait(5)
            began = time.monotonic()
            assert outbox.stop(timeout=0.2) is False  # an upload is in flight
            assert time.monotonic() - began < 0.5
            repo.close()
            files = {p: p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file()}
            office.release.set()  # the office answers now; the kiosk has closed its records
            outbox._thread.join(5)
            assert not outbox._thread.is_alive()
        assert {p: p.read_bytes() for p in files} == files
        with Repository(tmp_path / "data") as reopened:
            assert {r["id"] for r in reopened.pending()} == set(ids)  # sent again next time
    finally:
        threading.excepthook = old_hook
    assert errors == []


def test_without_an_office_address_uploads_are_off(repo):
    backlog(repo, 2)
    outbox = Outbox(repo, OfficeSettings("", ""))
    assert outbox.status().state is SyncState.OFF
    report = outbox.drain_once()
    assert report.config_problem and "No office address" in report.problem and report.remaining == 2
    outbox.start()
    assert outbox.stop()


def test_writing_records_stays_quick_while_a_large_backlog_uploads(repo):
    """The UI thread only writes records and nudges; the upload runs beside it and never holds it up long."""
    ids = backlog(repo, 150)
    busy = threading.Event()
    drained = threading.Event()

    def on_status(status):
        if status.state is SyncState.UPLOADING:
            busy.set()
        if status.state is SyncState.IDLE and status.pending == 0:
            drained.set()

    with FaultOffice() as office:
        office.faults.extend(["slow"] * 40)  # every answer takes 20 ms: the upload lasts a while
        office.slow_seconds = 0.02
        outbox = Outbox(repo, office_settings(office, read_timeout=2), max_records=4, policy=FAST,
                        settle=0.01, on_status=on_status).start()
        try:
            assert busy.wait(5)
            clock = StepClock(START + timedelta(days=30))
            slowest, during = 0.0, 0
            for _ in range(40):
                began = time.perf_counter()
                ids += [r["id"] for r in add_checkins(repo, 1, clock)]
                outbox.nudge()
                slowest = max(slowest, time.perf_counter() - began)
                during += not drained.is_set()
                drained.wait(0.01)
            assert drained.wait(20), outbox.status()
        finally:
            assert outbox.stop()
    assert during >= 20  # most of the writes happened while the upload ran
    assert slowest < 0.1, f"a write took {slowest * 1000:.0f} ms while uploading"
    assert_each_once_nothing_left(office, repo, ids)
