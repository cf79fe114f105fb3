"""``kiosk doctor``: check this device and print a checklist in plain words, with what to do."""

from __future__ import annotations

import argparse
import json
import textwrap

from kiosk import __version__
from kiosk.cli.common import add_config_option
from kiosk.doctor import CHECKS, DeviceEnvironment, Finding, Level, examine, exit_code

MARKS = {Level.OK: "  ok   ", Level.WARNING: "WARNING", Level.PROBLEM: "PROBLEM"}
WIDTH = 100


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "doctor",
        help="check this device: screen, touch, data folder, disk, clock, office, calendar, uploads",
        description="Check this device and say, in plain words, what to do about anything wrong. "
        "Exit code 0: all is well; 1: warnings; 2: problems.",
    )
    add_config_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the checklist")
    p.add_argument("--skip", type=_checks, action="extend", default=[], metavar="CHECK[,CHECK]",
                   help=f"leave out checks (e.g. touch on a test PC): {', '.join(CHECKS)}")
    p.set_defaults(func=doctor)


def _checks(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise argparse.ArgumentTypeError(f'unknown check "{unknown[0]}"; the checks are: {", ".join(CHECKS)}')
    return names


def doctor(args) -> int:
    findings = examine(DeviceEnvironment(), getattr(args, "config", None), skip=args.skip)
    code = exit_code(findings)
    if args.json:
        print(json.dumps({"version": __version__, "exit_code": code,
                          "checks": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        print(render(findings, code))
    return code


def render(findings: list[Finding], code: int) -> str:
    """The checklist: one line per check; for a warning or problem, what to do, indented below."""
    title_width = max((len(f.title) for f in findings), default=0) + 2
    indent = " " * (len(MARKS[Level.OK]) + 3 + title_width)
    lines = [f"Kiosk doctor (version {__version__}): checking this device.", ""]
    for finding in findings:
        head = f"[{MARKS[finding.level]}] {finding.title.ljust(title_width)}"
        lines.append(textwrap.fill(finding.message, WIDTH, initial_indent=head, subsequent_indent=indent))
        if finding.todo:
            lines.append(textwrap.fill(finding.todo, WIDTH, initial_indent=indent + "What to do: ",
                                       subsequent_indent=indent + "            "))
    problems = sum(f.level is Level.PROBLEM for f in findings)
    warnings = sum(f.level is Level.WARNING for f in findings)
    lines.append("")
    if code == 0:
        lines.append("All is well.")
    else:
        counts = [f"{n} {word}{'s' if n != 1 else ''}"
                  for n, word in ((problems, "problem"), (warnings, "warning")) if n]
        advice = "fix the problems first: the kiosk may not work until then." if problems else \
            "the kiosk works, but have a look at the warnings."
        lines.append(f"{' and '.join(counts).capitalize()}: {advice}")
    return "\n".join(lines)
