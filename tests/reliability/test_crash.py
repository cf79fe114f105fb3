"""kill -9 at random moments: every record acknowledged is there afterwards, nothing reaches the office twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from kiosk.core.records import RECORD_FIELDS
from kiosk.office.serve import start_in_thread

DAYS = ["2027-04-20", "2027-04-21", "2027-04-27"]


def killed_demo_data(kiosk_env, rng: random.Random, printed: list[str]) -> None:
    """Start ``kiosk demo-data --print-ids`` with a random mix of kinds; SIGKILL it at a random moment."""
    kinds = {kind: rng.choice([0, rng.randint(1, 60), 2000])
             for kind in ("checkins", "questions", "ideas", "votes", "feedback")}
    args = [f"--{kind}={n}" for kind, n in kinds.items()]
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "demo-data", "--date", rng.choice(DAYS), *args,
                             "--print-ids", "--seed", str(rng.randrange(10**6))],
                            env=kiosk_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if rng.random() < 0.4:  # by the clock: also while it starts, opens the folder, writes the state file
        time.sleep(rng.uniform(0, 0.6))
    else:  # after a number of records
        for _ in range(rng.randint(1, 300)):
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate()
    printed.extend(line.strip() for line in out.splitlines() if line.strip())
    assert "Traceback" not in err, err


def stored_records(kiosk) -> list[dict]:
    records = []
    for day in DAYS:
        records += json.loads(kiosk("log", "--date", day, "--format", "json", check=True).stdout)
    return records


def test_kill_9_never_loses_an_acknowledged_record(kiosk, kiosk_env, scale):
    rng = random.Random(20270420)
    printed: list[str] = []
    for _ in range(scale(12, 150)):
        killed_demo_data(kiosk_env, rng, printed)
    records = stored_records(kiosk)
    ids = [r["id"] for r in records]
    assert printed and set(printed) <= set(ids)  # every acknowledged record is there
    assert len(ids) == len(set(ids))  # none twice
    seqs = [r["seq"] for r in records]
    assert len(seqs) == len(set(seqs))  # a sequence number is never given twice, not even after kill -9
    assert all(list(r) == list(RECORD_FIELDS) for r in records)  # whole records only
    types = {r["type"] for r in records}
    assert {"checkin", "question", "idea", "feedback"} <= types
    status = json.loads(kiosk("status", "--json", check=True).stdout)
    assert status["pending_uploads"] == len(records) and status["problems"] == []
    # and the kiosk goes on recording
    more = kiosk("demo-data", "--date", DAYS[0], "--checkins", "3", "--print-ids", check=True).stdout.split()
    assert set(more) <= {r["id"] for r in stored_records(kiosk)}


def office_count(office) -> int:
    return sum(n for days in office.store.day_counts().values() for row in days.values()
               for kind, n in row.items() if kind != "visitors")


def test_kill_9_during_uploads_loses_nothing_and_sends_nothing_twice(kiosk, kiosk_env, tmp_path, scale):
    """``kiosk sync`` killed right after a batch reached the office (its answer, or the bookkeeping, lost)."""
    kiosk("demo-data", "--date", DAYS[0], "--checkins", "1200", "--questions", "200", "--ideas", "50",
          "--votes", "100", "--feedback", "150", check=True)
    kiosk_id = json.loads(kiosk("status", "--json", check=True).stdout)["kiosk"]
    office, url = start_in_thread(tmp_path / "office")
    try:
        kiosk_env["KIOSK_OFFICE_TOKEN"] = office.store.add_kiosk(kiosk_id)
        config = tmp_path / "kiosk.toml"
        config.write_text(f'[office]\nurl = "{url}"\n')
        rng = random.Random(7)
        kills = 0
        for attempt in range(scale(5, 50)):
            if attempt % 4 == 3:  # new records keep coming
                kiosk("demo-data", "--date", rng.choice(DAYS), "--checkins", "600", "--seed", str(attempt), check=True)
            before = office_count(office)
            proc = subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--once", "--config", str(config)],
                                    env=kiosk_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 20
            while proc.poll() is None and office_count(office) == before and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.03))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            assert "Traceback" not in proc.communicate()[1]
        assert kills >= scale(3, 12)  # many were killed mid-way (once all is sent, a sync has little to do)
        done = kiosk("sync", "--config", str(config), check=True)
        assert "Nothing left to upload" in done.stdout or "Nothing to upload" in done.stdout
        at_kiosk = stored_records(kiosk)
        at_office = [r for day in DAYS for r in office.store.records_for(kiosk_id, day)]
    finally:
        office.close()
    assert sorted(r["id"] for r in at_office) == sorted(r["id"] for r in at_kiosk)  # all there, each once
    assert json.loads(kiosk("status", "--json", check=True).stdout)["pending_uploads"] == 0
