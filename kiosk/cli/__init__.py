"""The ``kiosk`` command: one module per group of subcommands, errors turned into exit codes here.

Exit codes: 0 all is well, 1 something remains to be done (e.g. records not yet uploaded),
2 a problem a person must fix (configuration, data folder, authentication). Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from kiosk import __version__
from kiosk.errors import ConfigError, KioskError

# Each module adds its subcommands with register(subparsers); the handler is args.func(args) -> int.
from kiosk.cli import (
    app_commands,
    calendar_commands,
    data_commands,
    doctor_commands,
    floor_commands,
    layout_commands,
    office_commands,
    report_commands,
    speech_commands,
    staff_commands,
    sync_commands,
)

COMMAND_MODULES = [app_commands, data_commands, calendar_commands, sync_commands, doctor_commands, office_commands,
                   staff_commands, layout_commands, report_commands, floor_commands, speech_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Ter Plekke check-in kiosk.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: $KIOSK_CONFIG or the one in the package)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `kiosk` runs the kiosk
        args = parser.parse_args([*argv, "run"])
    try:
        return args.func(args)
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    except KioskError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
