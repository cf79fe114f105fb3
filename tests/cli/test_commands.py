"""The ``kiosk`` command for staff and operations, run for real."""

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def test_demo_data_then_log_lists_exactly_those_ids(kiosk):
    made = kiosk("demo-data", "--date", "2027-04-20", "--checkins", "200", "--print-ids", check=True)
    ids = made.stdout.split()
    assert len(ids) == 200 and len(set(ids)) == 200
    log = kiosk("log", "--date", "2027-04-20", "--format", "json", check=True)
    records = json.loads(log.stdout)  # a list of record objects (the exported file adds the reminder)
    assert [r["id"] for r in records] == ids
    assert all(r["created_at"].startswith("2027-04-20T") and r["created_at"].endswith("+02:00") for r in records)


def test_csv_log_opens_in_excel(kiosk, tmp_path):
    kiosk("demo-data", "--date", "2027-04-20", "--checkins", "5", check=True)
    out = tmp_path / "log.csv"
    kiosk("log", "--date", "2027-04-20", "--format", "csv", "--out", str(out), check=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Tijdstip", "Soort", "Locatie"]
    assert len(rows) == 1 + 5 + 1 and rows[1][1] == "aanmelding"
    assert rows[1][0].startswith("20/04/2027 ")
    assert "Verwijder dit bestand" in rows[-1][0]


def test_status_names_records_and_damage(kiosk, kiosk_env):
    kiosk("demo-data", "--date", "2027-04-20", "--checkins", "3", check=True)
    status = json.loads(kiosk("status", "--json", check=True).stdout)
    assert status["pending_uploads"] == 3 and status["kiosk"].startswith("kiosk-")
    day = Path(kiosk_env["KIOSK_DATA_DIR"]) / "days" / "2027-04-20.jsonl"
    day.write_bytes(day.read_bytes()[:-30])
    kiosk("demo-data", "--date", "2027-04-21", "--checkins", "1", check=True)  # a writer repairs and moves aside
    kiosk("log", "--date", "2027-04-20", check=True)
    text = kiosk("status", check=True).stdout
    assert "2027-04-20.jsonl." in text  # the damaged copy is named


def test_check_config_exit_codes(kiosk, tmp_path):
    assert kiosk("check-config", check=True).stdout.strip().endswith("all is well")
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[kiosk]\nidle_timeout = "soon"\nnmae = "x"\n')
    result = kiosk("check-config", "--config", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'kiosk.toml: [kiosk] idle_timeout: expected seconds between 10 and 600, got "soon"',
        'kiosk.toml: [kiosk] nmae: unknown key (did you mean "name"?)',
    ]
    assert "Traceback" not in result.stderr


def test_the_app_with_a_bad_config_says_so_without_a_traceback(kiosk, tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[display]\nsize = 12\n")
    result = kiosk("--config", str(bad), "run")
    assert result.returncode == 2
    assert "kiosk.toml: [display] size:" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_data_folder_is_a_clear_message(kiosk, kiosk_env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    kiosk_env["KIOSK_DATA_DIR"] = str(blocker / "data")
    result = kiosk("demo-data", "--date", "2027-04-20", "--checkins", "1")
    assert result.returncode == 2 and "cannot be created" in result.stderr and "Traceback" not in result.stderr


def test_sigkill_never_loses_an_acknowledged_record(kiosk, kiosk_env):
    """Kill ``demo-data --print-ids`` at random moments: every id printed is there afterwards."""
    rng = random.Random(7)
    printed: list[str] = []
    for attempt in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "demo-data", "--date", "2027-04-20", "--checkins", "100000",
             "--print-ids"],
            env=kiosk_env, stdout=subprocess.PIPE, text=True,
        )
        wanted = rng.randint(1, 400)
        for _ in range(wanted):
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        printed.extend(line.strip() for line in proc.stdout.read().splitlines() if line.strip())
    stored = {r["id"] for r in json.loads(kiosk("log", "--date", "2027-04-20", check=True).stdout)}
    assert printed and set(printed) <= stored
    status = json.loads(kiosk("status", "--json", check=True).stdout)
    assert status["records_today"] >= 0 and status["pending_uploads"] >= len(printed)
