"""The kiosk id is made once, by whichever command first needs it, and a reader never writes."""

import json
import os
import subprocess
import sys

from kiosk.storage import Repository, kiosk_id_of


def _kiosk(*args, data_dir, cwd=None):
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_status_on_a_kiosk_that_never_started_shows_the_id_it_will_keep(tmp_path):
    data = tmp_path / "data"
    first = _kiosk("status", "--json", data_dir=data)
    second = _kiosk("status", "--json", data_dir=data)
    assert first.returncode == 0, first.stderr
    kiosk_id = json.loads(first.stdout)["kiosk"]
    assert kiosk_id.startswith("kiosk-") and kiosk_id != "kiosk-unknown"
    assert json.loads(second.stdout)["kiosk"] == kiosk_id
    with Repository(data) as kiosk:  # the kiosk, when it starts, uploads with that same id
        assert kiosk.kiosk_id == kiosk_id


def test_init_makes_the_id_that_status_shows(tmp_path):
    data = tmp_path / "data"
    made = _kiosk("init", data_dir=data)
    assert made.returncode == 0, made.stderr
    shown = json.loads(_kiosk("status", "--json", data_dir=data).stdout)["kiosk"]
    assert made.stdout.split()[0] == shown


def test_the_id_is_made_once_even_when_asked_while_the_kiosk_runs(tmp_path):
    data = tmp_path / "data"
    with Repository(data) as running_kiosk:
        assert kiosk_id_of(data) == running_kiosk.kiosk_id


def test_a_reader_of_a_folder_nobody_made_creates_nothing(tmp_path):
    data = tmp_path / "never-started"
    with Repository(data, writer=False) as reader:
        assert reader.days() == [] and reader.records_for_day("2027-04-20") == []
        assert reader.pending_count() == 0
    assert not data.exists()



def test_a_damaged_folder_is_only_read_for_its_id(tmp_path):
    data = tmp_path / "data"
    with Repository(data) as kiosk:
        kiosk.add({"id": "r1", "type": "checkin", "created_at": "2027-04-20T09:30:00+02:00", "clock_ok": True,
                   "location": "Zillebeke", "kiosk": kiosk.kiosk_id, "data": {}})
        kiosk_id = kiosk.kiosk_id
    (data / "state.json").write_bytes(b'{"kiosk_id": "kiosk-')  # a power cut mid-write
    assert kiosk_id_of(data) == kiosk_id
    assert (data / "state.json").read_bytes() == b'{"kiosk_id": "kiosk-'  # nothing repaired, nothing moved
    assert not (data / "damaged").exists()
