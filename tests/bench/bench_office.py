"""How fast the office receiver takes in records, and how fast its staff pages are.

Runs the real receiver (waitress, SQLite WAL, synchronous=FULL) on 127.0.0.1 and uploads N records in
batches of several sizes with one requests.Session, then sends them all again (all duplicates), then
times the staff overview and one day's CSV.

    PYTHONPATH=. python tests/bench/bench_office.py [--records 10000] [--json]

With ``--scale`` it measures the office at the size of a province instead (issue 16), on SQLite and,
when PostgreSQL is installed, on a throw-away PostgreSQL server: 50 kiosks x 3 years of realistic records
(about 1.5 million) loaded in bulk through the same tally code, then the upload rate with 20 kiosks
uploading their newest 30 days at once over HTTP into that full database, and the wall and CPU time
of a year's report across every kiosk (summary tables and indexes: docs/office.md).

    PYTHONPATH=. python tests/bench/bench_office.py --scale [--kiosks 50] [--years 3] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.clock import TIMEZONE  # noqa: E402
from kiosk.office.serve import start_in_thread  # noqa: E402
from kiosk.office.store import OfficeStore  # noqa: E402

KIOSK = "kiosk-bench0000001"
PASSWORD = "bench"
TYPES = ["checkin"] * 6 + ["question"] * 2 + ["idea", "vote", "feedback"]


def make_records(n: int, rng: random.Random) -> list[dict]:
    start = datetime(2027, 1, 5, 9, 0, tzinfo=TIMEZONE)
    records = []
    for seq in range(1, n + 1):
        moment = start + timedelta(days=seq // 100 * 7, minutes=seq % 100 * 3)
        rtype = rng.choice(TYPES)
        data = ({"adults": rng.randint(1, 3), "children": rng.randint(0, 2), "first_time": rng.random() < 0.2,
                 "reasons": ["coffee"]} if rtype == "checkin" else {"theme": "paperwork", "talk_today": True})
        records.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": rtype,
                        "created_at": moment.isoformat(timespec="seconds"), "seq": seq, "clock_ok": True,
                        "location": "In 't Riet, Zillebeke", "kiosk": KIOSK, "data": data})
    return records


def drain(url: str, token: str, records: list[dict], batch: int) -> tuple[float, int, int]:
    """Seconds to send every record in batches; and how many came back accepted and duplicate."""
    accepted = duplicates = 0
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        began = time.perf_counter()
        for i in range(0, len(records), batch):
            response = session.post(url + "/api/v1/records", timeout=60,
                                    json={"kiosk": KIOSK, "sent_at": "now", "records": records[i:i + batch]})
            response.raise_for_status()
            answer = response.json()
            accepted += len(answer["accepted"])
            duplicates += len(answer["duplicates"])
        return time.perf_counter() - began, accepted, duplicates


def timed_get(url: str) -> float:
    began = time.perf_counter()
    response = requests.get(url, auth=("kantoor", PASSWORD), timeout=60)
    response.raise_for_status()
    return (time.perf_counter() - began) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--scale", action="store_true", help="the province-size figures (see above)")
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    if args.scale:
        from bench_office_scale import scale

        return scale(args.kiosks, args.years, args.engines.split(","), args.json)
    records = make_records(args.records, random.Random(7))
    result: dict[str, float] = {}
    rows = []
    for batch in (100, 500, 1000):
        with tempfile.TemporaryDirectory() as folder:
            server, url = start_in_thread(Path(folder), admin_password=PASSWORD)
            try:
                with OfficeStore(Path(folder)) as store:
                    token = store.add_kiosk(KIOSK)
                seconds, accepted, _ = drain(url, token, records, batch)
                again, _, duplicates = drain(url, token, records, batch)
                assert accepted == duplicates == len(records), (accepted, duplicates)
                result[f"records_per_s_batch_{batch}"] = round(len(records) / seconds)
                result[f"duplicates_per_s_batch_{batch}"] = round(len(records) / again)
                rows.append((f"upload, batches of {batch}", f"{len(records) / seconds:,.0f} records/s",
                             f"{seconds:.2f} s"))
                rows.append((f"same again (duplicates), batches of {batch}", f"{len(records) / again:,.0f} records/s",
                             f"{again:.2f} s"))
                if batch == 500:
                    overview_ms = timed_get(url + "/")
                    csv_ms = timed_get(f"{url}/export/{KIOSK}/2027-01-05.csv")
                    result["overview_ms"] = round(overview_ms, 1)
                    result["day_csv_ms"] = round(csv_ms, 1)
                    rows.append((f"staff overview, {len(records)} records", f"{overview_ms:.1f} ms", ""))
                    rows.append(("one day's CSV (100 records)", f"{csv_ms:.1f} ms", ""))
            finally:
                server.close()
    if args.json:
        print(json.dumps(result))
        return 0
    width = max(len(r[0]) for r in rows)
    print(f"{'office receiver on 127.0.0.1':<{width}}  {'rate':>18}  {'total':>8}")
    for name, rate, total in rows:
        print(f"{name:<{width}}  {rate:>18}  {total:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
