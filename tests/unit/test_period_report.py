"""The funder's report: the kiosk's ``kiosk report`` and the office's ``kiosk office report`` agree with
each other and with counts taken straight from ``kiosk log --format json`` (3 kiosks x 90 days of demo
data, uploaded with ``kiosk sync``), on SQLite and on PostgreSQL. Then the formats, the overview's
period choice, and erasure at the office."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from datetime import date, timedelta

import pytest
import requests

from icstext import local
from kiosk.cli import main
from kiosk.core import participants
from kiosk.core.period import COUNTS_ONLY_NOTE, kiosk_tally, period_report, tally
from kiosk.core.period_files import to_csv, to_html
from kiosk.core.signup import sign_up
from kiosk.office.reports import office_report
from kiosk.office.serve import start_in_thread
from kiosk.office.store import OfficeStore
from office_support import KIOSK, office, record  # noqa: F401 (fixture)
from signup_support import MEAL, recorder

FIRST = date(2027, 1, 4)
DAYS = 90
LAST = FIRST + timedelta(days=DAYS - 1)
PLACES = ["In 't Riet, Zillebeke", "Dikkebus", "Vlamertinge"]
PASSWORD = "verslag"


def run(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def write_config(folder, place: str, url: str = "", token: str = "") -> str:
    config = folder / "kiosk.toml"
    config.write_text(f'[locations]\ntoday = "{place}"\n[data]\nfolder = "{folder / "data"}"\n'
                      f'[office]\nurl = "{url}"\ntoken = "{token}"\ntimeout = 10\n', encoding="utf-8")
    return str(config)


@pytest.fixture(scope="module")
def kiosks(tmp_path_factory):
    """Three kiosk data folders with 90 days of demo data (a quiet day now and then)."""
    made = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.delenv("KIOSK_OFFICE_TOKEN", raising=False)
    for index, place in enumerate(PLACES):
        folder = tmp_path_factory.mktemp(f"kiosk{index}")
        config = write_config(folder, place)
        for n in range(DAYS):
            if (n + index) % 7 == 6:  # closed one day a week
                continue
            day = FIRST + timedelta(days=n)
            assert main(["demo-data", "--config", config, "--date", day.isoformat(), "--seed", str(n * 3 + index),
                         "--checkins", str(3 + n % 5), "--questions", str(1 + n % 3), "--ideas", str(n % 2),
                         "--votes", str(n % 3), "--feedback", str(2 + n % 2), "--cards", str(n % 3),
                         "--moderations", str(n % 2), "--signups", str(n % 4), "--cancels", str(n % 5 // 3)]) == 0
        made.append((folder, place))
    yield made
    monkeypatch.undo()


def log_counts(capsys, config: str) -> dict:
    """Counts straight from the day logs (kiosk log --format json), the plainest way."""
    counts: Counter = Counter()
    for n in range(DAYS):
        day = (FIRST + timedelta(days=n)).isoformat()
        for r in json.loads(run(capsys, "log", "--config", config, "--date", day, "--format", "json")):
            counts[r["type"]] += 1
            if r["type"] == "checkin":
                counts["adults"] += r["data"]["adults"]
                counts["children"] += r["data"]["children"]
                counts["first_time"] += r["data"]["first_time"] is True
                counts[f"month:{day[:7]}"] += 1
            elif r["type"] == "question":
                counts[f"theme:{r['data']['theme']}"] += 1
            elif r["type"] == "feedback":
                counts[f"smiley:{r['data']['score']}"] += 1
            elif r["type"] == "signup":
                counts["signup_persons"] += r["data"]["persons"]
            elif r["type"] == "signup_cancel":
                counts["signup_persons"] -= r["data"]["persons"]
                counts[f"cancel:{r['data']['signed_up_at'][:10]}:{day}"] += 1
            if r["type"] == "checkin" and r["data"].get("card"):
                counts["card_visits"] += 1
    return counts


def test_kiosk_and_office_reports_agree_with_the_day_logs(kiosks, tmp_path, capsys, office_database):
    office, url = start_in_thread(tmp_path / "office", admin_password=PASSWORD, database=office_database)
    where = office_database or str(tmp_path / "office" / "office.sqlite3")
    try:
        kiosk_reports, logs, configs = {}, {}, {}
        for index, (made, place) in enumerate(kiosks):
            folder = tmp_path / f"kiosk{index}"  # a copy: each engine's office receives every record
            shutil.copytree(made / "data", folder / "data")
            write_config(folder, place)
            kiosk_id = json.loads(run(capsys, "status", "--config", str(folder / "kiosk.toml"), "--json"))["kiosk"]
            with OfficeStore(where) as store:
                token = store.add_kiosk(kiosk_id, replace=True)
            config = write_config(folder, place, url, token)
            assert main(["sync", "--config", config, "--once"]) == 0
            kiosk_reports[kiosk_id] = json.loads(run(capsys, "report", "--config", config, "--from", FIRST.isoformat(),
                                                     "--to", LAST.isoformat(), "--json"))
            logs[kiosk_id] = log_counts(capsys, config)
            configs[kiosk_id] = config
        period = ["--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--database", where]
        everything = json.loads(run(capsys, "office", "report", *period, "--format", "json"))
        for kiosk_id, mine in kiosk_reports.items():
            at_office = json.loads(run(capsys, "office", "report", *period, "--kiosk", kiosk_id, "--json"))
            assert {k: v for k, v in at_office.items() if k != "not_uploaded"} == \
                   {k: v for k, v in mine.items() if k != "not_uploaded"}
            assert mine["not_uploaded"] == [] and at_office["not_uploaded"] == []
            counted = logs[kiosk_id]
            assert mine["visits"] == counted["checkin"] > 0
            assert (mine["adults"], mine["children"], mine["first_time"]) == \
                   (counted["adults"], counted["children"], counted["first_time"])
            assert mine["questions"] == {t: counted[f"theme:{t}"] for t in mine["questions"]}
            assert (mine["ideas"], mine["supports"]) == (counted["idea"], counted["vote"])
            assert mine["smileys"] == {s: counted[f"smiley:{s}"] for s in "1234"}
            assert {m: v["visits"] for m, v in mine["by_month"].items()} == \
                   {m: counted[f"month:{m}"] for m in mine["by_month"]}
            assert (mine["signup_count"], mine["signups_cancelled"], mine["signups_total"]) == \
                   (counted["signup"], counted["signup_cancel"], counted["signup_persons"])
            assert counted["signup_cancel"] > 0 and mine["cards"]["visits"] == counted["card_visits"] > 0
            assert mine["ideas_approved"] + mine["ideas_hidden"] == counted["moderation"] > 0
            # Split in two after a sign-up cancelled on a later day: each half agrees with the office, the
            # cancellation counts in the first half (with its sign-up), and the halves add up.
            cancels = [key.split(":")[1:] for key in counted.elements() if key.startswith("cancel:")]
            split = date.fromisoformat(min(signed for signed, made in cancels if signed < made))
            halves = [(FIRST, split), (split + timedelta(days=1), LAST)]
            parts = []
            for start, end in halves:
                dates = ["--from", start.isoformat(), "--to", end.isoformat()]
                part = json.loads(run(capsys, "report", "--config", configs[kiosk_id], *dates, "--json"))
                office_part = json.loads(run(capsys, "office", "report", *dates, "--database", where, "--kiosk",
                                             kiosk_id, "--json"))
                assert {k: v for k, v in office_part.items() if k != "not_uploaded"} == \
                       {k: v for k, v in part.items() if k != "not_uploaded"}
                assert part["signups_total"] >= 0 and min(part["signups"].values(), default=0) >= 0
                parts.append(part)
            assert parts[0]["signups_cancelled"] == sum(1 for signed, _ in cancels if signed <= split.isoformat())
            for key in ("visits", "signups_total", "signup_count", "signups_cancelled"):
                assert sum(part[key] for part in parts) == mine[key], key
            assert len(mine["days_without_records"]) == DAYS - mine["days_with_records"] > 0
        # Across every kiosk: the sums of the three, and each place its kiosk's figures.
        assert everything["visits"] == sum(r["visits"] for r in kiosk_reports.values())
        assert everything["smileys"] == {s: sum(r["smileys"][s] for r in kiosk_reports.values()) for s in "1234"}
        assert set(everything["by_place"]) == set(PLACES)
        for kiosk_id, mine in kiosk_reports.items():
            assert everything["by_kiosk"][kiosk_id] == mine["by_kiosk"][kiosk_id]
            (place,) = mine["by_place"]
            assert everything["by_place"][place] == mine["by_place"][place]
        # The overview with a period chosen shows the same totals, and its downloads hold counts only.
        page = requests.get(url + f"/?period=custom&from={FIRST}&to={LAST}", auth=("x", PASSWORD), timeout=30)
        assert page.status_code == 200 and f"<td>{everything['visits']}</td>" in page.text
        download = requests.get(url + f"/report.csv?from={FIRST}&to={LAST}", auth=("x", PASSWORD), timeout=30)
        assert download.status_code == 200 and download.content.startswith(b"\xef\xbb\xbf")
        assert COUNTS_ONLY_NOTE in download.text
        assert requests.get(url + f"/report.csv?from={FIRST}&to={LAST}", timeout=30).status_code == 401
    finally:
        office.close()


def test_a_report_holds_no_names_phones_or_typed_text():
    records = [
        record(type="question", data={"theme": "money", "talk_today": True, "text": "Mijn geheim", "ticket": 1,
                                      "first_name": "Maria", "phone": "0470 12 34 56"}),
        record(type="signup", data={"title": "Soep", "persons": 2, "first_name": "Jean", "start": "2027-04-21"}),
        record(data={"adults": 1, "children": 0, "card": "TP-0000-1234"}),
    ]
    report = period_report(tally(records), date(2027, 4, 1), date(2027, 4, 30))
    for text in (json.dumps(report), to_csv(report), to_html(report, "Verslag")):
        for secret in ("Mijn geheim", "Maria", "0470", "Jean", "TP-0000-1234"):
            assert secret not in text
    assert report["cards"] == {"visits": 1, "distinct": 1, "new": 1, "returning": 0}
    assert report["signups"] == {"Soep": 2} and report["talk_today"] == 1


def test_a_sign_up_cancelled_in_the_next_period_is_taken_back_in_its_own_at_the_kiosk_and_the_office(repo, office):
    """Two sign-ups on 20 April, one cancelled on 21 April: 1-20 April counts it cancelled, 21-30 April
    counts nothing (never minus persons), and the kiosk and the office agree."""
    sign_up(recorder(repo), MEAL, 2)
    gone = sign_up(recorder(repo, local(2027, 4, 20, 10, 5)), MEAL, 3, taken=2)
    participants.cancel(recorder(repo, local(2027, 4, 21, 9, 0)), participants.list_records(repo, date(2027, 4, 22)),
                        gone["id"])
    records = repo.records_since(date(2027, 4, 1))
    assert office.upload([dict(r, kiosk=KIOSK) for r in records]).status_code == 201
    # period -> (persons signed up, per activity, sign-ups, cancelled)
    expected = {(date(2027, 4, 1), date(2027, 4, 20)): (2, {"Samen Tafelen": 2}, 2, 1),
                (date(2027, 4, 21), date(2027, 4, 30)): (0, {}, 0, 0)}
    with office.store() as store:
        for (start, end), figures in expected.items():
            for report in (period_report(kiosk_tally(repo.records_for_day, start, end), start, end),
                           office_report(store, start, end)):
                assert (report["signups_total"], report["signups"], report["signup_count"],
                        report["signups_cancelled"]) == figures, (start, report)
    # A cancellation that does not say when its sign-up was made (kept before it did), or says nonsense,
    # or a time further back than a sign-up can be, counts on its own day.
    cancel = records[-1]
    for signed_up_at in (None, "gisteren", "2027-04-20T10:05:00", "2027-04-22T10:00:00+02:00",
                         "2027-04-01T10:00:00+02:00"):
        data = {k: v for k, v in cancel["data"].items() if k != "signed_up_at"}
        odd = dict(cancel, data=data if signed_up_at is None else {**data, "signed_up_at": signed_up_at})
        assert period_report(tally([odd]), date(2027, 4, 21), date(2027, 4, 30))["signups_cancelled"] == 1


def test_the_csv_has_the_same_columns_and_rows_whatever_the_period_holds():
    empty = period_report([], date(2027, 4, 1), date(2027, 4, 30))
    busy = period_report(tally([record(), record(type="feedback", data={"score": 4})]), date(2027, 4, 1),
                         date(2027, 4, 30))
    rows = [list(csv.reader(io.StringIO(to_csv(r).lstrip("\ufeff")), delimiter=";")) for r in (empty, busy)]
    assert rows[0][0] == rows[1][0] == ["Onderdeel", "Naam", "Aantal", "Personen"]
    fixed = [row[:2] for row in rows[0] if row[0] not in ("Per plaats", "Per kiosk")]
    assert fixed == [row[:2] for row in rows[1] if row[0] not in ("Per plaats", "Per kiosk")]
    assert ["Smileys", "heel tevreden", "1", ""] in rows[1]


def test_the_office_erases_personal_details_on_request_and_after_the_retention_time(tmp_path, office_database, capsys):
    where = office_database or str(tmp_path / "office.sqlite3")
    with OfficeStore(where) as store:
        store.add_kiosk("kiosk-a")
        from kiosk.office.upload import check_records
        old = record(kiosk="kiosk-a", type="question", created_at="2027-01-10T10:00:00+01:00",
                     data={"theme": "money", "talk_today": False, "text": "geheim", "first_name": "Rik", "ticket": 1})
        new = dict(old, id=record()["id"], created_at="2027-04-20T10:00:00+02:00")
        good, _ = check_records([old, new], "kiosk-a")
        store.store_batch("kiosk-a", good, None, None)
        assert store.apply_retention(30, today=date(2027, 4, 21)) == 1
        kept = store.records_for("kiosk-a", "2027-04-20")[0]["data"]
        assert kept["text"] == "geheim" and store.records_for("kiosk-a", "2027-01-10")[0]["data"] == \
            {"theme": "money", "talk_today": False, "ticket": 1, "erased": True}
    run(capsys, "office", "erase", "--record", new["id"], "--database", where)
    with OfficeStore(where) as store:
        assert "first_name" not in store.records_for("kiosk-a", "2027-04-20")[0]["data"]
        log = store.erasures()
        report = period_report(store.tally_rows("2027-01-01", "2027-04-30"), date(2027, 1, 1), date(2027, 4, 30))
    assert [entry[1] for entry in log] == ["retention of 30 days", "erase --record"]
    assert report["questions"]["money"] == 2  # the counts stay


def test_copy_moves_a_sqlite_office_to_postgresql_with_the_same_report(tmp_path, postgres_cluster, capsys):
    source = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    target = postgres_cluster.new_database()
    with OfficeStore(source) as store:
        token = store.add_kiosk("kiosk-a")
        from kiosk.office.upload import check_records
        batch = [record(kiosk="kiosk-a", seq=n, created_at=f"2027-04-{10 + n % 9:02d}T1{n % 5}:00:00+02:00")
                 for n in range(1, 40)]
        good, _ = check_records(batch, "kiosk-a")
        store.store_batch("kiosk-a", good, None, {"pending": 39})
    out = run(capsys, "office", "copy", "--from", source, "--to", target)
    assert "39 records" in out and "kiosk" in out
    period = ["--from", "2027-04-01", "--to", "2027-04-30"]
    assert run(capsys, "office", "report", *period, "--database", source) == \
        run(capsys, "office", "report", *period, "--database", target)
    with OfficeStore(target) as store:
        assert store.authenticate(token) == "kiosk-a"  # the kiosks keep their tokens
    capsys.readouterr()
    assert main(["office", "copy", "--from", source, "--to", target]) == 2  # never into a full database
    assert "already holds" in capsys.readouterr().err


def test_wrong_periods_are_refused_in_plain_words(tmp_path, capsys, office):
    config = write_config(tmp_path, PLACES[0])
    assert main(["report", "--config", config, "--from", "2027-04-30", "--to", "2027-04-01"]) == 2
    assert "comes before --from" in capsys.readouterr().err
    for query in ("from=2027-04-01", "from=2027-04-01&to=gisteren", "from=2027-04-01&to=2027-04-30&kiosk=niemand",
                  "period=eeuwig"):
        response = office.get(f"/report.csv?{query}", staff=True)
        assert response.status_code in (400, 404), query
        assert response.json()["error"]
    assert office.get("/report.exe?from=2027-04-01&to=2027-04-30", staff=True).status_code == 404
    assert office.get("/?from=2027-04-01&to=gisteren", staff=True).status_code == 400
