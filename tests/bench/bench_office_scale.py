"""The office at the size of a province: see ``bench_office.py --scale``."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from kiosk.clock import TIMEZONE  # noqa: E402
from kiosk.core.question import THEMES  # noqa: E402
from kiosk.office.migrations import add_tallies  # noqa: E402
from kiosk.office.reports import office_report  # noqa: E402
from kiosk.office.serve import start_in_thread  # noqa: E402
from kiosk.office.store import OfficeStore  # noqa: E402

PLACES = ["In 't Riet, Zillebeke", "Dikkebus", "Vlamertinge", "Boezinge", "Voormezele", "Zuidschote"]
START = date(2025, 1, 1)
#: Records a kiosk writes on an opening day, on average: 200 opening days a year make 10,000 a year.
PER_DAY = 50
HTTP_KIOSKS = 20
#: The newest opening days those 20 kiosks upload over HTTP (after the rest was loaded in bulk).
HTTP_DAYS = 30
#: Tuesday to Thursday and Saturday.
OPENING_WEEKDAYS = (1, 2, 3, 5)
BATCH = 500


def kiosk_name(k: int) -> str:
    return f"kiosk-bench{k:05d}"


def kiosk_days(k: int, years: int):
    """The records of kiosk ``k``, one opening day at a time (4 days of 7, about 200 a year)."""
    rng = random.Random(k)
    name, place = kiosk_name(k), PLACES[k % len(PLACES)]
    seq = 0
    for n in range(365 * years):
        day = START + timedelta(days=n)
        if day.weekday() not in OPENING_WEEKDAYS:
            continue
        base = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TIMEZONE)
        records = []
        for i in range(PER_DAY):
            seq += 1
            kind = rng.random()
            if kind < 0.5:
                rtype, data = "checkin", {"adults": rng.choice([1, 1, 1, 2, 2, 3]), "children": rng.choice([0, 0, 0, 1, 2]),
                                          "first_time": rng.random() < 0.15, "reasons": ["coffee"]}
                if rng.random() < 0.2:
                    data["card"] = f"TP{k:03d}{rng.randrange(400):04d}"
            elif kind < 0.7:
                rtype, data = "question", {"theme": rng.choice(THEMES), "talk_today": rng.random() < 0.5,
                                           "text": "", "ticket": i + 1}
            elif kind < 0.75:
                rtype, data = "idea", {"category": "walking", "title": "Wandeling", "text": ""}
            elif kind < 0.85:
                rtype, data = "vote", {"idea": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
            elif kind < 0.95:
                rtype, data = "feedback", {"score": rng.choice([2, 3, 4, 4]), "where": "done"}
            else:
                rtype, data = "signup", {"title": "Soep op woensdag", "persons": rng.choice([1, 2]),
                                         "start": day.isoformat()}
            moment = base + timedelta(minutes=i * 4)
            records.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": rtype,
                            "created_at": moment.isoformat(timespec="seconds"), "seq": seq, "clock_ok": True,
                            "location": place, "kiosk": name, "data": data})
        yield records


def bulk_load(store: OfficeStore, name: str, records: list[dict]) -> int:
    now = datetime.now(TIMEZONE).isoformat(timespec="seconds")
    rows = [(name, r["id"], r["type"], r["created_at"], r["created_at"][:10], r["seq"], r["location"],
             json.dumps(r, ensure_ascii=False), now) for r in records]
    with store.db.transaction("load in bulk"):
        store.db.executemany("INSERT INTO records (kiosk, id, type, created_at, day, seq, location, json, received_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        add_tallies(store.db, records, kiosk=name)
    return len(rows)


def upload_http(url: str, tokens: dict[str, str], batches: dict[str, list[list[dict]]]) -> tuple[int, float]:
    """Every kiosk uploads its batches at the same time, one thread each; (records, seconds)."""
    sent = [0]
    lock = threading.Lock()

    def kiosk(name: str) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {tokens[name]}"
            for batch in batches[name]:
                answer = session.post(url + "/api/v1/records", json={"kiosk": name, "records": batch}, timeout=120)
                answer.raise_for_status()
                with lock:
                    sent[0] += len(answer.json()["accepted"])

    threads = [threading.Thread(target=kiosk, args=(name,)) for name in batches]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent[0], time.perf_counter() - began


def server_cpu(store: OfficeStore) -> float:
    """CPU seconds used so far by the PostgreSQL server process serving ``store`` (0 for SQLite, whose
    work is done in this process; also 0 when /proc cannot tell)."""
    if store.engine != "postgresql":
        return 0.0
    pid = store.db.fetchall("SELECT pg_backend_pid()")[0][0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_report(store: OfficeStore, start: date, end: date, kiosk: str | None = None,
                 repeat: int = 5) -> tuple[float, float, dict]:
    """Median wall and CPU seconds (this process plus its database server) of the report; the report."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, db_cpu = time.perf_counter(), time.process_time(), server_cpu(store)
        report = office_report(store, start, end, kiosk=kiosk)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu + server_cpu(store) - db_cpu)
    return statistics.median(walls), statistics.median(cpus), report


