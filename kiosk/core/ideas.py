"""Ideas for activities from residents, and the support (hearts) others give them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from kiosk.core.records import Recorder, RecordType
from kiosk.core.text import IDEA_TEXT_MAX, TITLE_MAX, clean_text, contact_data
from kiosk.errors import ValidationError

CATEGORIES = ("walking", "cooking", "making", "trip", "learning", "other")
#: How far back the idea wall looks (ideas older than this leave the kiosk with retention anyway).
WALL_DAYS = 60


def propose(
    recorder: Recorder,
    category: str,
    title: str = "",
    text: str = "",
    consent: bool = False,
    first_name: str = "",
    phone: str = "",
) -> dict[str, Any]:
    """Store an idea. The category alone is an idea too: typing is optional."""
    if category not in CATEGORIES:
        raise ValidationError("bad_category", f"unknown category {str(category)[:40]!r}")
    data = {
        "category": category,
        "title": clean_text(title, TITLE_MAX, "title"),
        "text": clean_text(text, IDEA_TEXT_MAX, "idea"),
        **contact_data(consent, first_name, phone),
    }
    return recorder.record(RecordType.IDEA, data)


def support(recorder: Recorder, idea_id: str) -> dict[str, Any]:
    """A heart for an idea (the UI allows one per idea per visit)."""
    if not isinstance(idea_id, str) or not 0 < len(idea_id) <= 64:
        raise ValidationError("bad_idea", "unknown idea")
    return recorder.record(RecordType.VOTE, {"idea": idea_id})


@dataclass(frozen=True)
class WallIdea:
    id: str
    category: str
    title: str
    text: str
    created_at: str
    support: int


def idea_wall(records: Iterable[dict[str, Any]]) -> list[WallIdea]:
    """The ideas with their support, most supported first, then newest first. No contact details."""
    records = list(records)
    votes: dict[str, int] = {}
    for record in records:
        if record["type"] == RecordType.VOTE:
            votes[record["data"]["idea"]] = votes.get(record["data"]["idea"], 0) + 1
    ideas = [
        WallIdea(r["id"], r["data"]["category"], r["data"].get("title", ""), r["data"].get("text", ""),
                 r["created_at"], votes.get(r["id"], 0))
        for r in records
        if r["type"] == RecordType.IDEA
    ]
    ideas.sort(key=lambda idea: idea.created_at, reverse=True)
    ideas.sort(key=lambda idea: idea.support, reverse=True)  # stable: newest first within equal support
    return ideas


def recent_wall(store, today: date) -> list[WallIdea]:
    """The idea wall of the last :data:`WALL_DAYS` days, from ``store`` (a Repository): only ideas and votes
    are read."""
    since = today - timedelta(days=WALL_DAYS)
    return idea_wall(store.records_since(since, types=(RecordType.IDEA, RecordType.VOTE)))
