"""Storage benchmark: durable insert latency vs. history size, against SQLite on the same disk.

    python tests/bench/bench_storage.py [--json] [--dir DIR]

Median per-insert latency (record on disk, fsync'd) into a day file already holding 300 records, with
0, 10,000 and 100,000 records of history in earlier day files; and SQLite (WAL, synchronous=FULL)
single-row insert+commit on the same disk in the same run, as the anchor.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tinydb import TinyDB  # noqa: E402

from kiosk.clock import TIMEZONE  # noqa: E402
from kiosk.core.checkin import check_in  # noqa: E402
from kiosk.core.records import Recorder  # noqa: E402
from kiosk.storage import Repository  # noqa: E402
from kiosk.storage.journal import JournalStorage  # noqa: E402
from kiosk.storage.repository import DAY_SUFFIX, DAYS_DIR, RECORDS  # noqa: E402

DAY = datetime(2027, 4, 20, 9, 0, tzinfo=TIMEZONE)
PER_DAY = 300
MEASURED = 200


class StepClock:
    def __init__(self, start):
        self.moment = start

    def now(self):
        self.moment += timedelta(seconds=20)
        return self.moment


def write_history(folder: Path, count: int) -> None:
    """``count`` records in earlier day files, 300 a day, in the kiosk's own file format."""
    (folder / DAYS_DIR).mkdir(parents=True)
    seq = 0
    day = DAY.date() - timedelta(days=count // PER_DAY + 1)
    while seq < count:
        batch = []
        for _ in range(min(PER_DAY, count - seq)):
            seq += 1
            batch.append({"id": f"history-{seq}", "type": "checkin", "created_at": f"{day}T10:00:00+02:00",
                          "seq": seq, "clock_ok": True, "location": "Zillebeke", "kiosk": "kiosk-bench",
                          "data": {"adults": 1, "children": 0, "first_time": False, "reasons": ["coffee"]}})
        db = TinyDB(folder / DAYS_DIR / f"{day}{DAY_SUFFIX}", storage=JournalStorage)
        db.table(RECORDS).insert_multiple(batch)
        db.close()
        day += timedelta(days=1)


def kiosk_insert_ms(root: Path, history: int) -> float:
    folder = root / f"history-{history}"
    write_history(folder, history)
    with Repository(folder) as repo:
        recorder = Recorder(repo, StepClock(DAY), "Zillebeke")
        for _ in range(PER_DAY):
            check_in(recorder, 1, 0, None, ["coffee"])
        times = []
        for _ in range(MEASURED):
            start = time.perf_counter()
            check_in(recorder, 2, 1, True, ["question"])
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def sqlite_insert_ms(root: Path) -> float:
    connection = sqlite3.connect(root / "anchor.sqlite", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE records (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    body = json.dumps({"type": "checkin", "created_at": DAY.isoformat(), "data": {"adults": 2, "children": 1}})
    times = []
    for n in range(PER_DAY + MEASURED):
        start = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO records VALUES (?, ?)", (f"r{n}", body))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - start)
    connection.close()
    return statistics.median(times[PER_DAY:]) * 1000


def measure(directory: str | None = None) -> dict:
    root = Path(tempfile.mkdtemp(prefix="kiosk-bench-storage-", dir=directory))
    try:
        sqlite_ms = sqlite_insert_ms(root)
        insert = {str(h): kiosk_insert_ms(root, h) for h in (0, 10_000, 100_000)}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"sqlite_full_ms": sqlite_ms, "insert_ms": insert}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", help="where to create the test files (default: the system's temp folder)")
    args = parser.parse_args()
    result = measure(args.dir)
    if args.json:
        print(json.dumps(result))
        return 0
    anchor = result["sqlite_full_ms"]
    print(f"{'case':<32}{'median ms':>10}{'x SQLite':>10}")
    print(f"{'SQLite WAL FULL insert+commit':<32}{anchor:>10.3f}{1:>10.2f}")
    for history, ms in result["insert_ms"].items():
        print(f"{'kiosk insert, history ' + history:<32}{ms:>10.3f}{ms / anchor:>10.2f}")
    print(f"history ratio (100000 / 0): {result['insert_ms']['100000'] / result['insert_ms']['0']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
