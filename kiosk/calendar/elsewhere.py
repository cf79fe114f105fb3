"""Reading a calendar in a short child process, so that the kiosk app never imports ``icalendar``.

``icalendar`` and ``recurring-ical-events`` (some 130 modules) and a parsed calendar kept some 5 MB of the
kiosk's memory for as long as it ran, to answer from a window of occurrences worked out once in a while
(when the calendar changes, and once a day). A child Python parses the calendar, works the window out
(:func:`kiosk.calendar.expand.parse_calendar`, :func:`~kiosk.calendar.expand.prime_window`: the same code,
the same budget, the same warnings) and hands the occurrences back as JSON; the kiosk keeps only those
(:meth:`Programme.worked_out`). Where no child process can be started (Android) or the child fails,
:func:`work_out` answers None and the caller reads the calendar in its own process as before.

    python -m kiosk.calendar.elsewhere WHERE DAY BUDGET-JSON < calendar.ics    # one JSON object out
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from kiosk.calendar.budget import Budget
from kiosk.calendar.convention import SignupRule
from kiosk.calendar.expand import Programme, parse_calendar, prime_window
from kiosk.calendar.occurrence import Occurrence
from kiosk.clock import TIMEZONE
from kiosk.errors import CalendarError, CalendarTooBusyError

log = logging.getLogger(__name__)

#: Seconds the child may take besides the budget's own time (a Python start and imports, ~1 s on a Pi).
STARTUP_SECONDS = 30.0


def available() -> bool:
    """Whether a child Python can be started here: not inside an Android app (python-for-android sets
    ``ANDROID_PRIVATE``; its ``sys.executable`` is no Python to start)."""
    android = hasattr(sys, "getandroidapilevel") or "ANDROID_PRIVATE" in os.environ
    return bool(sys.executable) and not android


def work_out(body: bytes | str, where: str, day: date, budget: Budget = Budget()) -> Programme | None:
    """``body``'s programme with the window from ``day`` worked out in a child process; None when that could
    not be done there (no child here, it failed or took too long): then read it in-process.

    Raises :class:`CalendarError` (malformed) or :class:`CalendarTooBusyError` as reading it here would."""
    if not available():
        return None
    data = body.encode("utf-8") if isinstance(body, str) else body
    command = [sys.executable, "-m", __name__, where, day.isoformat(), json.dumps(dataclasses.asdict(budget))]
    # the child finds this kiosk package wherever this process found it
    paths = [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    try:
        done = subprocess.run(command, input=data, capture_output=True, env=env,
                              timeout=budget.seconds + STARTUP_SECONDS)
        answer = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        log.warning("calendar: the child process failed (%s); reading it here", error)
        return None
    if not isinstance(answer, dict):
        log.warning("calendar: the child process failed (exit %s: %s); reading it here", done.returncode,
                    done.stderr.decode("utf-8", "replace")[-300:])
        return None
    if answer.get("problem") == "too_busy":
        raise CalendarTooBusyError(answer["message"])
    if answer.get("problem") == "malformed":
        raise CalendarError(answer["message"])
    return Programme.worked_out(
        [_occurrence(o) for o in answer["occurrences"]], _moment(answer["start"]), _moment(answer["end"]),
        answer["warnings"], where, answer["name"], answer["series"], budget)


def _answer(body: bytes, where: str, day: date, budget: Budget) -> dict:
    """In the child: the programme's window from ``day``, or the problem, as JSON-ready values."""
    try:
        programme = parse_calendar(body, where, budget)
        prime_window(programme, day)
    except CalendarTooBusyError as error:
        return {"problem": "too_busy", "message": str(error)}
    except CalendarError as error:
        return {"problem": "malformed", "message": str(error)}
    window = programme._window
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "name": programme.name,
            "series": programme.series_count, "warnings": list(programme.warnings),
            "occurrences": [_plain(o) for o in window.occurrences]}


def _plain(occurrence: Occurrence) -> dict:
    plain = dataclasses.asdict(occurrence)
    for name in ("start", "end", "original_start"):
        if plain[name] is not None:
            plain[name] = plain[name].isoformat()
    return plain


def _occurrence(plain: dict) -> Occurrence:
    values = dict(plain)
    for name in ("start", "end", "original_start"):
        if values[name] is not None:
            values[name] = _moment(values[name]) if "T" in values[name] else date.fromisoformat(values[name])
    values["categories"] = tuple(values["categories"])
    values["signup"] = SignupRule(**values["signup"])
    return Occurrence(**values)


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(TIMEZONE)


def main(argv: list[str]) -> int:
    where, day, budget = argv
    answer = _answer(sys.stdin.buffer.read(), where, date.fromisoformat(day), Budget(**json.loads(budget)))
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
