"""The repository on real files: durable day files, sequence numbers, damage, locking."""

import json
from datetime import datetime, timedelta

import pytest

from kiosk.clock import TIMEZONE
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.errors import KioskBusyError, DataFolderError
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR
from clocks import MORNING as START
from clocks import StepClock


def minutes(start):
    """A minute later at every reading."""
    return StepClock(start, timedelta(minutes=1))


def add_checkins(repo, n, clock=None):
    recorder = Recorder(repo, clock or minutes(START), "Zillebeke")
    return [check_in(recorder, 1, 0, None, ["coffee"]) for _ in range(n)]


def test_records_have_every_field_and_survive_reopening(tmp_path):
    with Repository(tmp_path) as repo:
        written = add_checkins(repo, 5)
        kiosk_id = repo.kiosk_id
    with Repository(tmp_path, writer=False) as repo:
        stored = repo.records_for_day("2027-04-20")
    assert [r["id"] for r in stored] == [r["id"] for r in written]
    first = stored[0]
    assert set(first) == {"id", "type", "created_at", "seq", "clock_ok", "location", "kiosk", "data"}
    assert first["created_at"] == "2027-04-20T09:31:00+02:00"
    assert first["kiosk"] == kiosk_id and first["type"] == "checkin" and first["clock_ok"] is True
    assert [r["seq"] for r in stored] == [1, 2, 3, 4, 5]


def test_sequence_continues_after_restart_and_across_days(tmp_path):
    with Repository(tmp_path) as repo:
        add_checkins(repo, 3)
    with Repository(tmp_path) as repo:
        later = add_checkins(repo, 2, StepClock(START + timedelta(days=1)))
    assert [r["seq"] for r in later] == [4, 5]
    assert (tmp_path / DAYS_DIR / "2027-04-21.jsonl").exists()


def test_one_file_per_day_holds_only_that_day(tmp_path):
    with Repository(tmp_path) as repo:
        add_checkins(repo, 3, StepClock(START, step=timedelta(hours=8)))  # 17:30, then 01:30 and 09:30 next day
        assert repo.days() == ["2027-04-20", "2027-04-21"]
        assert repo.count_for_day("2027-04-20") == 1 and repo.count_for_day("2027-04-21") == 2


def test_clock_before_the_software_existed_is_flagged(tmp_path):
    with Repository(tmp_path) as repo:
        good = add_checkins(repo, 1)[0]
        bad = add_checkins(repo, 1, minutes(datetime(1970, 1, 1, tzinfo=TIMEZONE)))[0]
        back = add_checkins(repo, 1, StepClock(START - timedelta(hours=2)))[0]
    assert good["clock_ok"] and not bad["clock_ok"] and not back["clock_ok"]
    assert bad["seq"] < back["seq"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "overwrite"])
def test_damaged_day_file_is_moved_aside_and_the_rest_kept(tmp_path, damage):
    with Repository(tmp_path) as repo:
        written = add_checkins(repo, 20)
    path = tmp_path / DAYS_DIR / "2027-04-20.jsonl"
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) - 40])
    elif damage == "garbage":
        path.write_bytes(raw + b"\x00\xff garbage")
    else:
        middle = len(raw) // 2
        path.write_bytes(raw[:middle] + b"#" * 30 + raw[middle + 30 :])
    with Repository(tmp_path) as repo:
        assert repo.damage and "2027-04-20.jsonl was damaged" in repo.damage[0]
        assert len(repo.damaged_files()) == 1
        kept = {r["id"] for r in repo.records_for_day("2027-04-20")}
        lost = {r["id"] for r in written} - kept
        assert len(lost) <= 2  # only the lines the damage hit
        more = add_checkins(repo, 1, StepClock(START + timedelta(hours=1)))[0]
        assert more["seq"] > 20  # never a number a lost record may have had
    with Repository(tmp_path) as repo:
        assert repo.damage == []  # repaired once, reported once
        assert more["id"] in {r["id"] for r in repo.records_for_day("2027-04-20")}


