"""A day file never loses records: one that shrank, or a journal line that would remove records already
read, is damage, kept aside and reported (never silently accepted). Real day files."""

import json
from datetime import datetime, timedelta

import pytest

from kiosk.clock import TIMEZONE
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR

START = datetime(2027, 4, 20, 9, 30, tzinfo=TIMEZONE)


class StepClock:
    def __init__(self, start=START):
        self.moment = start

    def now(self):
        self.moment += timedelta(seconds=20)
        return self.moment


def add_checkins(repo, n, clock=None):
    recorder = Recorder(repo, clock or StepClock(), "Zillebeke")
    return [check_in(recorder, 1, 0, None, ["coffee"]) for _ in range(n)]


@pytest.fixture
def day_of_220(tmp_path):
    with Repository(tmp_path) as repo:
        add_checkins(repo, 220)
    return tmp_path / DAYS_DIR / "2027-04-20.jsonl"


def shorten(path, how):
    lines = path.read_bytes().splitlines(keepends=True)
    if how == "emptied":
        path.write_bytes(b"")
    elif how == "cut at a line end":  # whole lines gone: the journal alone cannot tell
        path.write_bytes(b"".join(lines[:100]))
    else:
        path.unlink()


@pytest.mark.parametrize("how", ["emptied", "cut at a line end", "removed"])
def test_a_day_file_that_shrank_is_damage_kept_aside_and_reported_once(tmp_path, day_of_220, how):
    original = day_of_220.read_bytes()
    shorten(day_of_220, how)
    with Repository(tmp_path) as repo:
        assert len(repo.damage) == 1, repo.damage
        if how == "removed":
            assert repo.damage[0] == "2027-04-20.jsonl held 220 records and is gone"
        else:
            left = 0 if how == "emptied" else 100
            assert repo.damage[0].startswith(f"2027-04-20.jsonl holds {left} records but held 220 (emptied or cut short)")
            assert "kept as damaged/2027-04-20.jsonl." in repo.damage[0]
            assert len(repo.damaged_files()) == 1 and len(repo.damaged_files()[0].read_bytes()) < len(original)
        add_checkins(repo, 1, StepClock(START + timedelta(hours=2)))
    with Repository(tmp_path) as repo:
        assert repo.damage == []  # reported once


def test_a_reader_reports_a_shrunk_day_file_without_touching_anything(tmp_path, day_of_220):
    shorten(day_of_220, "emptied")
    with Repository(tmp_path, writer=False) as reader:
        assert reader.records_for_day("2027-04-20") == []
        assert reader.damage and "holds 0 records but held 220" in reader.damage[0]
        assert reader.damaged_files() == []
    with Repository(tmp_path) as repo:  # the writer still finds it
        assert "holds 0 records but held 220" in repo.damage[0]


@pytest.mark.parametrize("line", [
    {"snapshot": []},
    {"snapshot": {}},
    {"snapshot": {"records": {}}},
    {"snapshot": {"records": {"1": {"id": "x"}}}},
    {"del": {"records": ["1", "2", "3"]}},
    {"set": {"records": {"1": {"id": "x"}}}, "del": {"records": ["5"]}},
])
@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_journal_line_that_would_lose_records_read_before_it_is_damage_not_an_instruction(tmp_path, day_of_220, line, where):
    lines = day_of_220.read_bytes().splitlines(keepends=True)
    bad = json.dumps(line).encode() + b"\n"
    at = len(lines) // 2 if where == "middle" else len(lines)
    day_of_220.write_bytes(b"".join(lines[:at]) + bad + b"".join(lines[at:]))
    with Repository(tmp_path) as repo:
        assert len(repo.records_for_day("2027-04-20")) == 220
        assert repo.damage and "2027-04-20.jsonl was damaged" in repo.damage[0]
        assert "records read before it" in repo.damage[0] or "not a journal entry" in repo.damage[0]
        assert len(repo.damaged_files()) == 1
    with Repository(tmp_path) as repo:
        assert repo.damage == [] and len(repo.records_for_day("2027-04-20")) == 220


def test_compaction_and_erasure_still_read_back_whole(tmp_path, day_of_220):
    with Repository(tmp_path) as repo:
        first = repo.records_for_day("2027-04-20")[0]
        repo.erase_personal("2027-04-20", first["id"], ["reasons"])  # rewrites the file as one snapshot line
    assert day_of_220.read_bytes().count(b"\n") == 1
    with Repository(tmp_path) as repo:
        assert repo.damage == [] and len(repo.records_for_day("2027-04-20")) == 220
