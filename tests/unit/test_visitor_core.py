"""Questions, ideas, support and smileys in the core, on a real repository."""

from datetime import timedelta

import pytest

from kiosk.core import feedback, ideas, question
from kiosk.core.records import Recorder
from kiosk.core.text import clean_text
from kiosk.errors import ValidationError
from kiosk.storage import Repository
from clocks import StepClock


@pytest.fixture
def recorder(tmp_path):
    with Repository(tmp_path) as repo:
        yield Recorder(repo, StepClock(), "Zillebeke")


def test_tickets_count_up_per_day(recorder):
    first = question.ask(recorder, "paperwork", True)
    second = question.ask(recorder, "digital", False, "Hoe werkt itsme? 📱")
    assert (first["data"]["ticket"], second["data"]["ticket"]) == (1, 2)
    assert second["data"]["text"] == "Hoe werkt itsme? 📱"
    recorder.clock.moment += timedelta(days=1)
    assert question.ask(recorder, "health", True)["data"]["ticket"] == 1


def test_contact_only_with_consent(recorder):
    with pytest.raises(ValidationError) as caught:
        question.ask(recorder, "housing", True, first_name="Maria", consent=False)
    assert caught.value.code == "no_consent"
    stored = question.ask(recorder, "housing", True, consent=True, first_name="Maria", phone="0470 12 34 56")
    assert stored["data"]["first_name"] == "Maria" and stored["data"]["phone"] == "0470 12 34 56"
    assert "phone" not in question.ask(recorder, "housing", True, consent=True)["data"]


@pytest.mark.parametrize("bad", ["12", "call me", "+32 470 12 34 56 78 90 12"])
def test_phone_numbers_are_checked(recorder, bad):
    with pytest.raises(ValidationError):
        question.ask(recorder, "other", True, consent=True, phone=bad)


def test_text_keeps_unicode_drops_control_characters_and_is_limited():
    assert clean_text("  Été\u0000 à l'école\n‏שלום  ", 100, "t") == "Été à l'école\n‏שלום"
    with pytest.raises(ValidationError) as caught:
        clean_text("x" * 5_000_000, 300, "question")
    assert caught.value.code == "too_long"
    with pytest.raises(ValidationError):
        question.ask(Recorder(None, StepClock(), "x"), "nonsense", True)


def test_idea_wall_orders_by_support_then_newest(recorder):
    walk = ideas.propose(recorder, "walking", "Wandeling naar de Kemmelberg")
    soup = ideas.propose(recorder, "cooking", "Soep maken")
    swap = ideas.propose(recorder, "making", "")
    ideas.support(recorder, walk["id"])
    ideas.support(recorder, walk["id"])
    ideas.support(recorder, swap["id"])
    wall = ideas.idea_wall(recorder.store.records_for_day("2027-04-20"))
    assert [(i.id, i.support) for i in wall] == [(walk["id"], 2), (swap["id"], 1), (soup["id"], 0)]
    assert not hasattr(wall[0], "phone")
    with pytest.raises(ValidationError):
        ideas.propose(recorder, "rockets")
    with pytest.raises(ValidationError):
        ideas.propose(recorder, "trip", "t" * 81)


def test_smiley_mashing_counts_once(recorder):
    desk = feedback.FeedbackDesk(recorder)
    assert desk.give(4)["data"] == {"score": 4, "where": "home"}
    assert [desk.give(score) for score in (1, 2, 3, 1, 2, 3, 4, 1)] == [None] * 8  # a long run, 5 s apart
    recorder.clock.moment += feedback.MIN_INTERVAL
    assert desk.give(2)["data"]["score"] == 2
    with pytest.raises(ValidationError):
        desk.give(5)
