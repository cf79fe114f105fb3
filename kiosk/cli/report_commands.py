"""``kiosk report``: the funder's report of any period, from this kiosk's day files (counts only)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kiosk.cli.common import add_config_option, day_arg, open_repository
from kiosk.clock import TIMEZONE, SystemClock
from kiosk.core.cards import SEEN_KEY
from kiosk.core.period import COUNTS_ONLY_NOTE, first_seen_of, kiosk_tally, period_report
from kiosk.core.period_files import render
from kiosk.errors import KioskError
from kiosk.storage.files import write_atomically


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """``--from``, ``--to``, ``--format``, ``--out``: shared with ``kiosk office report``."""
    parser.add_argument("--from", dest="start", type=day_arg, required=True, metavar="YYYY-MM-DD",
                        help="first day of the period")
    parser.add_argument("--to", dest="end", type=day_arg, required=True, metavar="YYYY-MM-DD",
                        help="last day of the period (included)")
    parser.add_argument("--format", choices=["json", "csv", "html"], default="json")
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")


def check_period(start: date, end: date) -> None:
    if end < start:
        raise KioskError(f"--to ({end}) comes before --from ({start}): give the first day, then the last")
    if (end - start).days > 3700:
        raise KioskError("a report covers at most ten years")


def write_report(text: str, out: str | None, what: str) -> None:
    if out:
        write_atomically(Path(out), text.encode("utf-8"))
        print(f"Wrote {what} to {out}. {COUNTS_ONLY_NOTE}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="the report of a period for the funder: counts only, as JSON, "
                                             "CSV (for Excel) or a printable HTML page")
    add_config_option(p)
    add_period_options(p)
    p.set_defaults(func=report)


def report(args) -> int:
    check_period(args.start, args.end)
    config, repo = open_repository(args, writer=False)
    with repo:
        rows = kiosk_tally(repo.records_for_day, args.start, args.end)
        known = repo.get_setting(SEEN_KEY)
        pending = repo.pending_count()
        kiosk_id = repo.kiosk_id
    now = SystemClock().now().astimezone(TIMEZONE)
    not_uploaded = [{"kiosk": kiosk_id, "still_to_send": pending, "as_of": now.isoformat(timespec="seconds")}] \
        if pending else []
    result = period_report(rows, args.start, args.end, first_seen_of(rows, known if isinstance(known, dict) else None),
                           kiosks=[kiosk_id], not_uploaded=not_uploaded)
    title = f"{config.name}: verslag van {args.start:%d/%m/%Y} tot {args.end:%d/%m/%Y}"
    write_report(render(result, args.format, title, now.strftime("%d/%m/%Y %H:%M")), args.out,
                 f"the report of {args.start} to {args.end}")
    return 0
