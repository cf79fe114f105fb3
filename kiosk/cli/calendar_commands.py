"""``kiosk activities``: the occurrences the kiosk would show, from the configured calendar or another one.

Exit codes: 0 shown from a calendar read just now; 1 shown from the last good copy because the calendar
could not be read now (the reason goes to stderr); 2 nothing to show (no copy, or a bad source).
Skipped events are listed on stderr as warnings.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

from kiosk.cli.common import add_config_option, config_of, day_arg
from kiosk.clock import SystemClock
from kiosk.errors import CalendarError

MAX_DAYS = 366
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def register(subparsers) -> None:
    p = subparsers.add_parser("activities", help="the activities of a day (or several) from the calendar")
    add_config_option(p)
    p.add_argument("--date", type=day_arg, default=None, help="first day, YYYY-MM-DD (default: today)")
    p.add_argument("--days", type=_days, default=1, metavar="N", help=f"number of days, 1 to {MAX_DAYS} (default: 1)")
    p.add_argument("--calendar", metavar="PATH_OR_URL", help="another calendar file or https:// address")
    p.add_argument("--json", action="store_true", help="print a JSON list of occurrences")
    p.set_defaults(func=activities)


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f'expected a number of days from 1 to {MAX_DAYS}, got "{text}"')
    return int(text)


def activities(args) -> int:
    from kiosk.calendar.expand import midnight  # heavy imports only for this command
    from kiosk.calendar.source import CACHE_DIR, CalendarSource

    config = config_of(args)
    source = CalendarSource(args.calendar or config.calendar_source, config.data_dir / CACHE_DIR)
    snapshot = source.refresh()
    status = snapshot.status
    for warning in snapshot.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not status.loaded:
        raise CalendarError(status.describe())
    first = args.date or SystemClock().now().date()
    occurrences = snapshot.programme.between(midnight(first), midnight(first + timedelta(days=args.days)))
    if args.json:
        print(json.dumps([o.to_json() for o in occurrences], ensure_ascii=False, indent=2))
    else:
        _print_table(occurrences, first, args.days)
    if not status.fresh:
        print(f"kiosk: {status.describe()}", file=sys.stderr)
        return 1
    return 0


def _print_table(occurrences, first: date, days: int) -> None:
    last = first + timedelta(days=days - 1)
    span = _date(first) if days == 1 else f"{_date(first)} to {_date(last)}"
    if not occurrences:
        print(f"No activities on {span}.")
        return
    print(f"Activities on {span}:")
    for o in occurrences:
        signup = ""
        if o.signup.required:
            signup = f"  [sign-up, {o.signup.capacity} places]" if o.signup.capacity else "  [sign-up]"
        place = f"  ({o.location})" if o.location else ""
        print(f"  {_when(o)}  {o.title or '(no title)'}{place}{signup}")


def _when(o) -> str:
    day = _date(o.first_day)
    if o.all_day:
        span = day if not o.multi_day else f"{day} to {_date(o.last_day)}"
        return f"{span:<16} all day    "
    end = o.ends_at.strftime("%H:%M") if not o.multi_day else f"{_date(o.last_day)} {o.ends_at:%H:%M}"
    return f"{day:<16} {o.starts_at:%H:%M}–{end}"


def _date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"
