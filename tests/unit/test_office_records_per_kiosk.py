"""The office keys records on (kiosk, id), checks every number, and stays readable whatever is stored.

Each test runs on SQLite and on PostgreSQL (the ``office`` fixture).
"""

from __future__ import annotations

import json
import threading

import requests

from kiosk.office.database import Database
from kiosk.office.migrations import SCHEMA_V1
from kiosk.office.serve import start_in_thread
from kiosk.office.store import OfficeStore
from office_support import KIOSK, OTHER_KIOSK, TIMEOUT, office, record  # noqa: F401 (fixture)


def other_kiosk_token(office) -> str:
    with office.store() as store:
        return store.add_kiosk(OTHER_KIOSK)


def upload_as_other(office, token: str, records: list) -> dict:
    response = office.upload(records, token=token, kiosk=OTHER_KIOSK)
    assert response.status_code == 201, response.text
    return response.json()


def test_one_kiosk_can_neither_hide_overwrite_nor_probe_another_kiosks_records(office):
    other = other_kiosk_token(office)
    theirs = record(kiosk=OTHER_KIOSK, data={"adults": 1, "children": 0})
    ours = dict(record(), id=theirs["id"], data={"adults": 3, "children": 2})
    # Hide: our kiosk sends B's id first; B's own record with that id is still taken, not a "duplicate".
    assert office.upload([ours]).json()["accepted"] == [ours["id"]]
    assert upload_as_other(office, other, [theirs])["accepted"] == [theirs["id"]]
    # Overwrite: sending it again changes nobody's record.
    again = dict(ours, data={"adults": 9, "children": 9})
    assert office.upload([again]).json()["duplicates"] == [ours["id"]]
    with office.store() as store:
        assert store.records_for(KIOSK, "2027-04-20")[0]["data"] == {"adults": 3, "children": 2}
        assert store.records_for(OTHER_KIOSK, "2027-04-20")[0]["data"] == {"adults": 1, "children": 0}
    # Probe: an id only B has is answered to us exactly as a fresh id is: accepted.
    only_theirs = record(kiosk=OTHER_KIOSK)
    upload_as_other(office, other, [only_theirs])
    probe, fresh = dict(record(), id=only_theirs["id"]), record()
    assert office.upload([probe, fresh]).json() == {"accepted": [probe["id"], fresh["id"]], "duplicates": [],
                                                     "rejected": []}


def test_every_number_is_checked_against_the_record_type(office):
    records = [
        record(data={"adults": 2**63 - 1, "children": 0}),
        record(data={"adults": 2.0, "children": 1}),
        record(data={"adults": 30, "children": 30}),
        record(data={"adults": -1, "children": 1}),
        record(type="feedback", data={"score": 7, "where": "home"}),
        record(type="question", data={"theme": "money", "ticket": 10**20}),
        record(type="signup", data={"title": "Soep", "persons": 1000}),
        record(data={"adults": 1, "children": 0, "extra": [1, 2, 10**12]}),
    ]
    good = record(data={"adults": 50, "children": 0})
    body = json.dumps({"kiosk": KIOSK, "records": [*records, good]})
    # 1e400 is valid JSON, read as an infinite float: it must be refused like the others.
    infinite = record(data={"adults": 1, "children": 0})
    body = body[:-2] + ", " + json.dumps(infinite).replace('"adults": 1', '"adults": 1e400') + "]}"
    answer = office.post(data=body, headers={"Content-Type": "application/json"}).json()
    assert answer["accepted"] == [good["id"]]
    refused = {item["id"]: item["reason"] for item in answer["rejected"]}
    assert list(refused) == [r["id"] for r in records] + [infinite["id"]]
    assert "data.adults: expected a whole number from 0 to 50" in refused[records[0]["id"]]
    assert "at most 50 persons" in refused[records[2]["id"]]
    assert "data.score" in refused[records[4]["id"]] and "data.extra[2]" in refused[records[7]["id"]]
    assert "data.adults" in refused[infinite["id"]]


