"""Commands for the upload to the office: ``kiosk sync`` and ``kiosk purge`` (retention)."""

from __future__ import annotations

import argparse
import sys
import time

from kiosk.cli.common import add_config_option, config_of
from kiosk.clock import SystemClock
from kiosk.errors import OfficeConfigError
from kiosk.storage import Repository
from kiosk.sync import DrainReport, OfficeSettings, Outbox
from kiosk.sync.outbox import sentence
from kiosk.sync import retention


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sync",
        help="upload pending records to the office now",
        description="Upload pending records now. Exit 0: nothing left to upload; 1: records remain "
        "(the office could not be reached); 2: the settings or the token must be fixed.",
    )
    add_config_option(p)
    p.add_argument("--once", action="store_true", help="one pass: stop at the first failure, do not retry")
    p.add_argument("--timeout", type=_seconds, default=120, metavar="SECONDS",
                   help="without --once: keep retrying for at most this long (default 120)")
    p.set_defaults(func=sync)

    p = subparsers.add_parser(
        "purge",
        help="remove records the office has had for [data] retention_days",
        description="Remove the days whose every record was uploaded more than [data] retention_days ago. "
        "Records not yet uploaded, and records the office refused (kept for staff), are never removed.",
    )
    add_config_option(p)
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    p.set_defaults(func=purge)


def _seconds(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 86400:
        raise argparse.ArgumentTypeError(f'expected seconds from 1 to 86400, got "{text}"')
    return int(text)


def sync(args) -> int:
    config = config_of(args)
    office = OfficeSettings.from_config(config)
    problem = office.problem()
    if problem:
        raise OfficeConfigError(f"{problem}\nConfiguration file: {config.source or 'none (built-in defaults)'}")
    with Repository(config.data_dir) as repo:
        outbox = Outbox(repo, office)
        total = DrainReport()
        deadline = time.monotonic() + args.timeout
        while True:
            report = outbox.drain_once()
            _add(total, report)
            if args.once or not report.problem or report.config_problem or report.auth_failed:
                break
            time_left = deadline - time.monotonic()
            if time_left <= 0:
                break
            wait = min(outbox.status().retry_in or 0.0, time_left)
            print(f"Not yet: {report.problem}. Trying again in {wait:.0f} s.", file=sys.stderr, flush=True)
            time.sleep(max(wait, 0.0))
        kept = repo.rejected_count()
    _summarise(total, office.where, kept)
    if report.config_problem or report.auth_failed:
        return 2
    return 1 if report.remaining else 0


def _add(total: DrainReport, report: DrainReport) -> None:
    total.uploaded += report.uploaded
    total.duplicates += report.duplicates
    total.rejected += report.rejected
    total.remaining, total.problem = report.remaining, report.problem


def _summarise(total: DrainReport, where: str, kept: int) -> None:
    if total.uploaded:
        already = f" ({total.duplicates} of them the office already had)" if total.duplicates else ""
        print(f"Uploaded {_records(total.uploaded)} to {where}{already}.")
    if total.rejected:
        print(f"The office refused {_records(total.rejected)}: kept on the kiosk for staff ({kept} in all; see kiosk status).")
    if total.remaining:
        print(f"{_records(total.remaining).capitalize()} still to upload: {sentence(total.problem or '')} "
              "The kiosk sends them later.")
    elif total.problem:
        print(f"Problem: {sentence(total.problem)}")
    elif not total.uploaded and not total.rejected:
        print("Nothing to upload: everything is at the office.")
    else:
        print("Nothing left to upload.")


def _records(n: int) -> str:
    return f"{n} record{'s' if n != 1 else ''}"


def purge(args) -> int:
    config = config_of(args)
    now = SystemClock().now()
    with Repository(config.data_dir, writer=not args.dry_run) as repo:
        report = retention.purge(repo, now, config.retention_days, dry_run=args.dry_run)
    if report is None:
        print(
            f"kiosk: the clock ({now:%d/%m/%Y %H:%M}) does not look right, so nothing was removed. "
            "Set the date and time, then try again.",
            file=sys.stderr,
        )
        return 2
    days = config.retention_days
    if report.removed_days:
        verb = "Would remove" if args.dry_run else "Removed"
        print(f"{verb} {len(report.removed_days)} day(s), {_records(report.removed_records)} the office has had "
              f"for more than {days} days: {', '.join(report.removed_days)}")
    else:
        print(f"Nothing to remove: no day has had all its records at the office for more than {days} days.")
    if report.kept_rejected:
        print(f"Kept, with records the office refused (for staff): {', '.join(report.kept_rejected)}")
    if report.kept_pending:
        print(f"Kept, with records not yet uploaded: {', '.join(report.kept_pending)}")
    return 0
