"""Realistic synthetic visitors for demos, staff training, benchmarks and crash tests.

They go through the very same use cases and repository as real visitors; ``data.demo`` marks check-ins
(the other record types carry no free field for it, so keep demo data in a separate data folder:
``KIOSK_DATA_DIR``, so that demo days never mix with real ones).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator

from kiosk.clock import TIMEZONE
from kiosk.core import feedback, ideas, question
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder, RecordType

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


#: What ``kiosk demo-data`` can make, in the order it makes them (votes need ideas first).
DEMO_KINDS: dict[str, Callable[[Recorder, int, random.Random], Iterator[dict[str, Any]]]] = {
    "checkins": demo_checkins,
    "questions": demo_questions,
    "ideas": demo_ideas,
    "votes": demo_votes,
    "feedback": demo_feedback,
}