def test_a_status_with_an_impossible_number_is_refused_with_the_reason(office):
    for status in ({"free_disk_bytes": 10**400}, {"pending": -5}, {"pending": 1.5e300}, {"other": 2**70}):
        body = '{"kiosk": "%s", "records": [], "status": %s}' % (KIOSK, json.dumps(status))
        response = office.post(data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, status
        assert "status." in response.json()["error"]
    assert office.upload([], status={"pending": 3, "free_disk_mb": 1200}).status_code == 201


def test_the_overview_and_reports_survive_what_an_older_office_stored(tmp_path, office_database):
    """An office from before these checks stored 1e400 (as Infinity), 2**63-1 persons and a status of
    10**400; after the upgrade the overview and the report still open, and count those as nothing."""
    where = office_database or tmp_path / "office"
    (tmp_path / "office").mkdir()
    old = Database(where)
    old.script(SCHEMA_V1)
    old.execute("INSERT INTO kiosks VALUES (?, ?, ?)", (KIOSK, "0" * 64, "2027-04-01T00:00:00+00:00"))
    for n, data in enumerate(['{"adults": Infinity, "children": 0}', '{"adults": 9223372036854775807, "children": 0}',
                              '{"adults": 9223372036854775807, "children": 1}', '{"adults": 2, "children": 1}']):
        rec = record(seq=n)
        text = json.dumps(rec).replace(json.dumps(rec["data"]), data)
        old.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rec["id"], KIOSK, "checkin", rec["created_at"], "2027-04-20", n, rec["location"], text,
                     "2027-04-20T08:00:00+00:00"))
    old.execute("INSERT INTO reports VALUES (?, ?, ?, ?)",
                (KIOSK, "2027-04-20T08:00:00+00:00", None, '{"free_disk_bytes": 1%s, "pending": Infinity}' % ("0" * 400)))
    old.close()
    server, url = start_in_thread(tmp_path / "office", admin_password="pw", database=office_database)
    try:
        page = requests.get(url + "/", auth=("x", "pw"), timeout=TIMEOUT)
        assert page.status_code == 200, page.text
        report = requests.get(url + "/report.json?from=2027-04-01&to=2027-04-30", auth=("x", "pw"), timeout=TIMEOUT)
        assert report.status_code == 200, report.text
        figures = report.json()
        assert (figures["visits"], figures["adults"], figures["children"]) == (4, 2, 2)
    finally:
        server.close()


def test_concurrent_uploads_of_the_same_ids_through_two_servers_store_each_once(tmp_path, office_database):
    """Two receivers on one database (two connections): the database itself keeps one row per id."""
    folder = tmp_path / "office"
    servers = [start_in_thread(folder, database=office_database) for _ in range(2)]
    with OfficeStore(office_database or folder) as store:
        token = store.add_kiosk(KIOSK)
    batch = [record(seq=n) for n in range(1, 101)]
    accepted: list[str] = []
    lock = threading.Lock()

    def send(url: str) -> None:
        with requests.Session() as session:
            for start in range(0, 100, 25):
                answer = session.post(url + "/api/v1/records", json={"kiosk": KIOSK, "records": batch[start:start + 25]},
                                      headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
                with lock:
                    accepted.extend(answer["accepted"])

    threads = [threading.Thread(target=send, args=(servers[i % 2][1],)) for i in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for server, _ in servers:
            server.close()
    assert sorted(accepted) == sorted(r["id"] for r in batch)
    with OfficeStore(office_database or folder) as store:
        assert store.db.fetchall("SELECT COUNT(*) FROM records")[0][0] == 100
        visits = store.db.fetchall("SELECT SUM(n) FROM tallies WHERE key = 'visits'")[0][0]
    assert visits == 100  # each record counted once in the report's tally too
