"""How fast the outbox drains a backlog into an office receiver on 127.0.0.1, and the memory it takes.

10,000 pending records are written through the real Repository (in a child process, so that writing
them does not count), an office receiver runs in another child process, and this process drains the
backlog with the real Outbox (``drain_once``). Reported: records per second, and this process's peak
memory (``ru_maxrss``). Target: the 10,000 in under 10 s.

    PYTHONPATH=. python tests/bench/bench_sync.py [--records 10000] [--days 50] [--receiver auto] [--json]

RECEIVER SWITCH: ``--receiver reference`` uses the office's reference receiver
(``kiosk.office.serve.start_in_thread``); ``--receiver minimal`` a small receiver in this file (the
upload contract of docs/architecture.md on http.server, records kept in a dict). ``auto`` (the default) takes the
reference receiver when ``kiosk.office`` is installed, else the minimal one.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.storage import Repository  # noqa: E402
from kiosk.sync import OfficeSettings, Outbox  # noqa: E402

FIRST_DAY = date(2027, 1, 4)
TOKEN = "bench-token"


# -- child: write the backlog ----------------------------------------------------------------------------
def write_backlog(data_dir: str, records: int, days: int) -> None:
    """``records`` check-ins spread over ``days`` days, through the core and the real repository."""
    from kiosk.core.demo import ScriptedClock, demo_checkins
    from kiosk.core.records import Recorder

    rng = random.Random(7)
    per_day = [records // days + (1 if i < records % days else 0) for i in range(days)]
    with Repository(data_dir) as repo:
        for i, count in enumerate(per_day):
            recorder = Recorder(repo, ScriptedClock(FIRST_DAY + timedelta(days=i), count), "In 't Riet, Zillebeke")
            for _ in demo_checkins(recorder, count, rng):
                pass
        print(repo.kiosk_id)


# -- child: an office receiver -----------------------------------------------------------------------------
def serve_minimal() -> None:
    """The upload contract (docs/architecture.md) in a few lines: store by id, answer 201 with accepted / duplicates. Prints its URL."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    stored: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one send per answer: headers and body apart meet Nagle and delayed ACK (40 ms)

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._answer(401, {"error": "unknown token"})
            accepted, duplicates = [], []
            for record in body["records"]:
                (duplicates if record["id"] in stored else accepted).append(record["id"])
                stored[record["id"]] = stored.get(record["id"], 0) + 1
            self._answer(201, {"accepted": accepted, "duplicates": duplicates, "rejected": []})

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]} {TOKEN}", flush=True)
    sys.stdin.readline()  # "count"
    print(json.dumps({"records": len(stored), "max_inserts": max([*stored.values(), 0]) if stored else 0}), flush=True)


def serve_reference(data_dir: str, kiosk: str) -> None:
    """The office's reference receiver (kiosk.office, from the office branch). Prints URL and token."""
    from kiosk.office.serve import start_in_thread

    server, url = start_in_thread(data_dir)
    token = server.store.add_kiosk(kiosk)
    print(f"{url} {token}", flush=True)
    sys.stdin.readline()  # "count"
    stored = sum(n for days in server.store.day_counts().values() for row in days.values()
                 for t, n in row.items() if t != "visitors")
    print(json.dumps({"records": stored, "max_inserts": 1}), flush=True)  # its unique key allows no more
    server.close()


# -- the benchmark ---------------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=50, help="spread the backlog over this many days (default 50)")
    parser.add_argument("--receiver", choices=["auto", "reference", "minimal"], default="auto")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, *rest = args.child
        {"write": lambda: write_backlog(rest[0], args.records, args.days),
         "minimal": serve_minimal,
         "reference": lambda: serve_reference(rest[0], rest[1])}[what]()
        return 0

    receiver = args.receiver
    if receiver == "auto":
        receiver = "reference" if importlib.util.find_spec("kiosk.office") else "minimal"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    me = [sys.executable, __file__, "--records", str(args.records), "--days", str(args.days), "--child"]
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        data_dir, office_dir = Path(tmp) / "kiosk", Path(tmp) / "office"
        began = time.perf_counter()
        kiosk_id = subprocess.run([*me, "write", str(data_dir)], env=env, check=True, capture_output=True,
                                  text=True).stdout.strip()
        setup_s = time.perf_counter() - began
        child = [*me, "minimal"] if receiver == "minimal" else [*me, "reference", str(office_dir), kiosk_id]
        office = subprocess.Popen(child, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            url, token = office.stdout.readline().split()
            with Repository(data_dir) as repo:
                before_mb = peak_rss_mb()
                outbox = Outbox(repo, OfficeSettings(url, token))
                began = time.perf_counter()
                report = outbox.drain_once()
                drain_s = time.perf_counter() - began
                remaining = repo.pending_count()
            office.stdin.write("count\n")
            office.stdin.flush()
            at_office = json.loads(office.stdout.readline())
        finally:
            office.stdin.close()
            office.wait(10)
    rate = args.records / drain_s
    peak = peak_rss_mb()
    ok = report.problem is None and remaining == 0 and at_office == {"records": args.records, "max_inserts": 1}
    if args.json:
        print(json.dumps({"records_per_s": round(rate, 1), "peak_rss_mb": round(peak, 1)}))
    else:
        rows = [
            ("records", f"{args.records} over {args.days} days"),
            ("receiver", "reference (kiosk.office)" if receiver == "reference" else "minimal (in this file)"),
            ("setup", f"{setup_s:.1f} s (writing the backlog, not measured)"),
            ("drain", f"{drain_s:.2f} s (target: under 10 s for 10,000)"),
            ("records per s", f"{rate:.0f}"),
            ("peak RSS", f"{peak:.1f} MB ({before_mb:.1f} MB before draining)"),
            ("at the office", f"{at_office['records']} records, each at most {at_office['max_inserts']} time(s)"),
            ("left on kiosk", f"{remaining} pending{'; ' + report.problem if report.problem else ''}"),
        ]
        for name, value in rows:
            print(f"{name:<15} {value}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