def bench_engine(engine: str, kiosks: int, years: int, database: str | None, folder: Path) -> dict:
    result: dict = {"engine": engine}
    where = database or folder / "office.sqlite3"
    with OfficeStore(where) as store:
        tokens = {kiosk_name(k): store.add_kiosk(kiosk_name(k)) for k in range(kiosks)}
    # 1. Everything but the newest days of 20 kiosks, loaded in bulk: the rows an upload writes (records
    #    and their tally rows, counted by the same core function), many thousands per transaction.
    http_kiosks = min(HTTP_KIOSKS, kiosks)
    batches: dict[str, list[list[dict]]] = {}
    began = time.perf_counter()
    loaded = 0
    with OfficeStore(where) as store:
        for k in range(kiosks):
            days = list(kiosk_days(k, years))
            if k < http_kiosks:
                newest = [r for day in days[-HTTP_DAYS:] for r in day]
                batches[kiosk_name(k)] = [newest[i:i + BATCH] for i in range(0, len(newest), BATCH)]
                days = days[:-HTTP_DAYS]
            pending: list[dict] = []
            for day in days:
                pending += day
                if len(pending) >= 20_000:
                    loaded += bulk_load(store, kiosk_name(k), pending)
                    pending = []
            if pending:
                loaded += bulk_load(store, kiosk_name(k), pending)
        result["bulk_load_records_per_s"] = round(loaded / (time.perf_counter() - began))
        if store.engine == "postgresql":
            store.db.execute("ANALYZE")  # as autovacuum does after a load; the benchmark does not wait for it
    # 2. Then 20 kiosks upload their newest days over HTTP, all at once, into the full database.
    server, url = start_in_thread(folder, database=database)
    try:
        sent, seconds = upload_http(url, tokens, batches)
    finally:
        server.close()
    result["http_kiosks"] = http_kiosks
    result["http_records"] = sent
    result["http_records_per_s"] = round(sent / seconds)
    # 3. A year's report across every kiosk, and one kiosk's year.
    year = START.year + years - 1
    with OfficeStore(where) as store:
        result["records"] = store.db.fetchall("SELECT COUNT(*) FROM records")[0][0]
        result["tally_rows"] = store.db.fetchall("SELECT COUNT(*) FROM tallies")[0][0]
        wall, cpu, report = timed_report(store, date(year, 1, 1), date(year, 12, 31))
        result["year_report_s"], result["year_report_cpu_s"] = round(wall, 3), round(cpu, 3)
        result["year_report_visits"] = report["visits"]
        wall, cpu, _ = timed_report(store, date(year, 1, 1), date(year, 12, 31), kiosk=kiosk_name(0))
        result["one_kiosk_year_report_s"], result["one_kiosk_year_report_cpu_s"] = round(wall, 3), round(cpu, 3)
    server, url = start_in_thread(folder, database=database, admin_password="bench")
    try:
        began = time.perf_counter()
        page = requests.get(f"{url}/?period=custom&from={year}-01-01&to={year}-12-31", auth=("x", "bench"), timeout=120)
        page.raise_for_status()
        result["year_overview_page_s"] = round(time.perf_counter() - began, 3)
    finally:
        server.close()
    return result


def scale(kiosks: int, years: int, engines: list[str], as_json: bool) -> int:
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # 20 kiosks at once queue up, as expected
    logging.getLogger("kiosk.office.store").setLevel(logging.ERROR)
    results = []
    if not as_json:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: on a shared machine the wall "
              "times are inflated; CPU is this process's own time plus its PostgreSQL server process's", flush=True)
    for engine in engines:
        with tempfile.TemporaryDirectory() as folder:
            cluster = None
            database = None
            if engine == "postgresql":
                import postgres_support

                reason = postgres_support.why_not()
                if reason:
                    print(f"PostgreSQL not measured: {reason}", file=sys.stderr)
                    continue
                cluster = postgres_support.Cluster()
                database = cluster.new_database()
            try:
                results.append(bench_engine(engine, kiosks, years, database, Path(folder)))
            finally:
                if cluster:
                    cluster.stop()
        if not as_json:
            r = results[-1]
            print(f"{engine}: {r['records']:,} records ({r['tally_rows']:,} tally rows) from {kiosks} kiosks x {years} years "
                  f"(bulk loading {r['bulk_load_records_per_s']:,} records/s)\n"
                  f"  upload, {r['http_kiosks']} kiosks at once over HTTP (batches of {BATCH}, "
                  f"{r['http_records']:,} records): {r['http_records_per_s']:,} records/s\n"
                  f"  year report across all kiosks: {r['year_report_s']:.3f} s (CPU {r['year_report_cpu_s']:.3f} s); "
                  f"one kiosk: {r['one_kiosk_year_report_s']:.3f} s (CPU {r['one_kiosk_year_report_cpu_s']:.3f} s); "
                  f"overview page for the year: {r['year_overview_page_s']:.3f} s", flush=True)
    if as_json:
        print(json.dumps(results))
    return 0
