"""A question for staff: a theme, whether to talk today, optional text and contact, and a ticket number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from kiosk.core.records import Recorder, RecordType
from kiosk.core.text import QUESTION_MAX, kept_contact, kept_text
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
    """Store a question with today's next ticket number; return the record (``data.ticket``).

    What the visitor typed never makes the question fail: text is cut to :data:`QUESTION_MAX`, and a
    contact detail that cannot be kept (a phone number that is none) is left out and named in
    ``data.left_out``, so staff know to ask for it when they call the ticket.
    """
    if theme not in THEMES:
        raise ValidationError("bad_theme", f"unknown theme {str(theme)[:40]!r}")
    if not isinstance(talk_today, bool):
        raise ValidationError("bad_talk_today", "talk_today must be yes or no")
    contact, left_out = kept_contact(consent, first_name, phone)
    data: dict[str, Any] = {"theme": theme, "talk_today": talk_today, "text": kept_text(text, QUESTION_MAX), **contact}
    if left_out:
        data["left_out"] = left_out
    today = recorder.clock.now().date()
    data["ticket"] = next_ticket(recorder.store.records_for_day(today))
    return recorder.record(RecordType.QUESTION, data)


# -- the queue staff work through ------------------------------------------------------------------------
#: What staff say about a question: they helped, or it was no longer needed.
OUTCOMES = ("helped", "not_needed")


@dataclass(frozen=True)
class QueueItem:
    """A question as staff see it. ``outcome`` is None while it is open; ``erased`` once its personal
    details were wiped (see :meth:`kiosk.storage.Repository.erase_personal`)."""

    id: str
    ticket: int
    theme: str
    talk_today: bool
    text: str
    first_name: str
    phone: str
    created_at: str
    outcome: str | None = None
    erased: bool = False

    @property
    def is_open(self) -> bool:
        return self.outcome is None


def question_queue(records: Iterable[dict[str, Any]]) -> list[QueueItem]:
    """The questions among ``records`` in ticket order, each with what staff said about it (if anything)."""
    records = list(records)
    outcome: dict[str, str] = {}
    for record in records:
        if record["type"] == RecordType.HANDLED:
            outcome.setdefault(record["data"].get("question", ""), record["data"].get("outcome", ""))
    items = [
        QueueItem(
            id=r["id"],
            ticket=int(r["data"].get("ticket", 0)),
            theme=r["data"].get("theme", "other"),
            talk_today=bool(r["data"].get("talk_today")),
            text=r["data"].get("text", ""),
            first_name=r["data"].get("first_name", ""),
            phone=r["data"].get("phone", ""),
            created_at=r["created_at"],
            outcome=outcome.get(r["id"]),
            erased=bool(r["data"].get("erased")),
        )
        for r in records
        if r["type"] == RecordType.QUESTION
    ]
    return sorted(items, key=lambda item: (item.ticket, item.created_at))


def minutes_waiting(item: QueueItem, now: datetime) -> int:
    """Whole minutes since ``item`` was asked (0 when its time cannot be read or lies ahead)."""
    try:
        asked = datetime.fromisoformat(item.created_at)
        return max(0, int((now - asked).total_seconds() // 60))
    except (TypeError, ValueError):
        return 0


def waiting_to_talk(items: Iterable[QueueItem], now: datetime) -> tuple[int, int]:
    """How many open questions want to talk today, and the longest of their waits in minutes."""
    waits = [minutes_waiting(item, now) for item in items if item.is_open and item.talk_today]
    return len(waits), max(waits, default=0)


def handle(recorder: Recorder, question_id: str, outcome: str) -> dict[str, Any]:
    """Staff helped with today's question ``question_id`` (or it was not needed): store a ``handled`` record.

    ValidationError codes: ``bad_outcome``, ``unknown_question`` (not one of today's), ``already_handled``.
    """
    if outcome not in OUTCOMES:
        raise ValidationError("bad_outcome", f"an outcome is one of {', '.join(OUTCOMES)}, got {str(outcome)[:40]!r}")
    today = recorder.store.records_for_day(recorder.clock.now().date())
    item = next((q for q in question_queue(today) if q.id == question_id), None)
    if item is None:
        raise ValidationError("unknown_question", "that is not one of today's questions")
    if not item.is_open:
        raise ValidationError("already_handled", f"question {item.ticket} was already handled")
    return recorder.record(RecordType.HANDLED, {"question": question_id, "ticket": item.ticket, "outcome": outcome})
