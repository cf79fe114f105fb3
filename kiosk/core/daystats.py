"""The numbers of one day, for the staff screens and the day's report. Pure: it only reads records.

Check-ins (visits, persons, first-timers, card holders new and returning) and how they spread over the
hours; the question queue; ideas with their support; sign-ups per activity; the smileys. Records of a
type or shape it does not know are skipped, never an error: the same code reads old and new days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from kiosk.core.feedback import SCORES
from kiosk.core.ideas import WallIdea, all_ideas
from kiosk.core.question import QueueItem, question_queue
from kiosk.core.records import RecordType
from kiosk.core.signup import cancelled_signups

#: The chart always shows at least these hours (the centre opens in the morning).
DEFAULT_HOURS = (9, 12)


@dataclass(frozen=True)
class HourCount:
    hour: int
    visits: int
    persons: int


@dataclass(frozen=True)
class SignupTotal:
    """Sign-ups for one activity (occurrence): how many persons, in how many sign-ups."""

    title: str
    start: str
    persons: int
    signups: int


@dataclass(frozen=True)
class DayStats:
    day: str
    visits: int = 0
    adults: int = 0
    children: int = 0
    first_timers: int = 0  # check-ins that said "the first time"
    card_visits: int = 0  # check-ins with a member card
    cards_new: int = 0  # different cards seen for the first time that day
    cards_returning: int = 0  # different cards the kiosk saw on an earlier day
    hours: tuple[HourCount, ...] = ()
    questions: tuple[QueueItem, ...] = ()
    ideas: tuple[WallIdea, ...] = ()
    votes: int = 0
    signups: tuple[SignupTotal, ...] = ()
    smileys: dict[int, int] = field(default_factory=dict)
    locations: tuple[str, ...] = ()

    @property
    def persons(self) -> int:
        return self.adults + self.children

    @property
    def open_questions(self) -> list[QueueItem]:
        return [q for q in self.questions if q.is_open]

    def handled(self, outcome: str) -> int:
        return sum(1 for q in self.questions if q.outcome == outcome)

    @property
    def feedback_count(self) -> int:
        return sum(self.smileys.values())

    @property
    def busiest_hour(self) -> int:
        """The most persons in one hour (for the chart's scale); 0 on a quiet day."""
        return max((h.persons for h in self.hours), default=0)


def day_stats(day: str, records: Iterable[dict[str, Any]], cards_seen: Mapping[str, str] | None = None) -> DayStats:
    """The statistics of ``day`` (YYYY-MM-DD) from its records.

    ``cards_seen`` (card id -> first day seen, from :mod:`kiosk.core.cards`) tells returning card holders
    from new ones; without it, every card counts as new.
    """
    records = [r for r in records if isinstance(r, dict) and isinstance(r.get("data"), dict)]
    cards_seen = cards_seen or {}
    visits = adults = children = first_timers = card_visits = 0
    by_hour: dict[int, list[int]] = {}
    cards: set[str] = set()
    for record in records:
        if record.get("type") != RecordType.CHECKIN:
            continue
        data = record["data"]
        grown, young = _count(data.get("adults")), _count(data.get("children"))
        visits, adults, children = visits + 1, adults + grown, children + young
        first_timers += data.get("first_time") is True
        if isinstance(data.get("card"), str):
            card_visits += 1
            cards.add(data["card"])
        hour = _hour(record.get("created_at"))
        if hour is not None:
            slot = by_hour.setdefault(hour, [0, 0])
            slot[0] += 1
            slot[1] += grown + young
    returning = {card for card in cards if str(cards_seen.get(card, day)) < day}
    return DayStats(
        day=day,
        visits=visits,
        adults=adults,
        children=children,
        first_timers=first_timers,
        card_visits=card_visits,
        cards_new=len(cards - returning),
        cards_returning=len(returning),
        hours=_hours(by_hour),
        questions=tuple(question_queue(r for r in records if _has(r, "question", "handled"))),
        ideas=tuple(all_ideas(r for r in records if _is_idea_or_vote(r))),
        votes=sum(1 for r in records if r.get("type") == RecordType.VOTE),
        signups=signups_per_activity(records),
        smileys=_smileys(records),
        locations=tuple(dict.fromkeys(str(r["location"]) for r in records if r.get("location"))),
    )


def signups_per_activity(records: Iterable[dict[str, Any]]) -> tuple[SignupTotal, ...]:
    """Sign-ups grouped by activity: by the occurrence's key, else its uid, else its title. A sign-up
    cancelled by a ``signup_cancel`` record among ``records`` is left out."""
    records = list(records)
    cancelled = cancelled_signups(r for r in records if isinstance(r.get("data"), dict))
    totals: dict[str, list] = {}
    for record in records:
        if record.get("type") != RecordType.SIGNUP or record.get("id") in cancelled:
            continue
        data = record["data"]
        key = str(data.get("occurrence") or data.get("activity") or data.get("uid") or data.get("title") or "")
        entry = totals.setdefault(key, [str(data.get("title") or "?"), str(data.get("start") or ""), 0, 0])
        entry[2] += _count(data.get("persons"), default=1)
        entry[3] += 1
    found = [SignupTotal(title, start, persons, count) for title, start, persons, count in totals.values()]
    return tuple(sorted(found, key=lambda s: (s.start, s.title)))


def _smileys(records: list[dict[str, Any]]) -> dict[int, int]:
    counts = {score: 0 for score in SCORES}
    for record in records:
        score = record["data"].get("score") if record.get("type") == RecordType.FEEDBACK else None
        if score in counts and not isinstance(score, bool):
            counts[score] += 1
    return counts


def _hours(by_hour: dict[int, list[int]]) -> tuple[HourCount, ...]:
    low = min([*by_hour, DEFAULT_HOURS[0]])
    high = max([*by_hour, DEFAULT_HOURS[1]])
    return tuple(HourCount(h, *by_hour.get(h, (0, 0))) for h in range(low, high + 1))


def _has(record: dict[str, Any], *types: str) -> bool:
    if record.get("type") not in types or not isinstance(record.get("id"), str):
        return False
    data = record["data"]
    return record["type"] != RecordType.HANDLED or isinstance(data.get("question"), str)


def _is_idea_or_vote(record: dict[str, Any]) -> bool:
    data = record["data"]
    if record.get("type") == RecordType.IDEA:
        return isinstance(record.get("id"), str) and isinstance(data.get("category"), str)
    return record.get("type") in (RecordType.VOTE, RecordType.MODERATION) and isinstance(data.get("idea"), str)


def _count(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _hour(value: Any) -> int | None:
    try:
        return datetime.fromisoformat(value).hour
    except (TypeError, ValueError):
        return None
