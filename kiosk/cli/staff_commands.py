"""Commands for whoever installs the kiosk and for staff: set-pin, cards."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from kiosk.cli.common import add_config_option, config_of, open_repository
from kiosk.clock import SystemClock
from kiosk.core.staff_pin import PIN_MAX, PIN_MIN, StaffLock, check_pin_format
from kiosk.errors import KioskBusyError, KioskError, ValidationError


def register(subparsers) -> None:
    p = subparsers.add_parser("set-pin", help=f"set the staff PIN ({PIN_MIN} to {PIN_MAX} digits)")
    add_config_option(p)
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (for scripts)")
    p.set_defaults(func=set_pin)

    p = subparsers.add_parser("cards", help="make printable member cards (A4, 10 a page) as PDF or PNG")
    add_config_option(p)
    p.add_argument("--count", type=int, metavar="N", help="how many new cards")
    p.add_argument("--out", required=True, metavar="FILE", help="cards.pdf, or cards.png (one file per page)")
    p.add_argument("--keypad", action="store_true",
                   help="instead: a large-print A5 card of what each keypad key does (nl, fr, en)")
    p.set_defaults(func=cards)


def set_pin(args) -> int:
    pin = _read_pin(args.pin_stdin)
    try:
        check_pin_format(pin)
    except ValidationError:
        print(f"kiosk: a staff PIN is {PIN_MIN} to {PIN_MAX} digits (0-9); nothing was changed.", file=sys.stderr)
        return 2
    try:
        config, repo = open_repository(args)
    except KioskBusyError as error:
        raise KioskBusyError(f"{error} On a Raspberry Pi: sudo systemctl stop ter-plekke-kiosk, "
                             "then set the PIN, then sudo systemctl start ter-plekke-kiosk.") from None
    with repo:
        StaffLock(repo, SystemClock()).set_pin(pin)
    print("The staff PIN is set. Staff hold their finger on the kiosk's name on the start screen "
          "for two seconds to type it.")
    return 0


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise KioskError("set-pin asks for the PIN on a terminal; in a script, use --pin-stdin.")
    first = getpass.getpass(f"New staff PIN ({PIN_MIN} to {PIN_MAX} digits): ")
    second = getpass.getpass("The same PIN again: ")
    if first != second:
        raise KioskError("the two PINs differ; nothing was changed. Run kiosk set-pin again.")
    return first


def cards(args) -> int:
    from kiosk.export.cards import PER_PAGE, write_cards  # Pillow is only needed here

    config = config_of(args)
    if args.keypad:
        from kiosk.export.keypad_card import write_keypad_card

        out = write_keypad_card(Path(args.out), config.speech.start_key)
        print(f"The keypad card: {out}. Print it on A5 (or A4 at 100%) and stick it beside the keypad.")
        return 0
    if args.count is None:
        raise KioskError("say how many member cards to make: kiosk cards --count N --out cards.pdf")
    files, ids = write_cards(args.count, Path(args.out), config.name)
    pages = -(-len(ids) // PER_PAGE)
    names = ", ".join(str(f) for f in files)
    print(f"{len(ids)} new member card{'s' if len(ids) != 1 else ''} on {pages} A4 page{'s' if pages != 1 else ''}: "
          f"{names}. Print at 100% (no scaling) and cut along the dashed lines.")
    return 0
