"""Commands for the central office: run the reference receiver, register a kiosk.

    kiosk office serve [--host 127.0.0.1] [--port 8080] [--data DIR]
    kiosk office add-kiosk NAME [--data DIR] [--replace]

The data folder defaults to ``$KIOSK_OFFICE_DATA`` or ``~/.local/share/ter-plekke-office``. The staff
overview at ``/`` asks for the password in ``$KIOSK_OFFICE_ADMIN_PASSWORD`` (without it, it is off).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from kiosk.cli import office_data_commands
from kiosk.cli.common import config_of
from kiosk.errors import KioskError

DATA_ENV = "KIOSK_OFFICE_DATA"
DEFAULT_DATA_DIR = "~/.local/share/ter-plekke-office"


def register(subparsers) -> None:
    office = subparsers.add_parser("office", help="the central office's receiver (serve, add-kiosk)")
    commands = office.add_subparsers(dest="office_command", metavar="COMMAND", required=True)

    p = commands.add_parser("serve", help="receive uploads from kiosks; overview for staff at /")
    _add_data_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; "
                                                       "0.0.0.0 for every network)")
    p.add_argument("--port", type=_port, default=8080, help="port (default 8080; 0: any free port)")
    p.add_argument("--database", metavar="URL", default=None,
                   help="postgresql://user@host/db (default: $KIOSK_OFFICE_DATABASE, else SQLite in the data folder)")
    p.set_defaults(func=serve)

    p = commands.add_parser("add-kiosk", help="register a kiosk and print its token, once")
    p.add_argument("name", metavar="NAME", help='the kiosk\'s id, as "kiosk status" on the kiosk shows it')
    _add_data_option(p)
    p.add_argument("--replace", action="store_true", help="give an existing kiosk a new token (the old one stops)")
    p.add_argument("--database", metavar="URL", default=None,
                   help="postgresql://user@host/db (default: $KIOSK_OFFICE_DATABASE, else SQLite in the data folder)")
    p.set_defaults(func=add_kiosk)

    office_data_commands.register(commands)


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help=f"the office's data folder (default: ${DATA_ENV} or {DEFAULT_DATA_DIR})")


def _data_dir(args) -> Path:
    return (args.data or Path(os.environ.get(DATA_ENV) or DEFAULT_DATA_DIR)).expanduser()


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) < 65536:
        raise argparse.ArgumentTypeError(f'expected a port number from 0 (any free port) to 65535, got "{text}"')
    return int(text)


def serve(args) -> int:
    try:
        from kiosk.office.app import ADMIN_PASSWORD_ENV
        from kiosk.office.serve import serve as run
    except ModuleNotFoundError as missing:
        raise KioskError(
            f"The office receiver needs {missing.name}: install it with pip install '.[office]'"
        ) from None

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data_dir = _data_dir(args)

    def ready(base_url: str) -> None:
        print(f"Office receiver on {base_url}/ with its data in {data_dir} (Ctrl-C stops it)",
              file=sys.stderr, flush=True)
        if not os.environ.get(ADMIN_PASSWORD_ENV):
            print(f"The staff overview is off: set {ADMIN_PASSWORD_ENV} to a password to switch it on.",
                  file=sys.stderr, flush=True)

    days = config_of(args).office_retention_days  # [office] retention_days of --config / $KIOSK_CONFIG
    run(data_dir, args.host, args.port, on_ready=ready, database=args.database, retention_days=days)
    return 0


def add_kiosk(args) -> int:
    from kiosk.office.folder import private_office_folder
    from kiosk.office.store import DB_NAME, OfficeStore

    database = args.database or os.environ.get("KIOSK_OFFICE_DATABASE")
    if not database:
        try:
            private_office_folder(_data_dir(args), DB_NAME)
        except OSError as error:
            raise KioskError(f"The office's data folder {_data_dir(args)} cannot be created: {error.strerror or error}") from None
    with OfficeStore(database or _data_dir(args) / DB_NAME) as store:
        token = store.add_kiosk(args.name, replace=args.replace)
    # The token alone on standard output (TOKEN=$(kiosk office add-kiosk NAME) works); the advice beside it.
    print(f'Kiosk "{args.name}" can now upload to the office. Its token, shown only this once:', file=sys.stderr)
    print(token, flush=True)
    print("Put it on the kiosk in KIOSK_OFFICE_TOKEN, or as token under [office] in the kiosk's configuration.",
          file=sys.stderr)
    return 0
