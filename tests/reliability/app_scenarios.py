"""The real app in a process of its own, tapped through by the visitor robot; prints one JSON report.

    python tests/reliability/app_scenarios.py SCENARIO DATA_DIR [options]

Scenarios (run by the reliability tests through the ``app_scenario`` fixture, under a display):

- ``visit``: start on DATA_DIR (perhaps damaged), a few visitors; what the app found and stored;
- ``soak``: a day of visitors, some walking away so that idle care ends their visit; memory and open
  files after a warm-up (every kind of visitor in every language), after a quarter of the visitors,
  and at the end;
- ``disk_full``: a check-in, the disk filled up (a filler file), check-ins until one fails (the last
  page of the day file may hold a few more), ``kiosk status``, the filler removed, a check-in: what the
  visitor saw each time and what staff were told.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

import visitor_robot as robot  # noqa: E402
from kiosk.config import load_config  # noqa: E402


def open_app(data_dir: str):
    return robot.open_app(dataclasses.replace(load_config(), data_dir=Path(data_dir)))


def stored_today(app) -> list[dict]:
    return app.services.repo.records_for_day(app.services.clock.now().date())


def visit(args) -> dict:
    app = open_app(args.data_dir)
    damage = list(app.services.repo.damage)
    visitor = robot.Visitor(app, random.Random(args.seed))
    for _ in range(args.visits):
        visitor.check_in()
    report = {"damage": damage, "saved": visitor.saved, "stored_today": len(stored_today(app))}
    robot.close_app(app)
    return report


def quick(app) -> None:
    """As fast as the machine goes: no frame cap, short fades, one frame in a few drawn."""
    robot.set_maxfps(0)
    robot.draw_every = 4
    app.root.transition.duration = 0.02


def soak(args) -> dict:
    import kiosk.ui.app

    kiosk.ui.app.REST_SECONDS = 1  # rest after a second, not five: the test measures at rest three times
    app = open_app(args.data_dir)
    visitor = robot.Visitor(app, random.Random(args.seed))
    quick(app)
    there = len(stored_today(app))
    began = time.monotonic()
    visitor.every_kind()  # every screen made and shown in every language, every cache filled

    def at_rest() -> dict:  # memory as between two visitors
        robot.rest(app)
        return {"rss_mb": robot.rss_mb(), "fds": robot.open_fds()}

    warm = at_rest()
    kinds: dict[str, int] = {}
    settled = {}
    for n in range(1, args.visits + 1):
        kind = visitor.visit(walk_away=n % args.walk_away_every == 0)
        kinds[kind] = kinds.get(kind, 0) + 1
        if n == args.visits // 4:  # the allocators have settled too
            settled = at_rest()
    end = at_rest()
    stored = stored_today(app)[there:]  # in seq order: what this run added
    counts: dict[str, int] = {}
    for record in stored:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    report = {"warm": warm, "settled": settled, "end": end, "visits": kinds, "saved": visitor.saved, "stored": counts,
              "seconds": round(time.monotonic() - began, 1)}
    robot.close_app(app)
    return report


def fill(path: Path) -> None:
    """Write ``path`` until the disk is full."""
    with open(path, "wb", buffering=0) as out:
        chunk = b"\0" * 65536
        while True:
            try:
                out.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    return
                chunk = chunk[: len(chunk) // 2]


def kiosk_status() -> str:
    result = subprocess.run([sys.executable, "-m", "kiosk", "status"], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def check_in(app) -> tuple[str, str]:
    """A check-in tapped through; what the last screen said: its error (message id) and its title."""
    robot.tap(app, robot.tile(app, "checkin"))
    robot.tap(app, robot.screen(app).ids.next)
    robot.tap(app, robot.tile(app, "skip"))
    robot.tap(app, robot.tile(app, "coffee"))
    robot.expect(app, "done")
    done = robot.screen(app)
    seen = (done.error, done.ids.title.text)
    robot.tap(app, done.ids.home)
    return seen


def disk_full(args) -> dict:
    app = open_app(args.data_dir)
    quick(app)
    filler = Path(args.filler)
    before, _ = check_in(app)
    fill(filler)
    fitted = 0  # a day file's last page has room for a few more lines: those are kept, rightly
    while True:
        while_full, while_full_text = check_in(app)
        if while_full or fitted == 50:
            break
        fitted += 1
    status_full = kiosk_status()
    robot.Visitor(app, random.Random(1)).smiley_at_home()  # a smiley on a full disk: no harm either
    filler.unlink()
    after, _ = check_in(app)
    status_after = kiosk_status()
    stored = stored_today(app)
    report = {"before": before, "fitted": fitted, "while_full": while_full, "while_full_text": while_full_text, "after": after,
              "status_while_full": status_full, "status_after": status_after,
              "stored_ids": [r["id"] for r in stored], "stored_types": [r["type"] for r in stored]}
    robot.close_app(app)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["visit", "soak", "disk_full"])
    parser.add_argument("data_dir")
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--walk-away-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--filler")
    args = parser.parse_args()
    os.environ.setdefault("KIOSK_DATA_DIR", args.data_dir)  # for the kiosk commands it runs
    report = {"visit": visit, "soak": soak, "disk_full": disk_full}[args.scenario](args)
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
