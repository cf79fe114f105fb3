"""The words on a printed ticket, in the visitor's language: for a question (its number, very large) and
for a sign-up (the activity, day, time and place). Kivy-free; printing is :mod:`kiosk.export.ticket_printer`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk.export.ticket_printer import Ticket
from kiosk.ui.flows import THEME_CHOICES
from kiosk.i18n import N_, fill, format_day, translate

THEME_WORDS = {choice.key: choice.label for choice in THEME_CHOICES}
#: What the printer's problem means, for staff on the Today page (and ``kiosk doctor``).
PRINTER_PROBLEMS = {
    "no_paper": N_("The ticket printer has no paper. Put in a new roll."),
    "paper_low": N_("The ticket printer's paper is almost finished."),
    "not_found": N_("The ticket printer cannot be reached. Is it plugged in and switched on?"),
    "failed": N_("The ticket printer did not print the last ticket."),
}


def question_ticket(record: dict[str, Any], lang: str) -> Ticket:
    """A question's ticket: the number, "your number", the theme, when, and that staff will call it."""
    data, when = record["data"], _moment(record.get("created_at"))
    lines = [translate(THEME_WORDS.get(data.get("theme"), N_("Something else")), lang)]
    if when is not None:
        lines.append(f"{format_day(when.date(), lang)}  {when:%H:%M}")
    lines.append(translate(N_("A staff member will call your number."), lang))
    return Ticket(str(data.get("ticket", "")), translate(N_("Your number"), lang), tuple(lines))


def signup_ticket(record: dict[str, Any], lang: str, place: str = "") -> Ticket:
    """A sign-up's ticket: the activity, its day and time, the place, and for how many persons."""
    data = record["data"]
    start = _moment(data.get("start"))
    lines = [str(data.get("title", ""))]
    if start is not None:
        lines.append(format_day(start.date(), lang) + (f"  {start:%H:%M}" if len(str(data["start"])) > 10 else ""))
    if place:
        lines.append(place)
    lines.append(fill(translate(N_("For {n} persons"), lang), {"n": data.get("persons", 1)}, lang))
    if data.get("first_name"):
        lines.append(str(data["first_name"]))
    return Ticket("", translate(N_("You are signed up!"), lang), tuple(lines))


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day)
        return datetime.fromisoformat(value)
    except ValueError:
        return None
