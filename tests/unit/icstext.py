"""Writing small iCalendar texts for tests, the way calendar programs write them (CRLF line ends)."""

from __future__ import annotations

from datetime import date, datetime

from kiosk.clock import TIMEZONE


def calendar(*events: str, header: str = "") -> str:
    """A VCALENDAR around ``events`` (each the lines of one VEVENT without BEGIN/END)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//NL"]
    lines += [line for line in header.strip().splitlines() if line]
    for event in events:
        lines += ["BEGIN:VEVENT", *[line.strip() for line in event.strip().splitlines()], "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIMEZONE)


def day(text: str) -> date:
    return date.fromisoformat(text)


WEEKLY_MEETING = """
UID:meeting@test
SUMMARY:Ontmoetingsmoment
DTSTART;TZID=Europe/Brussels:20270316T093000
DTEND;TZID=Europe/Brussels:20270316T120000
RRULE:FREQ=WEEKLY;BYDAY=TU
LOCATION:Cafetaria OC In 't Riet\\, Zillebeke
CATEGORIES:Ontmoeting
DESCRIPTION:Koffie en een babbel.
"""
