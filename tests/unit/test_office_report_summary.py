"""The office's report reads pre-added rows (per day, per month, one row per member card); it equals the
core's report over the raw records, for any period and filter, when records arrive late and out of order,
and after personal details were erased. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from kiosk.clock import TIMEZONE
from kiosk.core.period import first_seen_of, period_report, tally
from kiosk.office.reports import office_report
from kiosk.office.store import OfficeStore
from kiosk.office.upload import check_records
from office_support import record

KIOSKS = ("kiosk-aaaa", "kiosk-bbbb", "kiosk-cccc")
PLACES = ("In 't Riet, Zillebeke", "Dikkebus")
FIRST = date(2026, 11, 20)
PERIODS = [
    (date(2026, 12, 1), date(2027, 2, 28)),  # whole months only
    (date(2026, 11, 25), date(2027, 3, 3)),  # part of a month at both ends
    (date(2027, 1, 15), date(2027, 1, 15)),  # one day
    (date(2026, 12, 10), date(2027, 1, 20)),  # two parts of months, no whole month
    (date(2027, 1, 1), date(2027, 12, 31)),  # a year, half of it still to come
]


def varied_records(rng: random.Random, days: int = 110) -> list[dict]:
    """Every kind of record the report counts, at two places per kiosk, member cards shared by kiosks."""
    records = []
    for k, kiosk in enumerate(KIOSKS):
        signed_up: list[dict] = []  # a cancellation takes back one of this kiosk's earlier sign-ups
        for n in range(days):
            day = FIRST + timedelta(days=n)
            if rng.random() < 0.3:
                continue
            place = PLACES[(n // 7 + k) % 2]
            for i in range(rng.randrange(1, 9)):
                moment = datetime(day.year, day.month, day.day, 8 + rng.randrange(11), rng.randrange(60), tzinfo=TIMEZONE)
                kind = rng.choice(["checkin"] * 4 + ["question", "handled", "idea", "vote", "feedback", "signup",
                                                     "signup", "signup_cancel", "moderation"])
                if kind == "signup_cancel" and not signed_up:
                    kind = "signup"
                cancelled = signed_up.pop(rng.randrange(len(signed_up))) if kind == "signup_cancel" else None
                data = {
                    "checkin": {"adults": rng.randrange(1, 4), "children": rng.randrange(3), "first_time": rng.random() < 0.2,
                                **({"card": f"TP{rng.randrange(25):03d}"} if rng.random() < 0.5 else {})},
                    "question": {"theme": rng.choice(["money", "digital", "health"]), "talk_today": rng.random() < 0.5,
                                 "ticket": i + 1, "first_name": "Rik", "text": "geheim"},
                    "handled": {"question": record()["id"], "outcome": rng.choice(["helped", "not_needed"])},
                    "idea": {"category": "walking", "title": "Wandeling", "first_name": "An"},
                    "vote": {"idea": record()["id"]},
                    "feedback": {"score": rng.randrange(1, 5), "where": "done"},
                    "signup": {"title": rng.choice(["Soep", "Petanque"]), "persons": rng.randrange(1, 3),
                               "start": day.isoformat()},
                    "signup_cancel": cancelled and {"signup": cancelled["id"], "title": cancelled["data"]["title"],
                                                    "persons": cancelled["data"]["persons"]},
                    "moderation": {"idea": record()["id"], "action": rng.choice(["approve", "hide"])},
                }[kind]
                records.append(record(kiosk=kiosk, seq=len(records) + 1, type=kind, location=place, data=data,
                                      created_at=moment.isoformat(timespec="seconds")))
                if kind == "signup":
                    signed_up.append(records[-1])
    return records


def store_in_batches(store: OfficeStore, records: list[dict], rng: random.Random) -> list[dict]:
    """Store per kiosk in batches of random size and order (late and out of order); what was stored."""
    stored = []
    for kiosk in KIOSKS:
        theirs = [r for r in records if r["kiosk"] == kiosk]
        rng.shuffle(theirs)
        while theirs:
            size = rng.randrange(1, 120)
            batch, theirs = theirs[:size], theirs[size:]
            good, refused = check_records(batch, kiosk)
            assert refused == []
            store.store_batch(kiosk, good, None, None)
            stored += [json.loads(r.json) for r in good]
    return stored


def expected(records: list[dict], start: date, end: date, kiosk: str | None, place: str | None) -> dict:
    """The core's report straight from the records, as a kiosk makes it from its day files."""
    mine = [r for r in records if kiosk is None or r["kiosk"] == kiosk]
    rows = tally([r for r in mine if place is None or r["location"] == place])
    return period_report(rows, start, end, first_seen_of(tally(mine)))


def comparable(report: dict) -> dict:
    without = {k: v for k, v in report.items() if k not in ("not_uploaded", "by_kiosk")}
    return {**without, "by_kiosk": {k: v for k, v in report["by_kiosk"].items() if any(v.values())}}


def assert_reports_agree(store: OfficeStore, records: list[dict]) -> None:
    for start, end in PERIODS:
        for kiosk, place in [(None, None), (KIOSKS[1], None), (None, PLACES[0]), (KIOSKS[2], PLACES[1])]:
            office = office_report(store, start, end, kiosk=kiosk, place=place)
            assert comparable(office) == comparable(expected(records, start, end, kiosk, place)), (start, end, kiosk, place)


def test_the_office_report_equals_the_core_report_over_the_raw_records(tmp_path, office_database):
    rng = random.Random(16)
    records = varied_records(rng)
    late = [r for r in records if r["created_at"] < "2026-12-15"]  # a kiosk that was offline for weeks
    with OfficeStore(office_database or tmp_path / "office.sqlite3") as store:
        for kiosk in KIOSKS:
            store.add_kiosk(kiosk)
        stored = store_in_batches(store, [r for r in records if r not in late], rng)
        assert_reports_agree(store, stored)
        stored += store_in_batches(store, late, rng)
        report = office_report(store, *PERIODS[1])
        assert report["cards"]["returning"] > 0 and report["ideas_approved"] > 0 and report["signups_cancelled"] > 0
        assert_reports_agree(store, stored)
        # Retention and a visitor's erasure blank personal details; every figure stays.
        assert store.apply_retention(30, today=date(2027, 2, 1)) > 0
        assert store.erase_before(KIOSKS[0], "2027-03-01") > 0
        assert_reports_agree(store, stored)
        assert office_report(store, *PERIODS[1]) == report


def test_an_office_from_before_wall_decisions_counted_counts_those_it_already_holds(tmp_path, office_database):
    """Database step 3: ``moderation`` records stored by an older office get their tally rows once."""
    where = office_database or tmp_path / "office.sqlite3"
    decision = record(kiosk=KIOSKS[0], type="moderation", data={"idea": record()["id"], "action": "approve"})
    with OfficeStore(where) as store:
        store.add_kiosk(KIOSKS[0])
        [good], _ = check_records([decision], KIOSKS[0])
        store.db.execute("INSERT INTO records (kiosk, id, type, created_at, day, seq, location, json, received_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (KIOSKS[0], good.id, good.type, good.created_at, good.day,
                                                                 good.seq, good.location, good.json, good.created_at))
        store.db.execute("DELETE FROM schema_version WHERE version = 3")  # as an office of step 2 left it
        assert office_report(store, date(2027, 4, 1), date(2027, 4, 30))["ideas_approved"] == 0
    for _ in range(2):  # opened again (and again): counted once
        with OfficeStore(where) as store:
            assert office_report(store, date(2027, 4, 1), date(2027, 4, 30))["ideas_approved"] == 1
