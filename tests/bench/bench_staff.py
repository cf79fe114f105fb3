"""How long staff wait: the PIN check, a busy day's numbers and report, an export, the phone link, cards.

A day of N visitor records is made through the real use cases and repository (demo data), then timed:
the PIN check (scrypt, on purpose slow), ``day_stats`` + the HTML report + CSV + JSON for that day,
writing the three files into a folder (atomically, with fsync), serving them once over HTTP on
127.0.0.1, erasing one visitor's details (a rewrite of the day file), and rendering a page of cards.

    PYTHONPATH=. python tests/bench/bench_staff.py [--records 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.clock import SystemClock  # noqa: E402
from kiosk.core import report  # noqa: E402
from kiosk.core.demo import ScriptedClock, demo_records  # noqa: E402
from kiosk.core.privacy import PERSONAL_FIELDS  # noqa: E402
from kiosk.core.records import Recorder  # noqa: E402
from kiosk.core.staff_pin import StaffLock  # noqa: E402
from kiosk.export.cards import card_pages  # noqa: E402
from kiosk.export.media import write_files  # noqa: E402
from kiosk.export.phone import OneTimeDownload  # noqa: E402
from kiosk.storage import Repository  # noqa: E402

DAY = date(2027, 4, 20)


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return (time.perf_counter() - began) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch, Repository(Path(scratch) / "data") as repo:
        counts = {"checkins": args.records * 6 // 10, "questions": args.records // 10, "ideas": args.records // 20,
                  "votes": args.records // 10, "feedback": args.records - args.records * 6 // 10
                  - args.records // 10 - args.records // 20 - args.records // 10}
        recorder = Recorder(repo, ScriptedClock(DAY, sum(counts.values())), "In 't Riet, Zillebeke")
        rng = random.Random(1)
        for _ in demo_records(recorder, counts, rng):
            pass
        lock = StaffLock(repo, SystemClock())
        lock.set_pin("4821")
        rows["PIN check (scrypt), ms"], _ = timed(lambda: lock.try_pin("4821"))
        records = repo.records_for_day(DAY)
        rows["read the day, ms"], _ = timed(lambda: repo.records_for_day(DAY))
        rows["numbers + report + CSV + JSON, ms"], files = timed(
            lambda: report.day_files(DAY.isoformat(), records, "Ter Plekke", repo.kiosk_id, SystemClock().now()))
        rows["report size, kB"] = len(next(v for k, v in files.items() if k.endswith(".html"))) / 1000
        rows["CSV size, kB"] = len(next(v for k, v in files.items() if k.endswith(".csv"))) / 1000
        stick = Path(scratch) / "stick"
        stick.mkdir()
        rows["write 3 files (fsync), ms"], _ = timed(lambda: write_files(stick, files))
        body = next(v for k, v in files.items() if k.endswith(".html"))
        download = OneTimeDownload(body, address="127.0.0.1")
        url = download.start()
        rows["phone: fetch the report once, ms"], _ = timed(lambda: requests.get(url, timeout=10).content)
        download.stop()
        question = next(r for r in records if r["type"] == "question")
        rows["erase one visitor's details, ms"], _ = timed(
            lambda: repo.erase_personal(DAY.isoformat(), question["id"], PERSONAL_FIELDS["question"]))
        rows["a page of 10 cards, ms"], _ = timed(lambda: card_pages([f"TPK{'B' * 11}"] * 10))
    if args.json:
        print(json.dumps({"records": args.records, **{k: round(v, 1) for k, v in rows.items()}}))
    else:
        print(f"{args.records} records in one day")
        for name, value in rows.items():
            print(f"  {name:<38} {value:10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
