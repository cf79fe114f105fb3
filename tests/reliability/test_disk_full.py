"""A full disk: the visitor is told kindly, staff plainly, nothing is corrupted, recording resumes.

With root (CI), a tiny tmpfs is mounted and the real app fills it; without, the same is checked on the
storage with an injected ENOSPC.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from tinydb import TinyDB

from kiosk.clock import SystemClock
from kiosk.core.demo import ScriptedClock
from kiosk.core.records import Recorder
from kiosk.errors import DiskFullError
from kiosk.storage import Repository, files, journal, state
from kiosk.storage.journal import JournalStorage

DAY = date(2027, 4, 20)


class FullDisk:
    """Writes into ``folder`` fail with ENOSPC: appends (``os.write``) while ``appends_fail``, atomic
    rewrites (state file, compaction, repair) while ``rewrites_fail``; ``full`` sets both."""

    def __init__(self, monkeypatch, folder: Path):
        self.appends_fail = self.rewrites_fail = False
        real_write, real_atomic = os.write, files.write_atomically

        def write(fd, data):
            if self.appends_fail and str(folder) in os.readlink(f"/proc/self/fd/{fd}"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        def write_atomically(path, data):
            if self.rewrites_fail and str(folder) in str(path):
                raise files.storage_error(OSError(errno.ENOSPC, "No space left on device"), path)
            return real_atomic(path, data)

        monkeypatch.setattr(os, "write", write)
        for module in (journal, files, state):
            monkeypatch.setattr(module, "write_atomically", write_atomically)

    @property
    def full(self) -> bool:
        return self.appends_fail and self.rewrites_fail

    @full.setter
    def full(self, value: bool) -> None:
        self.appends_fail = self.rewrites_fail = value


def checkin(repo: Repository, clock) -> dict:
    return Recorder(repo, clock, "Zillebeke").record("checkin", {"adults": 1, "children": 0, "first_time": None,
                                                                 "reasons": ["coffee"]})


def test_records_fail_whole_and_resume_when_space_returns(tmp_path, monkeypatch):
    disk = FullDisk(monkeypatch, tmp_path)
    clock = ScriptedClock(DAY, 100)
    with Repository(tmp_path) as repo:
        kept = [checkin(repo, clock)["id"] for _ in range(5)]
        disk.full = True
        for _ in range(3):
            with pytest.raises(DiskFullError, match="The disk is full"):
                checkin(repo, clock)
        disk.full = False
        kept += [checkin(repo, clock)["id"] for _ in range(5)]
        records = repo.records_for_day(DAY)
    assert [r["id"] for r in records] == kept  # the failed ones left no trace, not even half a line
    assert [r["seq"] for r in records] == list(range(1, 11))
    with Repository(tmp_path) as again:
        assert again.damage == [] and [r["id"] for r in again.records_for_day(DAY)] == kept


def test_a_full_disk_on_a_new_day_stores_nothing_and_keeps_the_state_file(tmp_path, monkeypatch):
    disk = FullDisk(monkeypatch, tmp_path)
    with Repository(tmp_path) as repo:
        checkin(repo, ScriptedClock(DAY, 10))
        state = (tmp_path / "state.json").read_bytes()
        disk.full = True
        with pytest.raises(DiskFullError):
            checkin(repo, ScriptedClock(date(2027, 4, 27), 10))
        assert (tmp_path / "state.json").read_bytes() == state
        assert not (tmp_path / "days" / "2027-04-27.jsonl").exists()
        disk.full = False
        assert checkin(repo, ScriptedClock(date(2027, 4, 27), 10))["seq"] == 2


def test_a_change_on_disk_counts_as_written_though_the_compaction_after_it_fails(tmp_path, monkeypatch):
    """The journal compacts (an atomic rewrite) after many changes; on a full disk that fails, but the
    change it follows is already on disk: the caller must not be told otherwise."""
    disk = FullDisk(monkeypatch, tmp_path)
    path = tmp_path / "journal.jsonl"
    db = TinyDB(path, storage=JournalStorage)
    table = db.table("t")
    doc = table.insert({"n": 0})
    disk.rewrites_fail = True
    for n in range(1, 200):  # one document changed again and again: compaction is due after ~70 lines
        table.update({"n": n}, doc_ids=[doc])
    disk.rewrites_fail = False
    table.update({"n": 200}, doc_ids=[doc])  # now it compacts
    db.close()
    assert len(path.read_bytes().splitlines()) == 1
    assert TinyDB(path, storage=JournalStorage).table("t").get(doc_id=doc)["n"] == 200


def test_the_kiosk_starts_on_a_full_disk_and_says_so(tmp_path, monkeypatch):
    with Repository(tmp_path) as repo:
        first = checkin(repo, ScriptedClock(DAY, 10))
    disk = FullDisk(monkeypatch, tmp_path)
    disk.full = True
    with Repository(tmp_path) as repo:  # the start's state checkpoint cannot be written
        assert any("disk is full" in p for p in repo.damage)
        with pytest.raises(DiskFullError):
            checkin(repo, ScriptedClock(DAY, 10))
        disk.full = False
        second = checkin(repo, ScriptedClock(DAY, 10))
    with Repository(tmp_path) as repo:
        assert [r["seq"] for r in repo.records_for_day(DAY)] == [first["seq"], second["seq"]] == [1, 2]


def test_a_torn_line_that_cannot_be_repaired_on_a_full_disk_is_not_glued_to(tmp_path, monkeypatch):
    with Repository(tmp_path) as repo:
        kept = [checkin(repo, ScriptedClock(DAY, 10))["id"] for _ in range(3)]
    day_file = tmp_path / "days" / f"{DAY}.jsonl"
    day_file.write_bytes(day_file.read_bytes()[:-25])  # a power cut mid-line
    disk = FullDisk(monkeypatch, tmp_path)
    disk.rewrites_fail = True  # appending works; the repair (a rewrite) does not
    with Repository(tmp_path) as repo:
        new = checkin(repo, ScriptedClock(DAY, 10))
    disk.rewrites_fail = False
    with Repository(tmp_path) as repo:
        ids = [r["id"] for r in repo.records_for_day(DAY)]
    assert kept[:2] + [new["id"]] == ids


# -- the real app on a real full disk ----------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the storage tests above inject ENOSPC instead")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_the_app_on_a_full_disk(tiny_disk, app_scenario, kiosk_env, tmp_path):
    data_dir = tiny_disk / "data"
    kiosk_env["KIOSK_DATA_DIR"] = str(data_dir)
    kiosk_env["KIVY_HOME"] = str(tmp_path / "kivy")  # Kivy's own files stay off the tiny disk
    report = app_scenario("disk_full", data_dir, "--filler", str(tiny_disk / "filler"))
    assert report["before"] == "" and report["after"] == ""  # saved fine before and after
    assert report["while_full"] == "This did not work."  # the visitor is told, kindly (translated on screen)
    assert report["while_full_text"] == "Dit is niet gelukt."
    assert "The disk is full" in report["status_while_full"]  # staff, plainly
    assert "The disk is full" not in report["status_after"]
    with Repository(data_dir) as repo:
        today = repo.records_for_day(SystemClock().now().date())
        assert repo.damage == []  # nothing corrupted
        assert [r["id"] for r in today] == report["stored_ids"]
        assert report["stored_types"] == ["checkin"] * (2 + report["fitted"])  # each saved one, none half-way
    json.loads((data_dir / "state.json").read_text())
