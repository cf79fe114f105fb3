"""Realistic synthetic visitors and staff for demos, staff training, reports, benchmarks and crash tests.

They go through the very same use cases and repository as real visitors and staff; ``data.demo`` marks
check-ins (the other record types carry no free field for it, so keep demo data in a separate data folder:
``KIOSK_DATA_DIR``, so that demo days never mix with real ones). Sign-ups go to two made-up activities
in the coming days; staff cancel some of them, on the day of the sign-up or later; member cards come
from one fixed set, so that cards return on later days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator, Mapping

from kiosk.clock import TIMEZONE
from kiosk.core import feedback, ideas, participants, question
from kiosk.core.cards import check_in_card, new_card_id
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder, RecordType
from kiosk.core.signup import persons_signed_up, recent_signups, sign_up
from kiosk.errors import ValidationError

QUESTION_TEXTS = [
    "", "", "Ik begrijp de brief van de belastingen niet.", "Hoe installeer ik itsme op mijn gsm?",
    "Mijn energiefactuur is veel te hoog.", "Wie kan helpen met poetsen?", "Kan iemand mee naar de dokter?",
    "Aide pour remplir un formulaire en ligne.", "Where can I find a cheaper flat?",
]
IDEA_TITLES = {
    "walking": ["Wandeling langs de vijver", "Wandelen naar de Kemmelberg"],
    "cooking": ["Soep maken met groenten uit de tuin", "Samen pannenkoeken bakken"],
    "making": ["Breien en haken", "Vogelhuisjes timmeren"],
    "trip": ["Uitstap naar de zee", "Bezoek aan het In Flanders Fields Museum"],
    "learning": ["Les over de smartphone", "Nederlands oefenen bij een koffie"],
    "other": ["Een kaartnamiddag", "Samen naar de markt"],
}


FIRST_NAMES = ["Maria", "Jean", "Fatima", "Rik", "Zoë", "Ahmed", ""]
#: The member cards demo visitors scan: the same ones every day.
DEMO_CARDS = [new_card_id(random.Random(f"demo card {n}")) for n in range(12)]


@dataclass(frozen=True)
class DemoTerms:
    required: bool = True
    capacity: int | None = None


@dataclass(frozen=True)
class DemoActivity:
    """An activity that takes sign-ups, with what :class:`kiosk.core.signup.SignupOccurrence` asks."""

    uid: str
    title: str
    start: datetime
    ends_at: datetime
    signup: DemoTerms

    @property
    def key(self) -> str:
        return f"{self.uid}/{self.start.isoformat()}"


def demo_activities(day: date) -> list[DemoActivity]:
    """What visitors on ``day`` can sign up for: a meal in two days (12 places), a walk in five (no limit)."""
    def at(days: int, hour: int) -> datetime:
        later = day + timedelta(days=days)
        return datetime(later.year, later.month, later.day, hour, tzinfo=TIMEZONE)
    return [DemoActivity("samen-tafelen@demo", "Samen Tafelen", at(2, 12), at(2, 14), DemoTerms(True, 12)),
            DemoActivity("wandeling@demo", "Wandeling langs de vijver", at(5, 14), at(5, 16), DemoTerms())]


class ScriptedClock:
    """A clock that walks through opening hours (9:30 to 12:30) of one day, one step per call."""

    def __init__(self, day: date, steps: int):
        self._start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=TIMEZONE)
        self._step = timedelta(hours=3) / max(steps, 1)
        self._calls = 0

    def now(self) -> datetime:
        moment = self._start + self._step * self._calls
        self._calls += 1
        return moment


def demo_checkins(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for _ in range(count):
        adults = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        children = rng.choices([0, 1, 2, 3], weights=[7, 1, 1, 1])[0]
        reasons = rng.sample(["coffee", "question", "activity"], k=rng.choice([1, 1, 2]))
        yield check_in(recorder, adults, children, rng.random() < 0.2, reasons, demo=True)


def demo_questions(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for _ in range(count):
        contact = rng.random() < 0.3
        yield question.ask(
            recorder, rng.choice(question.THEMES), rng.random() < 0.6, rng.choice(QUESTION_TEXTS),
            consent=contact, first_name=rng.choice(["Maria", "Jean", "Fatima", "Rik"]) if contact else "",
            phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            if contact else "",
        )


def demo_ideas(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for _ in range(count):
        category = rng.choice(ideas.CATEGORIES)
        yield ideas.propose(recorder, category, rng.choice(IDEA_TITLES[category]))


def demo_votes(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    day = recorder.clock.now().date()
    known = [r["id"] for r in recorder.store.records_for_day(day) if r["type"] == RecordType.IDEA]
    for _ in range(count if known else 0):
        yield ideas.support(recorder, rng.choice(known))


def demo_feedback(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    desk = feedback.FeedbackDesk(recorder, min_interval=timedelta(0))
    for _ in range(count):
        yield desk.give(rng.choices(feedback.SCORES, weights=[1, 2, 6, 9])[0], rng.choice(["home", "done"]))


def demo_cards(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Card holders checking in with one scan (a card scanned twice within minutes counts once)."""
    for _ in range(count):
        visit = check_in_card(recorder, recorder.store, rng.choice(DEMO_CARDS))
        if visit.record is not None:
            yield visit.record


def demo_moderations(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Staff deciding on ideas still waiting (mostly onto the wall), the oldest first."""
    waiting = [idea for idea in ideas.recent_ideas(recorder.store, recorder.clock.now().date())
               if idea.status == "waiting"]
    for idea in sorted(waiting, key=lambda idea: idea.created_at)[:count]:
        yield ideas.moderate(recorder, idea.id, rng.choices(ideas.MODERATIONS, weights=[4, 1])[0])


def demo_signups(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Visitors signing up for :func:`demo_activities`; a full activity takes no more."""
    today = recorder.clock.now().date()
    for _ in range(count):
        activity = rng.choice(demo_activities(today))
        taken = persons_signed_up(recent_signups(recorder.store, today), activity)
        try:
            yield sign_up(recorder, activity, rng.choice([1, 1, 2, 3]), rng.choice(FIRST_NAMES), taken=taken)
        except ValidationError:  # full
            continue


def demo_cancels(recorder: Recorder, count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Staff cancelling sign-ups of the last days for activities on a later day."""
    today = recorder.clock.now().date()
    for _ in range(count):
        records = recent_signups(recorder.store, today)
        coming = [person.id for activity in participants.activity_lists(records) if activity.day > today.isoformat()
                  for person in activity.participants if not person.cancelled]
        if not coming:
            return
        yield participants.cancel(recorder, records, rng.choice(coming))


#: What ``kiosk demo-data`` can make, in the order it makes them (votes and decisions need ideas first).
DEMO_KINDS: dict[str, Callable[[Recorder, int, random.Random], Iterator[dict[str, Any]]]] = {
    "checkins": demo_checkins,
    "cards": demo_cards,
    "questions": demo_questions,
    "ideas": demo_ideas,
    "votes": demo_votes,
    "moderations": demo_moderations,
    "signups": demo_signups,
    "cancels": demo_cancels,
    "feedback": demo_feedback,
}


def demo_records(recorder: Recorder, counts: Mapping[str, int], rng: random.Random) -> Iterator[dict[str, Any]]:
    """``counts[kind]`` records of each kind asked for, in the order of :data:`DEMO_KINDS`; a kind not asked
    for reads neither the clock nor the stored records."""
    for kind, make in DEMO_KINDS.items():
        if counts.get(kind):
            yield from make(recorder, counts[kind], rng)
