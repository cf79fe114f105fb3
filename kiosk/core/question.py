"""A question for staff: a theme, whether to talk today, optional text and contact, and a ticket number."""

from __future__ import annotations

from typing import Any

from kiosk.core.records import Recorder, RecordType
from kiosk.core.text import QUESTION_MAX, clean_text, contact_data
from kiosk.errors import ValidationError

THEMES = ("paperwork", "homehelp", "digital", "money", "housing", "health", "other")


def next_ticket(records_today: list[dict[str, Any]]) -> int:
    """Tickets count up from 1 each day, per kiosk."""
    tickets = [r["data"].get("ticket", 0) for r in records_today if r["type"] == RecordType.QUESTION]
    return max(tickets, default=0) + 1


def ask(
    recorder: Recorder,
    theme: str,
    talk_today: bool,
    text: str = "",
    consent: bool = False,
    first_name: str = "",
    phone: str = "",
) -> dict[str, Any]:
    """Store a question with today's next ticket number; return the record (``data.ticket``)."""
    if theme not in THEMES:
        raise ValidationError("bad_theme", f"unknown theme {str(theme)[:40]!r}")
    if not isinstance(talk_today, bool):
        raise ValidationError("bad_talk_today", "talk_today must be yes or no")
    data: dict[str, Any] = {
        "theme": theme,
        "talk_today": talk_today,
        "text": clean_text(text, QUESTION_MAX, "question"),
        **contact_data(consent, first_name, phone),
    }
    today = recorder.clock.now().date()
    data["ticket"] = next_ticket(recorder.store.records_for_day(today))
    return recorder.record(RecordType.QUESTION, data)
