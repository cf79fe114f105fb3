"""Upgrades read older data folders: the storage format has no version number, so compatibility is kept
by rules (docs/raspberry-pi.md, "Updating") and checked here against folders older versions wrote.

``tests/fixtures/data-0.1.0`` was written by kiosk 0.1.0 through its own Repository: 8 check-ins on two
days, 4 uploaded, 1 refused by the office, a location chosen by staff, and the state as a power cut
leaves it (checkpoint behind the records, days still "touched"). Never regenerate it with a newer
version; when a release changes what it writes, add a folder for that release next to it.
"""

import shutil
from pathlib import Path

import pytest

from kiosk.core.daylog import to_csv
from kiosk.storage import Repository

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def old_folder(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(FIXTURES / "data-0.1.0", copy)
    return copy


def test_data_written_by_0_1_0_is_read_whole(old_folder):
    with Repository(old_folder) as repo:
        assert repo.damage == []
        assert repo.kiosk_id == "kiosk-81f1fffac65d"
        assert repo.get_setting("location") == "Dikkebus"
        assert repo.days() == ["2027-04-20", "2027-04-27"]
        first, second = repo.records_for_day("2027-04-20"), repo.records_for_day("2027-04-27")
        assert [r["seq"] for r in first + second] == list(range(1, 9))
        assert first[0]["data"] == {"adults": 2, "children": 1, "first_time": True, "reasons": ["coffee", "question"]}
        assert repo.pending_count() == 3 and [r["seq"] for r in repo.pending()] == [6, 7, 8]
        assert [u["reason"] for u in repo.rejected()] == ["unknown location"]
        assert to_csv(first).count("\n") >= 6  # the day's download still works: a header and 5 rows


def test_a_new_version_continues_the_old_sequence(old_folder):
    with Repository(old_folder) as repo:
        record = {"id": "new", "type": "checkin", "created_at": "2027-05-04T10:00:00+02:00", "clock_ok": True,
                  "location": "Dikkebus", "kiosk": repo.kiosk_id, "data": {}}
        assert repo.add(record)["seq"] == 9
    with Repository(old_folder, writer=False) as reader:
        assert reader.pending_count() == 4
