"""The office's upload API on a real waitress server: accounting, deduplication, refusals in words."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest
import requests

from kiosk.office.serve import start_in_thread
from kiosk.office.store import DB_NAME, OfficeStore
from office_support import KIOSK, OTHER_KIOSK, TIMEOUT, office, record, start_office  # noqa: F401 (fixture)


def stored_ids(office) -> set[str]:
    with office.store() as store:
        return {row[0] for row in store.db.fetchall("SELECT id FROM records")}


def accounted(answer: dict) -> list:
    return answer["accepted"] + answer["duplicates"] + [r["id"] for r in answer["rejected"]]


def test_a_mixed_batch_stores_the_good_records_and_rejects_the_bad_by_id(office):
    good = [record(seq=n) for n in range(1, 4)]
    bad_type = record(seq=4, type="gossip")
    no_offset = record(seq=5, created_at="2027-04-20T09:30:00")
    other_kiosk = record(seq=6, kiosk=OTHER_KIOSK)
    bad_id = record(seq=7, id="not-a-uuid")
    missing = record(seq=8)
    del missing["data"]
    batch = [good[0], bad_type, good[1], no_offset, "garbage", other_kiosk, good[2], bad_id, missing]

    response = office.upload(batch)

    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["accepted"] == [r["id"] for r in good]
    assert answer["duplicates"] == []
    reasons = {r["id"]: r["reason"] for r in answer["rejected"]}
    assert list(reasons) == [bad_type["id"], no_offset["id"], None, other_kiosk["id"], "not-a-uuid", missing["id"]]
    assert reasons[bad_type["id"]].startswith("type: expected one of checkin")
    assert "created_at" in reasons[no_offset["id"]] and "offset" in reasons[no_offset["id"]]
    assert "a record (a JSON object)" in reasons[None]
    assert OTHER_KIOSK in reasons[other_kiosk["id"]] and KIOSK in reasons[other_kiosk["id"]]
    assert reasons["not-a-uuid"].startswith("id: expected a UUID")
    assert reasons[missing["id"]] == "missing data"
    assert stored_ids(office) == {r["id"] for r in good}


def test_every_problem_of_a_record_is_named(office):
    bad = record(type=3, seq=-1, clock_ok="yes", location=["x"], data="none")
    (rejected,) = office.upload([bad]).json()["rejected"]
    for name in ("type:", "seq:", "clock_ok:", "location:", "data:"):
        assert name in rejected["reason"]


def test_the_same_batch_twice_comes_back_as_duplicates(office):
    batch = [record(seq=n) for n in range(1, 51)] + [record(seq=51, type="nope")]
    first = office.upload(batch).json()
    second = office.upload(batch)
    assert second.status_code == 201
    again = second.json()
    assert again["accepted"] == []
    assert again["duplicates"] == first["accepted"] == [r["id"] for r in batch[:50]]
    assert again["rejected"] == first["rejected"]
    assert len(stored_ids(office)) == 50


def test_a_record_twice_in_one_batch_is_stored_once(office):
    rec = record()
    answer = office.upload([rec, dict(rec, seq=2)]).json()
    assert answer == {"accepted": [rec["id"]], "duplicates": [rec["id"]], "rejected": []}
    with office.store() as store:
        assert [r["seq"] for r in store.records_for(KIOSK, "2027-04-20")] == [1]


def test_what_was_stored_survives_a_restart(tmp_path):
    batch = [record(seq=n) for n in range(1, 6)]
    first = start_office(tmp_path)
    try:
        assert len(first.upload(batch).json()["accepted"]) == 5
    finally:
        first.server.close()
    assert not first.server.thread.is_alive()
    second = start_office(tmp_path)
    try:
        assert second.upload(batch).json()["duplicates"] == [r["id"] for r in batch]
    finally:
        second.server.close()


def test_a_wrong_or_missing_token_is_401_and_nothing_is_stored(office):
    batch = [record()]
    for headers in ({"Authorization": "Bearer not-the-token"}, {"Authorization": f"Basic {office.token}"},
                    {"Authorization": "Bearer "}, {}):
        response = office.session.post(office.url + "/api/v1/records", json={"kiosk": KIOSK, "records": batch},
                                       headers=headers, timeout=TIMEOUT)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "token" in response.json()["error"]
    assert stored_ids(office) == set()


def test_a_new_token_replaces_the_old_one(office):
    with office.store() as store:
        new = store.add_kiosk(KIOSK, replace=True)
    assert office.upload([record()]).status_code == 401
    assert office.upload([record()], token=new).status_code == 201


def test_a_token_of_one_kiosk_cannot_upload_for_another(office):
    with office.store() as store:
        store.add_kiosk(OTHER_KIOSK)
    response = office.upload([record(kiosk=OTHER_KIOSK)], kiosk=OTHER_KIOSK)
    assert response.status_code == 403
    assert KIOSK in response.json()["error"]
    assert stored_ids(office) == set()


def test_a_body_over_the_limit_is_413_by_length_or_by_reading(tmp_path):
    office = start_office(tmp_path, max_body_bytes=20_000)
    try:
        batch = [record(seq=n) for n in range(1, 200)]
        response = office.upload(batch)
        assert response.status_code == 413
        assert "larger than 20000 bytes" in response.json()["error"]
        # Without a Content-Length (chunked), the limit holds while reading.
        body = json.dumps({"kiosk": KIOSK, "records": batch}).encode()
        chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
        response = office.post(data=chunks, headers={"Content-Type": "application/json"})
        assert response.request.headers.get("Transfer-Encoding") == "chunked"
        assert response.status_code == 413 and "larger than" in response.json()["error"]
        # A chunked body under the limit is fine.
        small = json.dumps({"kiosk": KIOSK, "records": batch[:3]}).encode()
        response = office.post(data=iter([small[:100], small[100:]]), headers={"Content-Type": "application/json"})
        assert response.status_code == 201 and len(response.json()["accepted"]) == 3
        assert len(stored_ids(office)) == 3
        # Far over the limit, waitress refuses it before the application reads it.
        response = office.post(data=b"x" * 100_000, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert len(stored_ids(office)) == 3
    finally:
        office.server.close()


def test_too_many_records_is_413_so_the_kiosk_splits(office):
    response = office.upload([record(seq=n) for n in range(1, 1002)])
    assert response.status_code == 413
    assert "at most 1000" in response.json()["error"]


def test_malformed_bodies_are_400_with_a_reason(office):
    cases = {
        b'{"kiosk": "x", "records": [': "not valid JSON",
        b"\xff\xfe{}": "not UTF-8",
        b'{"kiosk": "%s", "records": [NaN]}' % KIOSK.encode(): "NaN",
        b"[]": "expected a JSON object",
        b'{"kiosk": "%s"}' % KIOSK.encode(): "lacks records",
        b'{"records": []}': "lacks kiosk",
        b'{"kiosk": 7, "records": []}': "kiosk: expected text",
        b'{"kiosk": "%s", "records": {}}' % KIOSK.encode(): "records: expected a list",
        b'{"kiosk": "%s", "records": [], "status": []}' % KIOSK.encode(): "status: expected a JSON object",
        b'{"kiosk": "%s", "records": [], "sent_at": 5}' % KIOSK.encode(): "sent_at",
        b"[" * 100_000: "nested too deeply",
    }
    for body, reason in cases.items():
        response = office.post(data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, body[:40]
        assert reason in response.json()["error"], (body[:40], response.json())


def test_a_body_that_is_not_json_is_415(office):
    response = office.post(data="kiosk=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]
    assert office.post(data=b"{}").status_code == 415  # no Content-Type at all


def test_an_empty_batch_reports_the_kiosk_status(office):
    status = {"pending": 0, "version": "0.1.0", "clock_ok": True, "free_disk_bytes": 12_000_000_000}
    response = office.upload([], status=status)
    assert response.status_code == 201
    assert response.json() == {"accepted": [], "duplicates": [], "rejected": []}
    with office.store() as store:
        (report,) = store.reports()
    assert report.kiosk == KIOSK and report.status == status and report.last_seen is not None
    assert report.sent_at == "2027-04-20T10:00:00+02:00"


def test_a_busy_database_is_503_with_retry_after(office):
    if office.database:
        pytest.skip("SQLite's write lock; PostgreSQL lets concurrent uploads wait on row locks instead")
    blocker = sqlite3.connect(office.data_dir / DB_NAME, isolation_level=None)
    office.server.store.db.execute("PRAGMA busy_timeout = 50")
    blocker.execute("BEGIN IMMEDIATE")
    try:
        response = office.upload([record()])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "try again later" in response.json()["error"]
    assert office.upload([record()]).status_code == 201


def test_health_needs_no_token(office):
    response = office.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0"}


def test_unknown_paths_and_methods_answer_in_json(office):
    assert office.get("/api/v1/nothing").json()["error"]
    response = office.get("/api/v1/records")
    assert response.status_code == 405 and "POST" in response.headers["Allow"] and response.json()["error"]


def test_an_unexpected_fault_is_a_500_in_json_and_the_server_goes_on(office, monkeypatch):
    store = office.server.store

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(store, "day_counts", broken)
    response = office.get("/", staff=True)
    assert response.status_code == 500
    assert response.json() == {"error": "an unexpected error in the office receiver; it was logged"}
    assert office.upload([record()]).status_code == 201


def test_the_calendar_has_a_strong_etag_and_answers_304(office):
    missing = office.get("/api/v1/calendar.ics")
    assert missing.status_code == 404 and "calendar" in missing.json()["error"]

    ics = office.data_dir / "calendar.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    first = office.get("/api/v1/calendar.ics")
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("text/calendar")
    assert first.content == ics.read_bytes()
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"]

    again = office.get("/api/v1/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag

    ics.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Ter Plekke\r\nEND:VCALENDAR\r\n")
    os.utime(ics, (ics.stat().st_atime, ics.stat().st_mtime + 5))
    changed = office.get("/api/v1/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Ter Plekke" in changed.content
    assert changed.headers["ETag"] != etag

    ics.unlink()
    ics.mkdir()  # not readable as a file: the office says so, and kiosks try later
    unreadable = office.get("/api/v1/calendar.ics")
    assert unreadable.status_code == 503 and "calendar.ics" in unreadable.json()["error"]
    assert unreadable.headers["Retry-After"]


def test_a_kiosk_registered_before_the_office_starts_can_upload(tmp_path):
    """OfficeStore takes the data folder (even before it exists) or the database file."""
    folder = tmp_path / "office"
    with OfficeStore(folder) as store:
        token = store.add_kiosk(KIOSK)
    with OfficeStore(folder / DB_NAME) as store:
        assert store.kiosk_names() == [KIOSK]
    server, url = start_in_thread(folder)
    try:
        response = requests.post(url + "/api/v1/records", json={"kiosk": KIOSK, "records": [record()]},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        assert response.status_code == 201 and len(response.json()["accepted"]) == 1
    finally:
        server.close()


def test_the_office_accepts_the_staffs_idea_wall_decisions(office):
    """A ``moderation`` record (staff showed or hid an idea) is stored like any other, as the API says."""
    import yaml

    decision = record(seq=1, type="moderation", data={"idea": "5b0e3f52-0000-4000-8000-000000000001", "action": "hide"})
    answer = office.upload([decision]).json()
    assert answer["accepted"] == [decision["id"]] and answer["rejected"] == []
    spec = yaml.safe_load(open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")))
    assert "moderation" in spec["components"]["schemas"]["Record"]["properties"]["type"]["enum"]


def test_close_survives_the_loop_running_its_thunk_before_the_wake_up_byte_is_written(tmp_path, monkeypatch):
    """The race CI met: a worker's wake-up byte makes the loop run close()'s thunk while close() is
    still about to write its own byte; that write must find the trigger open."""
    server, url = start_in_thread(tmp_path / "office")
    assert requests.get(url + "/api/v1/health", timeout=TIMEOUT).status_code == 200
    trigger = server.waitress.trigger
    write_byte = trigger._physical_pull

    def worker_wakes_the_loop_first() -> None:
        write_byte()  # a worker's byte, already on its way
        deadline = time.monotonic() + 5
        while trigger.thunks and time.monotonic() < deadline:
            time.sleep(0.001)
        assert not trigger.thunks, "the loop never ran close()'s thunk"
        write_byte()  # close()'s own byte, after its thunk has run

    monkeypatch.setattr(trigger, "_physical_pull", worker_wakes_the_loop_first)
    server.close()
    assert not server.thread.is_alive()


def test_closing_right_after_an_answer_stops_cleanly_and_leaves_no_descriptor_open(tmp_path):
    """Ten times over: start, answer, close; every socket, pipe and database file is closed again."""
    before = set(os.listdir("/proc/self/fd"))
    for n in range(10):
        server, url = start_in_thread(tmp_path / "office")
        assert requests.get(url + "/api/v1/health", timeout=TIMEOUT).status_code == 200
        server.close()
        assert not server.thread.is_alive(), n
    assert set(os.listdir("/proc/self/fd")) - before == set()
