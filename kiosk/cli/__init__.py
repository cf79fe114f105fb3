"""The ``kiosk`` command: one module per group of subcommands, errors turned into exit codes here.

Exit codes: 0 all is well, 1 something remains to be done (e.g. records not yet uploaded),
2 a problem a person must fix (configuration, data folder, authentication). Never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from kiosk import __version__
from kiosk.errors import ConfigError, KioskError

#: Each module adds its subcommands with register(subparsers); the handler is args.func(args) -> int.
COMMAND_MODULES = ["app_commands", "data_commands", "calendar_commands", "sync_commands", "doctor_commands",
                   "office_commands", "staff_commands", "layout_commands", "report_commands", "floor_commands",
                   "speech_commands"]
#: The module of ``kiosk run`` (and of a bare ``kiosk``): starting the kiosk imports only this one, not
#: the others' storage, upload, report and device-check modules (some 60 ms before the first frame).
RUN_MODULE = "app_commands"


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Ter Plekke check-in kiosk.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: $KIOSK_CONFIG or the one in the package)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(f"kiosk.cli.{name}").register(subparsers)
    return parser


def starts_the_kiosk(argv: Sequence[str]) -> bool:
    """``kiosk`` or ``kiosk run ...``, with or without ``--config PATH`` before it."""
    rest = list(argv)
    if rest[:1] == ["--config"]:
        rest = rest[2:]
    elif rest and rest[0].startswith("--config="):
        rest = rest[1:]
    return not rest or rest[0] == "run"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser([RUN_MODULE] if starts_the_kiosk(argv) else COMMAND_MODULES)
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
