"""A power cut leaves the newest day file or the state file cut short or overwritten (an SD card may
write zeros or garbage): the kiosk starts, copies the damaged file aside, says so, and keeps recording."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.core.demo import DEMO_KINDS, ScriptedClock
from kiosk.core.records import RECORD_FIELDS, Recorder
from kiosk.storage import Repository
from kiosk.storage.files import DAMAGED_DIR

DAYS = [date(2027, 4, 20), date(2027, 4, 27)]


def write_records(data_dir: Path, seed: int, per_day: int = 40) -> str:
    """Records of every kind on two days; some of the first day uploaded. Returns the kiosk id."""
    rng = random.Random(seed)
    with Repository(data_dir) as repo:
        for day in DAYS:
            recorder = Recorder(repo, ScriptedClock(day, per_day * 2), "Zillebeke")
            for kind in ("checkins", "questions", "ideas", "votes", "feedback"):
                for _ in DEMO_KINDS[kind](recorder, rng.randint(1, per_day // 2), rng):
                    pass
        first = repo.records_for_day(DAYS[0])
        repo.mark_done([(str(DAYS[0]), r["id"], "uploaded", "") for r in first[: len(first) // 2]], "2027-04-20T12:00:00+02:00")
        return repo.kiosk_id


def intact_ids(raw: bytes, hit: range) -> set[str]:
    """Ids of the records set by journal lines that the damage ``hit`` did not touch, nor the line
    break before them (without it, a line is glued to the damaged one before it)."""
    ids, start = set(), 0
    for line in raw.split(b"\n"):
        end = start + len(line) + 1
        if line and not (start - 1 < hit.stop and hit.start < end):
            entry = json.loads(line)
            tables = entry.get("snapshot") or entry.get("set", {})
            ids |= set(tables.get("records", {}).get(key, {}).get("id") for key in tables.get("records", {}))
        start = end
    return ids - {None}


def damage(path: Path, rng: random.Random, how: str) -> range:
    """Damage ``path`` as a power cut may; return the byte range touched (to the end for a cut)."""
    raw = path.read_bytes()
    offset = rng.randrange(len(raw))
    if how == "cut":
        path.write_bytes(raw[:offset])
        return range(offset, len(raw))
    length = rng.randint(1, 600)
    fill = bytes(length) if how == "zeros" else (b"\xff" * length if how == "ones" else rng.randbytes(length))
    path.write_bytes(raw[:offset] + fill + raw[offset + length:])
    return range(offset, offset + length)


@pytest.mark.parametrize("how", ["cut", "zeros", "ones", "garbage"])
def test_a_damaged_day_file_keeps_its_readable_part_and_recording_goes_on(tmp_path, how, scale):
    rng = random.Random(f"day-{how}")
    for attempt in range(scale(8, 150)):
        data_dir = tmp_path / f"{how}-{attempt}"
        write_records(data_dir, seed=attempt)
        newest = data_dir / "days" / f"{DAYS[-1]}.jsonl"
        with Repository(data_dir, writer=False) as before:
            every = {r["id"]: r for day in DAYS for r in before.records_for_day(day)}
            seqs = {r["seq"] for r in every.values()}
        raw = newest.read_bytes()
        hit = damage(newest, rng, how)
        with Repository(data_dir) as repo:
            kept = {r["id"]: r for day in DAYS for r in repo.records_for_day(day)}
            assert intact_ids(raw, hit) <= set(kept) <= set(every)  # the readable part, nothing invented
            assert all(kept[i] == every[i] for i in kept)  # and unchanged
            if repo.damage:  # said so, and the original is kept for a technician
                assert newest.name in repo.damage[0] and "damaged" in repo.damage[0]
                assert any(p.name.startswith(newest.name) for p in repo.damaged_files())
            new = Recorder(repo, ScriptedClock(DAYS[-1], 5), "Zillebeke").record("feedback", {"score": 4, "where": "home"})
            assert new["seq"] > max(seqs)  # never a number given before the cut
        with Repository(data_dir) as again:  # repaired: read cleanly, the new record there
            assert again.damage == []
            assert new["id"] in {r["id"] for r in again.records_for_day(DAYS[-1])}
            assert all(set(r) == set(RECORD_FIELDS) for r in again.records_for_day(DAYS[-1]))


@pytest.mark.parametrize("how", ["cut", "zeros", "garbage", "empty", "tmp-left-behind"])
def test_a_damaged_state_file_is_rebuilt_from_the_day_files(tmp_path, how, scale):
    rng = random.Random(f"state-{how}")
    for attempt in range(scale(4, 60)):
        data_dir = tmp_path / f"{how}-{attempt}"
        kiosk_id = write_records(data_dir, seed=attempt)
        state = data_dir / "state.json"
        with Repository(data_dir, writer=False) as before:
            pending, total = before.pending_count(), sum(before.count_for_day(d) for d in DAYS)
            top = max(r["seq"] for d in DAYS for r in before.records_for_day(d))
        if how == "empty":
            state.write_bytes(b"")
        elif how == "tmp-left-behind":  # cut while writing the next state file: the old one stands
            (data_dir / ".state.json.tmp").write_bytes(state.read_bytes()[: rng.randrange(50)])
        else:
            damage(state, rng, {"cut": "cut", "zeros": "zeros", "garbage": "garbage"}[how])
        with Repository(data_dir) as repo:
            assert repo.kiosk_id == kiosk_id  # the same kiosk to the office
            assert repo.pending_count() == pending  # nothing forgotten, nothing sent again for nothing
            assert sum(repo.count_for_day(d) for d in DAYS) == total
            record = Recorder(repo, ScriptedClock(DAYS[-1], 5), "Zillebeke").record("feedback", {"score": 3, "where": "home"})
            assert record["seq"] > top
        assert json.loads(state.read_bytes())["kiosk_id"] == kiosk_id


def test_kiosk_status_says_so_and_demo_data_goes_on(data_dir, kiosk):
    write_records(data_dir, seed=1)
    newest = data_dir / "days" / f"{DAYS[-1]}.jsonl"
    damage(newest, random.Random(3), "zeros")
    (data_dir / "state.json").write_bytes(b'{"kiosk_id": "kiosk-')
    before = json.loads(kiosk("status", "--json", check=True).stdout)  # a reader: says so, changes nothing
    assert any("state.json" in p for p in before["problems"]) and any(newest.name in p for p in before["problems"])
    kiosk("demo-data", "--date", str(DAYS[-1]), "--checkins", "3", check=True)  # a writer repairs, moves aside
    after = kiosk("status", check=True).stdout
    assert f"{newest.name}." in after and "state.json." in after  # the copies in damaged/ are named
    assert sorted(p.name.split(".")[0] for p in (data_dir / DAMAGED_DIR).iterdir()) == ["2027-04-27", "state"]
    assert json.loads(kiosk("status", "--json", check=True).stdout)["problems"] == []


def test_the_app_starts_on_damaged_files_and_records(data_dir, app_scenario):
    write_records(data_dir, seed=2)
    today = SystemClock().now().date()
    with Repository(data_dir) as repo:  # today's file is the newest, as on a kiosk in use
        recorder = Recorder(repo, ScriptedClock(today, 30), "Zillebeke")
        for _ in DEMO_KINDS["checkins"](recorder, 30, random.Random(1)):
            pass
    newest = data_dir / "days" / f"{today}.jsonl"
    damage(newest, random.Random(5), "cut")
    damage(data_dir / "state.json", random.Random(5), "garbage")
    report = app_scenario("visit", data_dir, "--visits", "3")
    assert any(newest.name in p for p in report["damage"]) and any("state.json" in p for p in report["damage"])
    assert report["saved"] and report["stored_today"] >= sum(report["saved"].values())
    with Repository(data_dir) as repo:
        assert repo.damage == []
        assert len(repo.records_for_day(today)) == report["stored_today"]
