"""Office commands on its database: report, migrate, copy (SQLite -> PostgreSQL), erase, retention.

    kiosk office report --from D --to D [--kiosk K] [--place P] [--format json|csv|html] [--out FILE]
    kiosk office migrate [--database URL]
    kiosk office copy --from sqlite:///.../office.sqlite3 --to postgresql://user@host/db
    kiosk office erase --record ID [--kiosk K] | --kiosk K --before YYYY-MM-DD
    kiosk office retention [--days N]

The database is ``--database``, else ``$KIOSK_OFFICE_DATABASE``, else ``office.sqlite3`` in the data folder.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from kiosk.cli.common import day_arg
from kiosk.cli.report_commands import add_period_options, check_period, write_report
from kiosk.clock import TIMEZONE
from kiosk.errors import KioskError

DEFAULT_DATA_DIR = "~/.local/share/ter-plekke-office"


def register(commands) -> None:
    p = commands.add_parser("report", help="the funder's report of a period over every kiosk (counts only)")
    add_database_options(p)
    add_period_options(p)
    p.add_argument("--kiosk", metavar="K", help="only this kiosk")
    p.add_argument("--place", metavar="P", help="only this place")
    p.set_defaults(func=report)

    p = commands.add_parser("migrate", help="bring the office database's tables up to date")
    add_database_options(p)
    p.set_defaults(func=migrate)

    p = commands.add_parser("copy", help="copy every kiosk, record and report to another database "
                                         "(e.g. from SQLite to PostgreSQL)")
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="sqlite:///path or postgresql://...")
    p.add_argument("--to", dest="target", required=True, metavar="URL", help="an empty database")
    p.set_defaults(func=copy)

    p = commands.add_parser("erase", help="blank the personal details of a record, or of a kiosk's records "
                                          "before a day, at a visitor's request (counts stay; logged)")
    add_database_options(p)
    p.add_argument("--record", metavar="ID", help="the record's id")
    p.add_argument("--kiosk", metavar="K", help="the kiosk (with --before; or to pick one record of it)")
    p.add_argument("--before", type=day_arg, metavar="YYYY-MM-DD", help="every record of --kiosk before this day")
    p.set_defaults(func=erase)

    p = commands.add_parser("retention", help="blank the personal details of records older than the "
                                              "retention time (counts stay; logged)")
    add_database_options(p)
    p.add_argument("--days", type=int, default=None, metavar="N",
                   help="keep personal details this many days (default: $KIOSK_OFFICE_RETENTION_DAYS, "
                        "else [office] retention_days of the configuration, else 30)")
    p.set_defaults(func=retention)


def add_database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help="the office's data folder (default: $KIOSK_OFFICE_DATA or " + DEFAULT_DATA_DIR + ")")
    parser.add_argument("--database", metavar="URL", default=None,
                        help="postgresql://user@host/db or sqlite:///path (default: $KIOSK_OFFICE_DATABASE, "
                             "else office.sqlite3 in the data folder)")


def database_of(args) -> str | Path:
    from kiosk.office.database import DATABASE_ENV, DB_NAME

    if args.database or os.environ.get(DATABASE_ENV):
        return args.database or os.environ[DATABASE_ENV]
    folder = (args.data or Path(os.environ.get("KIOSK_OFFICE_DATA") or DEFAULT_DATA_DIR)).expanduser()
    return folder / DB_NAME


def _store(args):
    try:
        from kiosk.office.store import OfficeStore
    except ModuleNotFoundError as missing:
        raise KioskError(f"The office needs {missing.name}: install it with pip install '.[office]'") from None
    return OfficeStore(database_of(args))


def report(args) -> int:
    from kiosk.core.period_files import render
    from kiosk.office.reports import office_report

    check_period(args.start, args.end)
    with _store(args) as store:
        if args.kiosk and args.kiosk not in store.kiosk_names():
            raise KioskError(f'no kiosk "{args.kiosk}" is registered at the office')
        result = office_report(store, args.start, args.end, kiosk=args.kiosk, place=args.place)
    scope = " · ".join(filter(None, [args.kiosk, args.place])) or "alle kiosken"
    title = f"Ter Plekke: verslag van {args.start:%d/%m/%Y} tot {args.end:%d/%m/%Y} ({scope})"
    now = datetime.now(TIMEZONE)
    write_report(render(result, args.format, title, now.strftime("%d/%m/%Y %H:%M")), args.out,
                 f"the office report of {args.start} to {args.end}")
    return 0


def migrate(args) -> int:
    from kiosk.office.database import Database
    from kiosk.office.migrations import MIGRATIONS, migrate as run

    db = Database(database_of(args))
    try:
        done = run(db)
    finally:
        db.close()
    for step in done:
        print(f"Applied step {step}")
    print(f"The office database {db.where} is up to date (step {MIGRATIONS[-1][0]}).")
    return 0


def copy(args) -> int:
    from kiosk.office.copy import copy_database

    counts = copy_database(args.source, args.target)
    print("Copied " + ", ".join(f"{n} {table}" for table, n in counts.items()) + f" to {args.target.split('@')[-1]}.")
    return 0


def erase(args) -> int:
    if bool(args.record) == bool(args.before):
        raise KioskError("say what to erase: --record ID, or --kiosk K --before YYYY-MM-DD")
    if args.before and not args.kiosk:
        raise KioskError("--before needs --kiosk: the kiosk whose records to erase")
    with _store(args) as store:
        if args.record:
            count = store.erase_record(args.record, kiosk=args.kiosk)
            what = f"record {args.record}"
        else:
            count = store.erase_before(args.kiosk, args.before.isoformat())
            what = f"the records of kiosk {args.kiosk} before {args.before}"
    if not count:
        print(f"Nothing to erase: no {what} at the office.", file=sys.stderr)
        return 1
    print(f"Erased the personal details of {count} record(s): {what}. The counts stay; this was logged.")
    return 0


def retention(args) -> int:
    from kiosk.cli.common import config_of
    from kiosk.office.store import retention_days

    days = retention_days(args.days, config_of(args).office_retention_days)
    with _store(args) as store:
        count = store.apply_retention(days)
    print(f"Blanked the personal details of {count} record(s) older than {days} days. The counts stay.")
    return 0
