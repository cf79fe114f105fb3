"""``kiosk sync``, ``kiosk purge`` and the upload lines of ``kiosk status``, as real subprocesses."""

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from fault_office import FaultOffice
from kiosk.clock import TIMEZONE
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR
from test_storage import StepClock, add_checkins

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(TIMEZONE)


def kiosk(tmp_path, *args, url="", token="good-token"):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[office]\nurl = "{url}"\ntimeout = 2\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_OFFICE_TOKEN": token}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args, "--config", str(config)],
        env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )


def records(tmp_path, n=5, when=None):
    with Repository(tmp_path / "data") as repo:
        return [r["id"] for r in add_checkins(repo, n, StepClock(when or NOW - timedelta(hours=2)))]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sync_uploads_everything_and_exits_0(tmp_path):
    ids = records(tmp_path)
    with FaultOffice() as office:
        done = kiosk(tmp_path, "sync", "--once", url=office.url)
        again = kiosk(tmp_path, "sync", "--once", url=office.url)
    assert done.returncode == 0, done.stderr
    assert "Uploaded 5 records to 127.0.0.1" in done.stdout and "Nothing left to upload" in done.stdout
    assert office.each_stored_once(ids) and office.post_count() == 1
    assert again.returncode == 0 and "Nothing to upload" in again.stdout
    status = kiosk(tmp_path, "status", url=office.url)
    assert "Pending uploads:  0" in status.stdout and "Uploads:          Everything is at the office" in status.stdout
    assert f"Last upload:      {NOW:%d/%m/%Y}" in status.stdout


def test_sync_with_the_office_unreachable_exits_1_and_status_says_why(tmp_path):
    records(tmp_path, 3)
    url = f"http://127.0.0.1:{closed_port()}"
    done = kiosk(tmp_path, "sync", "--once", url=url)
    assert done.returncode == 1
    assert "3 records still to upload: the office (127.0.0.1:" in done.stdout and "refused the connection" in done.stdout
    status = json.loads(kiosk(tmp_path, "status", "--json", url=url).stdout)
    assert status["pending_uploads"] == 3 and status["last_upload"] is None
    assert "refused the connection" in status["upload_problem"]
    words = kiosk(tmp_path, "status", url=url).stdout
    assert "3 records waiting to be uploaded; the last try failed: the office" in words


def test_sync_without_once_retries_until_done(tmp_path):
    ids = records(tmp_path, 4)
    with FaultOffice() as office:
        office.faults.extend(["500"])
        done = kiosk(tmp_path, "sync", "--timeout", "20", url=office.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Not yet: the office (127.0.0.1:" in done.stderr and "answered 500" in done.stderr
    assert office.each_stored_once(ids)


def test_sync_gives_up_after_its_timeout(tmp_path):
    records(tmp_path, 2)
    done = kiosk(tmp_path, "sync", "--timeout", "1", url=f"http://127.0.0.1:{closed_port()}")
    assert done.returncode == 1 and "2 records still to upload" in done.stdout


@pytest.mark.parametrize(
    "url, token, words",
    [
        ("", "good-token", "No office address is configured: set [office] url"),
        ("http://127.0.0.1:9", "", "No token for the office is configured"),
    ],
)
def test_sync_with_settings_that_cannot_work_exits_2(tmp_path, url, token, words):
    records(tmp_path, 1)
    done = kiosk(tmp_path, "sync", url=url, token=token)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


def test_sync_with_a_refused_token_exits_2_and_status_says_uploads_stopped(tmp_path):
    records(tmp_path, 2)
    with FaultOffice(token="the-right-one") as office:
        done = kiosk(tmp_path, "sync", url=office.url, token="an-old-one")
        status = kiosk(tmp_path, "status", url=office.url, token="an-old-one")
        other = kiosk(tmp_path, "status", url=office.url, token="the-right-one")
    assert done.returncode == 2 and "refused this kiosk's token (401" in done.stdout
    assert "an-old-one" not in done.stdout + done.stderr
    assert office.post_count() == 1
    assert "Uploads are stopped: the office" in status.stdout
    assert "Uploads:          2 records waiting to be uploaded." in other.stdout  # a new token: they go again


def test_purge_dry_run_says_what_would_go_and_removes_nothing(tmp_path):
    old_day = NOW - timedelta(days=100)
    kept_day = NOW - timedelta(days=90)
    ids_old = records(tmp_path, 3, old_day)
    ids_kept = records(tmp_path, 2, kept_day)
    records(tmp_path, 2, NOW - timedelta(days=80))  # never uploaded
    with Repository(tmp_path / "data") as repo:
        at = (NOW - timedelta(days=95)).isoformat()
        repo.mark_done([(f"{old_day:%Y-%m-%d}", i, "uploaded", "") for i in ids_old], at=at)
        repo.mark_done([(f"{kept_day:%Y-%m-%d}", ids_kept[0], "uploaded", ""),
                        (f"{kept_day:%Y-%m-%d}", ids_kept[1], "rejected", "unknown type")], at=at)
    files = sorted(p.name for p in (tmp_path / "data" / DAYS_DIR).iterdir())

    dry = kiosk(tmp_path, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"Would remove 1 day(s), 3 records the office has had for more than 30 days: {old_day:%Y-%m-%d}" in dry.stdout
    assert f"records the office refused (for staff): {kept_day:%Y-%m-%d}" in dry.stdout
    assert "not yet uploaded: " in dry.stdout
    assert sorted(p.name for p in (tmp_path / "data" / DAYS_DIR).iterdir()) == files

    done = kiosk(tmp_path, "purge")
    assert done.returncode == 0 and "Removed 1 day(s)" in done.stdout
    assert sorted(p.name for p in (tmp_path / "data" / DAYS_DIR).iterdir()) == [f for f in files if not f.startswith(f"{old_day:%Y-%m-%d}")]
    with Repository(tmp_path / "data") as repo:
        assert repo.pending_count() == 2 and len(repo.rejected()) == 1
