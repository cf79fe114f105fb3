"""Commands for staff on the floor: signups (who is coming), print-test (the ticket printer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.cli.common import add_config_option, config_of, day_arg, open_repository
from kiosk.config import SUPPORTED_LANGUAGES
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

    p = subparsers.add_parser("print-test", help="print a test ticket on the configured ticket printer")
    add_config_option(p)
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=None, help="the ticket's language (default: the kiosk's)")
    p.set_defaults(func=print_test)


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


#: What a printer problem means, for whoever runs print-test or doctor.
PRINTER_WORDS = {
    "no_paper": "the printer has no paper: put in a new roll",
    "paper_low": "the paper is almost finished",
    "not_found": "the printer cannot be reached: is it plugged in, switched on, and is [printer] address right?",
    "failed": "the printer did not take the ticket: switch it off and on, then try again",
}


def print_test(args) -> int:
    from kiosk.export.ticket_printer import TicketPrinter
    from kiosk.ui.ticket import question_ticket

    config = config_of(args)
    printer = TicketPrinter(config.printer_kind, config.printer_address)
    if not printer.enabled:
        print('No ticket printer is set up: set [printer] kind and address in the configuration.', file=sys.stderr)
        return 2
    now = SystemClock().now()
    test = {"type": "question", "created_at": now.isoformat(timespec="seconds"),
            "data": {"ticket": 0, "theme": "other", "talk_today": False}}
    problem = printer.print_now(question_ticket(test, args.lang or config.default_language))
    where = f"{config.printer_kind} {config.printer_address}"
    if problem in ("", "paper_low"):
        print(f"Printed a test ticket on {where}." + (f" Note: {PRINTER_WORDS[problem]}." if problem else ""))
        return 0
    print(f"kiosk: no test ticket on {where}: {PRINTER_WORDS[problem]}.", file=sys.stderr)
    return 2
