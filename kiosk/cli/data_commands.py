"""Commands for staff and operations: check-config, init, status, log, demo-data."""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime
from pathlib import Path

from kiosk import __version__
from kiosk.cli.common import add_config_option, config_of, day_arg, open_repository
from kiosk.clock import TIMEZONE, SystemClock
from kiosk.core import daylog, report
from kiosk.core.cards import SEEN_KEY
from kiosk.core.daystats import day_stats
from kiosk.core.demo import DEMO_KINDS, ScriptedClock, demo_records
from kiosk.core.records import Recorder
from kiosk.export.media import write_files
from kiosk.storage import kiosk_id_of
from kiosk.storage.files import disk_full_problem, write_atomically
from kiosk.sync import OfficeSettings, Outbox


def register(subparsers) -> None:
    p = subparsers.add_parser("check-config", help="check the configuration file and exit")
    add_config_option(p)
    p.set_defaults(func=check_config)

    p = subparsers.add_parser("init", help="make the data folder and this kiosk's id (the office registers it)")
    add_config_option(p)
    p.set_defaults(func=init)

    p = subparsers.add_parser("status", help="kiosk id, records today, uploads to the office, damaged files")
    add_config_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=status)

    p = subparsers.add_parser("log", help="the records of one day, as JSON, CSV (for Excel) or a printable HTML report")
    add_config_option(p)
    p.add_argument("--date", type=day_arg, default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=["json", "csv", "html"], default="json")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")
    where.add_argument("--export", metavar="FOLDER",
                       help="write the CSV, JSON and HTML files into FOLDER (e.g. a USB stick), as staff mode does")
    p.set_defaults(func=log)

    p = subparsers.add_parser("demo-data", help="write realistic synthetic records (use a separate data folder)")
    add_config_option(p)
    p.add_argument("--date", type=day_arg, required=True, help="YYYY-MM-DD")
    for kind in DEMO_KINDS:
        p.add_argument(f"--{kind}", type=_count, default=0, metavar="N", help=f"how many {kind}")
    p.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")
    p.add_argument("--print-ids", action="store_true", help="print each record's id once it is on disk")
    p.set_defaults(func=demo_data)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 1_000_000:
        raise argparse.ArgumentTypeError(f'expected a number from 0 to 1000000, got "{text}"')
    return int(text)


def check_config(args) -> int:
    config = config_of(args)
    print(f"{config.source or 'built-in defaults'}: all is well")
    return 0


def init(args) -> int:
    config = config_of(args)
    print(f"{kiosk_id_of(config.data_dir)}  (data folder: {config.data_dir})")
    return 0


def status(args) -> int:
    config = config_of(args)
    kiosk_id = kiosk_id_of(config.data_dir)  # made now when the kiosk never started: the office registers it
    config, repo = open_repository(args, writer=False)
    with repo:
        today = SystemClock().now().date()
        uploads = Outbox(repo, OfficeSettings.from_config(config)).status()
        report = {
            "kiosk": kiosk_id,
            "version": __version__,
            "data_folder": str(config.data_dir),
            "location": repo.get_setting("location") or config.location,
            "records_today": repo.count_for_day(today),
            "pending_uploads": uploads.pending,
            "uploads": uploads.state.value,
            "last_upload": uploads.last_success,
            "upload_problem": uploads.last_error,
            "refused_by_office": uploads.rejected,
            "damaged_files": [p.name for p in repo.damaged_files()],
            "problems": [*repo.damage, *filter(None, [disk_full_problem(config.data_dir)])],
        }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"Kiosk:            {report['kiosk']} (version {__version__})")
    print(f"Data folder:      {report['data_folder']}")
    print(f"Location:         {report['location']}")
    print(f"Records today:    {report['records_today']}")
    print(f"Pending uploads:  {report['pending_uploads']}")
    print(f"Uploads:          {uploads.in_words()}")
    print(f"Last upload:      {_when(uploads.last_success)}")
    if uploads.rejected:
        print(f"Refused by office: {uploads.rejected} record(s), kept here for staff")
    if report["damaged_files"]:
        print("Damaged files (copies kept in the data folder's damaged/ folder):")
        for name in report["damaged_files"]:
            print(f"  - {name}")
    else:
        print("Damaged files:    none")
    for problem in report["problems"]:
        print(f"Problem now:      {problem}")
    return 0


def _when(iso: str | None) -> str:
    """An ISO time as a Belgian reader writes it, or "never"."""
    if not iso:
        return "never"
    try:
        return datetime.fromisoformat(iso).astimezone(TIMEZONE).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


def log(args) -> int:
    config, repo = open_repository(args, writer=False)
    now = SystemClock().now()
    with repo:
        day = (args.date or now.date()).isoformat()
        records = repo.records_for_day(day)
        cards_seen = repo.get_setting(SEEN_KEY)
        kiosk_id = repo.kiosk_id
    if args.export:
        written = write_files(Path(args.export), report.day_files(day, records, config.name, kiosk_id, now, cards_seen))
        print(f"Wrote {len(records)} records of {day} to {', '.join(str(p) for p in written)}. "
              f"{daylog.PRIVACY_REMINDER}", file=sys.stderr)
        return 0
    if args.format == "csv":
        text = daylog.to_csv(records)
    elif args.format == "html":
        text = report.day_report(day_stats(day, records, cards_seen), config.name, kiosk_id, now)
    else:
        text = daylog.to_json_list(records)  # a list, for scripts; exported files carry the reminder
    if args.out:
        write_atomically(Path(args.out), text.encode("utf-8"))
        print(f"Wrote {len(records)} records of {day} to {args.out}. {daylog.PRIVACY_REMINDER}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def demo_data(args) -> int:
    config, repo = open_repository(args)
    rng = random.Random(args.seed)
    counts = {kind: getattr(args, kind) for kind in DEMO_KINDS}
    with repo:
        # A record reads the clock up to twice (a question, a card scan or a sign-up: to check, then to
        # record): room for both, so that the day stays within opening hours.
        recorder = Recorder(repo, ScriptedClock(args.date, 2 * sum(counts.values())), config.location)
        written = 0
        for record in demo_records(recorder, counts, rng):
            written += 1
            if args.print_ids:
                print(record["id"], flush=True)
    if not args.print_ids:
        print(f"Wrote {written} demo records for {args.date} into {config.data_dir}")
    return 0

