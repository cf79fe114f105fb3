"""The kiosk's outbox against the office's reference receiver (kiosk.office, Flask on waitress).

Skipped where kiosk.office is not installed (the sync branch before the office branch is merged).
"""

import shutil
import socket
import threading
from datetime import timedelta

import pytest

serve = pytest.importorskip("kiosk.office.serve", reason="the reference receiver (kiosk.office) is not here")
from kiosk.office.store import OfficeStore  # noqa: E402
from kiosk.storage import Repository  # noqa: E402
from kiosk.sync import OfficeSettings, Outbox, RetryPolicy, SyncState  # noqa: E402
from test_storage import START, StepClock, add_checkins  # noqa: E402

FAST = RetryPolicy(first_delay=0.02, max_delay=0.1, min_delay=0.02)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def at_office(office_dir, kiosk, days):
    with OfficeStore(office_dir) as store:
        return [r["id"] for day in days for r in store.records_for(kiosk, day)]


def test_records_made_offline_arrive_once_when_the_office_starts_later(tmp_path):
    office_dir = tmp_path / "office"
    with Repository(tmp_path / "kiosk") as repo:
        written = add_checkins(repo, 40, StepClock(START, step=timedelta(hours=1)))
        ids = [r["id"] for r in written]
        days = sorted({r["created_at"][:10] for r in written})
        with OfficeStore(office_dir) as store:
            token = store.add_kiosk(repo.kiosk_id)
        port = free_port()
        outbox = Outbox(repo, OfficeSettings(f"http://127.0.0.1:{port}", token, connect_timeout=1, read_timeout=5),
                        policy=FAST, max_records=15)
        waiting, drained = threading.Event(), threading.Event()

        def on_status(status):
            if status.state is SyncState.WAITING:
                waiting.set()
            if status.state is SyncState.IDLE and status.pending == 0:
                drained.set()

        outbox.on_status = on_status
        outbox.start()
        try:
            assert waiting.wait(5)  # the office is not there yet
            server, _ = serve.start_in_thread(office_dir, port=port)
            try:
                assert drained.wait(20), outbox.status()
            finally:
                assert outbox.stop()
                server.close()
        finally:
            outbox.stop()
        assert repo.pending_count() == 0 and repo.rejected() == []
    assert sorted(at_office(office_dir, repo.kiosk_id, days)) == sorted(ids)
    with OfficeStore(office_dir) as store:
        report = store.reports()[0]
    assert report.status["pending"] == 0 or report.status["pending"] <= 15
    assert {"pending", "app_version", "clock_ok", "free_disk_mb"} <= set(report.status)


def test_sending_everything_again_comes_back_as_duplicates(tmp_path):
    """As after an answer lost on the way back: the office keeps one of each."""
    office_dir = tmp_path / "office"
    with Repository(tmp_path / "kiosk") as repo:
        ids = [r["id"] for r in add_checkins(repo, 12)]
        kiosk_id = repo.kiosk_id
    shutil.copytree(tmp_path / "kiosk", tmp_path / "copy")  # the same records, still pending
    with OfficeStore(office_dir) as store:
        token = store.add_kiosk(kiosk_id)
    server, url = serve.start_in_thread(office_dir)
    try:
        for folder in ("kiosk", "copy"):
            with Repository(tmp_path / folder) as repo:
                report = Outbox(repo, OfficeSettings(url, token), policy=FAST).drain_once()
                assert report.problem is None and report.remaining == 0 and report.uploaded == 12
                assert report.duplicates == (12 if folder == "copy" else 0)
    finally:
        server.close()
    assert sorted(at_office(office_dir, kiosk_id, ["2027-04-20"])) == sorted(ids)


def test_a_wrong_token_or_kiosk_name_stops_uploads_with_the_offices_reason(tmp_path):
    office_dir = tmp_path / "office"
    with OfficeStore(office_dir) as store:
        other_token = store.add_kiosk("kiosk-somewhere-else")
    server, url = serve.start_in_thread(office_dir)
    try:
        with Repository(tmp_path / "kiosk") as repo:
            add_checkins(repo, 3)
            refused = Outbox(repo, OfficeSettings(url, "not-a-token"), policy=FAST)
            assert refused.drain_once().auth_failed and refused.status().auth_stopped
            assert "(401: no valid kiosk token" in refused.status().last_error
            mixed_up = Outbox(repo, OfficeSettings(url, other_token), policy=FAST)
            report = mixed_up.drain_once()
            assert report.auth_failed and 'the token belongs to kiosk "kiosk-somewhere-else"' in report.problem
            assert repo.pending_count() == 3
    finally:
        server.close()
