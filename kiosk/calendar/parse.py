"""Reading calendar text: decode it, check its structure line by line, parse it with ``icalendar``.

``icalendar`` does the parsing; this module only finds *where* something is wrong, so that a person
reads "line 41: BEGIN:VEVENT is never closed" rather than a parser's internals. A garbled line inside
one event spoils only that event (it is reported and skipped later); a garbled line elsewhere, a
missing ``END``, or a web page instead of a calendar make the whole calendar unusable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.errors import CalendarError

if TYPE_CHECKING:
    import icalendar

#: ``NAME`` or ``NAME;PARAM=...`` then ``:`` then the value (RFC 5545 §3.1).
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")


@dataclass
class CalendarText:
    """A parsed calendar and what the text told us about its events, in document order."""

    calendar: icalendar.Calendar
    #: Line number of each event's ``BEGIN:VEVENT`` (the n-th event of ``calendar.walk("VEVENT")``).
    event_lines: list[int | None]
    #: Event index -> why the text of that event cannot be trusted.
    broken_events: dict[int, str] = field(default_factory=dict)


def read_calendar_text(data: bytes | str, where: str) -> CalendarText:
    """Check and parse iCalendar ``data``; raise :class:`CalendarError` naming ``where`` and the line."""
    text = _decode(data, where)
    if not text.strip():
        raise CalendarError(f"{where} is empty: there is no calendar in it")
    if text.lstrip()[:1] == "<":
        raise CalendarError(f"{where} is a web page (HTML), not a calendar")
    physical = text.split("\n")
    logical = _unfold(physical)
    keep = [True] * len(physical)
    event_lines: list[int | None] = []
    broken: dict[int, str] = {}
    stack: list[tuple[str, int]] = []
    closed_at: int | None = None
    for number, last, line in logical:
        if not line.strip():
            keep[number - 1 : last] = [False] * (last - number + 1)
            continue
        if closed_at is not None:
            raise CalendarError(
                f"{where}, line {number}: more text after END:VCALENDAR on line {closed_at} "
                "(only one calendar per file is supported)"
            )
        if not stack and line.strip().upper() != "BEGIN:VCALENDAR":
            raise CalendarError(
                f'{where} is not an iCalendar calendar: it should start with BEGIN:VCALENDAR, line {number} says "{_cut(line)}"'
            )
        if not _CONTENT_LINE.match(line) or ":" not in line:
            in_event = next((i for i, (name, _) in enumerate(stack) if name == "VEVENT"), None)
            if in_event is None:
                raise CalendarError(f'{where}, line {number}: "{_cut(line)}" is not an iCalendar line')
            broken.setdefault(len(event_lines) - 1, f'line {number} cannot be read ("{_cut(line)}")')
            keep[number - 1 : last] = [False] * (last - number + 1)
            continue
        name, _, value = line.partition(":")
        name = name.strip().upper()
        value = value.strip().upper()
        if name == "BEGIN":
            if value == "VEVENT":
                event_lines.append(number)
            stack.append((value, number))
        elif name == "END":
            if not stack or stack[-1][0] != value:
                opened = f"{stack[-1][0]} opened on line {stack[-1][1]} is still open" if stack else "nothing is open"
                raise CalendarError(f"{where}, line {number}: END:{value} does not fit ({opened})")
            stack.pop()
            if not stack:
                closed_at = number
    if stack:
        name, number = stack[-1]
        raise CalendarError(
            f"{where} is incomplete: BEGIN:{name} on line {number} is never closed with END:{name} "
            "(the file may have been cut off)"
        )
    if not all(keep):
        text = "\n".join(line for line, kept in zip(physical, keep) if kept)
    import icalendar  # not at start-up: only where calendars are read

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as error:  # noqa: BLE001 - icalendar raises more than ValueError on odd input
        raise CalendarError(f"{where} cannot be read as a calendar: {_cut(str(error) or type(error).__name__, 200)}") from None
    if len(list(calendar.walk("VEVENT"))) != len(event_lines):
        event_lines = [None] * len(list(calendar.walk("VEVENT")))  # should not happen; then lines are unknown
    return CalendarText(calendar, event_lines, broken)


def _decode(data: bytes | str, where: str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CalendarError(f"{where}, line {line}: not readable text (a calendar must be in UTF-8)") from None


def _unfold(physical: list[str]) -> list[tuple[int, int, str]]:
    """Logical lines as (first line number, last line number, text): a line starting with a space or
    tab continues the one before (RFC 5545 §3.1)."""
    logical: list[tuple[int, int, str]] = []
    for number, raw in enumerate(physical, start=1):
        line = raw.rstrip("\r")
        if line[:1] in (" ", "\t") and logical:
            first, _, text = logical[-1]
            logical[-1] = (first, number, text + line[1:])
        else:
            logical.append((number, number, line))
    return logical


def _cut(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