def test_damaged_state_file_is_rebuilt_from_the_records(tmp_path):
    with Repository(tmp_path) as repo:
        kiosk_id = repo.kiosk_id
        add_checkins(repo, 4)
    (tmp_path / "state.json").write_bytes(b'{"kiosk_id": "kio')
    with Repository(tmp_path) as repo:
        assert any("state.json was damaged" in d for d in repo.damage)
        assert repo.kiosk_id == kiosk_id
        assert add_checkins(repo, 1, StepClock(START + timedelta(hours=2)))[0]["seq"] > 4
        assert repo.pending_count() == 5


def test_only_one_writer_at_a_time(tmp_path):
    with Repository(tmp_path):
        with pytest.raises(KioskBusyError, match="Another kiosk program"):
            Repository(tmp_path)
        with Repository(tmp_path, writer=False) as reader:
            assert reader.days() == []


def test_unwritable_data_folder_is_said_in_words(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataFolderError, match="cannot be created"):
        Repository(blocker / "data")


def test_upload_bookkeeping(tmp_path):
    with Repository(tmp_path) as repo:
        written = add_checkins(repo, 4)
        assert [r["id"] for r in repo.pending(3)] == [r["id"] for r in written[:3]]
        repo.mark_done([("2027-04-20", written[0]["id"], "uploaded", ""),
                        ("2027-04-20", written[1]["id"], "rejected", "bad data")], at="now")
        assert repo.pending_count() == 2
        assert repo.rejected()[0]["id"] == written[1]["id"]
        repo.mark_done([("2027-04-20", r["id"], "uploaded", "") for r in written[2:]], at="now")
        assert repo.pending_count() == 0
        assert repo.get_setting("pending_days") == []
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["seq"] == 4 or state["touched_days"] == ["2027-04-20"]


def test_records_since_picks_types_across_days_in_seq_order(tmp_path):
    from kiosk.core import ideas

    with Repository(tmp_path) as repo:
        clock = StepClock(START, timedelta(hours=20))
        recorder = Recorder(repo, clock, "Zillebeke")
        made = []
        for n in range(4):
            check_in(recorder, 1, 0, None, ["coffee"])
            made.append(ideas.propose(recorder, "walking", f"Wandeling {n}"))
            made.append(ideas.support(recorder, made[-1]["id"]))
        picked = repo.records_since("2027-04-21", types=("idea", "vote"))
        assert len(repo.days()) >= 3
        assert [r["id"] for r in picked] == [r["id"] for r in made if r["created_at"] >= "2027-04-21"]
        assert len(repo.records_since("2027-04-21")) > len(picked)
        picked[0]["data"]["title"] = "changed by a caller"  # copies: the cache is not touched
        again = repo.records_since("2027-04-21", types=("idea", "vote"))
        assert again[0]["data"]["title"] != "changed by a caller" and again == repo.records_since("2027-04-21", ("idea", "vote"))
        newest = ideas.propose(recorder, "cooking", "Soep")  # a new record is seen at once
        assert repo.records_since("2027-04-21", types=("idea",))[-1]["id"] == newest["id"]


def test_a_record_is_stored_as_one_line_of_its_own_however_full_the_day(tmp_path):
    """An insert appends the new record and nothing else, and reads back the same after reopening."""
    repo = Repository(tmp_path)
    recorder = Recorder(repo, StepClock(START), "Zillebeke")
    for _ in range(200):
        check_in(recorder, 1, 0, None, ["coffee"])
    day_file = next((tmp_path / DAYS_DIR).iterdir())
    before = day_file.read_bytes()
    stored = check_in(recorder, 2, 1, True, ["question"])
    after = day_file.read_bytes()
    assert after.startswith(before)
    (line,) = after[len(before):].splitlines()
    assert json.loads(line) == {"set": {"records": {"201": stored}}}
    repo.close()
    assert Repository(tmp_path).records_for_day(START.date())[-1] == stored


def test_a_taken_document_id_is_refused_and_the_file_left_as_it_was(tmp_path):
    from kiosk.storage.journal import JournalStorage

    storage = JournalStorage(tmp_path / "day.jsonl")
    storage.append("records", "1", {"n": 1})
    with pytest.raises(ValueError):
        storage.append("records", "1", {"n": 2})
    storage.close()
    assert JournalStorage(tmp_path / "day.jsonl").read() == {"records": {"1": {"n": 1}}}
