"""Ideas for activities from residents, the support (hearts) others give them, and what staff let on the wall.

The idea wall is public, so staff decide what it shows: with ``wall = "after_review"`` (the default) an
idea shows only once staff approved it; with ``"at_once"`` it shows as soon as it is left. Staff can hide
any idea at any time. Both are ``moderation`` records (uploaded like any other, so the office knows);
the latest one about an idea counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from kiosk.core.records import Recorder, RecordType
from kiosk.core.text import IDEA_TEXT_MAX, TITLE_MAX, kept_contact, kept_text
from kiosk.errors import ValidationError

CATEGORIES = ("walking", "cooking", "making", "trip", "learning", "other")
#: How far back the idea wall looks (ideas older than this leave the kiosk with retention anyway).
WALL_DAYS = 60
#: When a new idea shows on the wall: once staff approved it, or at once.
WALL_MODES = ("after_review", "at_once")
#: What staff can do with an idea.
MODERATIONS = ("approve", "hide")


def propose(
    recorder: Recorder,
    category: str,
    title: str = "",
    text: str = "",
    consent: bool = False,
    first_name: str = "",
    phone: str = "",
) -> dict[str, Any]:
    """Store an idea. The category alone is an idea too: typing is optional. As with a question, what was
    typed never refuses the idea (see :func:`kiosk.core.question.ask`)."""
    if category not in CATEGORIES:
        raise ValidationError("bad_category", f"unknown category {str(category)[:40]!r}")
    contact, left_out = kept_contact(consent, first_name, phone)
    data: dict[str, Any] = {"category": category, "title": kept_text(title, TITLE_MAX),
                            "text": kept_text(text, IDEA_TEXT_MAX), **contact}
    if left_out:
        data["left_out"] = left_out
    return recorder.record(RecordType.IDEA, data)


def support(recorder: Recorder, idea_id: str) -> dict[str, Any]:
    """A heart for an idea (the UI allows one per idea per visit)."""
    if not isinstance(idea_id, str) or not 0 < len(idea_id) <= 64:
        raise ValidationError("bad_idea", "unknown idea")
    return recorder.record(RecordType.VOTE, {"idea": idea_id})


def moderate(recorder: Recorder, idea_id: str, action: str) -> dict[str, Any]:
    """Staff approve an idea for the wall, or hide it: a ``moderation`` record."""
    if action not in MODERATIONS:
        raise ValidationError("bad_moderation", f"a moderation is one of {', '.join(MODERATIONS)}, got {str(action)[:40]!r}")
    if not isinstance(idea_id, str) or not 0 < len(idea_id) <= 64:
        raise ValidationError("bad_idea", "unknown idea")
    return recorder.record(RecordType.MODERATION, {"idea": idea_id, "action": action})


@dataclass(frozen=True)
class WallIdea:
    id: str
    category: str
    title: str
    text: str
    created_at: str
    support: int
    #: ``waiting`` (for staff to look at it), ``shown`` or ``hidden``.
    status: str = "shown"


def all_ideas(records: Iterable[dict[str, Any]], wall: str = "after_review") -> list[WallIdea]:
    """Every idea with its support and status, most supported first, then newest first. No contact details.
    ``wall`` is the kiosk's ``[ideas] wall`` setting (see :data:`WALL_MODES`)."""
    records = list(records)
    votes: dict[str, int] = {}
    decided: dict[str, str] = {}  # idea -> the latest moderation (records come in the order written)
    for record in records:
        data = record.get("data") or {}
        if record["type"] == RecordType.VOTE:
            votes[data["idea"]] = votes.get(data["idea"], 0) + 1
        elif record["type"] == RecordType.MODERATION:
            decided[data.get("idea", "")] = data.get("action", "")
    unreviewed = "shown" if wall == "at_once" else "waiting"
    ideas = [
        WallIdea(r["id"], r["data"]["category"], r["data"].get("title", ""), r["data"].get("text", ""),
                 r["created_at"], votes.get(r["id"], 0),
                 {"approve": "shown", "hide": "hidden"}.get(decided.get(r["id"], ""), unreviewed))
        for r in records
        if r["type"] == RecordType.IDEA
    ]
    ideas.sort(key=lambda idea: idea.created_at, reverse=True)
    ideas.sort(key=lambda idea: idea.support, reverse=True)  # stable: newest first within equal support
    return ideas


def idea_wall(records: Iterable[dict[str, Any]], wall: str = "after_review") -> list[WallIdea]:
    """The ideas the public wall shows (see :func:`all_ideas`)."""
    return [idea for idea in all_ideas(records, wall) if idea.status == "shown"]


WALL_TYPES = (RecordType.IDEA, RecordType.VOTE, RecordType.MODERATION)


def recent_ideas(store, today: date, wall: str = "after_review") -> list[WallIdea]:
    """Every idea of the last :data:`WALL_DAYS` days with its status (for staff), from ``store`` (a
    Repository): only ideas, votes and moderations are read."""
    since = today - timedelta(days=WALL_DAYS)
    return all_ideas(store.records_since(since, types=WALL_TYPES), wall)


def recent_wall(store, today: date, wall: str = "after_review") -> list[WallIdea]:
    """The public idea wall of the last :data:`WALL_DAYS` days (see :func:`recent_ideas`)."""
    return [idea for idea in recent_ideas(store, today, wall) if idea.status == "shown"]
