"""Commands for staff about activities: signups (who is coming)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.cli.common import add_config_option, day_arg, open_repository
from kiosk.clock import SystemClock
from kiosk.core import participants
from kiosk.storage.files import write_atomically


def register(subparsers) -> None:
    p = subparsers.add_parser("signups", help="who signed up for the activities of one day (JSON, CSV or a printable A4 list)")
    add_config_option(p)
    p.add_argument("--date", type=day_arg, default=None, help="the activities' day, YYYY-MM-DD (default: today)")
    p.add_argument("--activity", metavar="UID", default=None, help="only the activity with this calendar UID")
    p.add_argument("--format", choices=["json", "csv", "html"], default="json")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")
    p.set_defaults(func=signups)


def signups(args) -> int:
    config, repo = open_repository(args, writer=False)
    with repo:
        day = args.date or SystemClock().now().date()
        lists = participants.lists_on(participants.list_records(repo, day), day.isoformat(), args.activity)
        location = repo.get_setting("location") or config.location
    if args.format == "csv":
        text = participants.lists_csv(lists)
    elif args.format == "html":
        text = participants.lists_html(lists, config.name, location)
    else:
        text = json.dumps(participants.lists_json(lists), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        write_atomically(Path(args.out), text.encode("utf-8"))
        persons = sum(a.persons for a in lists)
        print(f"Wrote {len(lists)} activities ({persons} persons) of {day} to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if not lists:
        print(f"Nobody signed up for an activity on {day}.", file=sys.stderr)
    return 0
