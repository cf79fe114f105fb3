"""Questions, ideas, support and smileys in the core, on a real repository."""

from datetime import timedelta

import pytest

from kiosk.core import feedback, ideas, question
from kiosk.core.records import Recorder
from kiosk.core.text import QUESTION_MAX, clean_text, problem_with
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
    without = question.ask(recorder, "housing", True, first_name="Maria", consent=False)
    assert "first_name" not in without["data"] and "left_out" not in without["data"]
    stored = question.ask(recorder, "housing", True, consent=True, first_name="Maria", phone="0470 12 34 56")
    assert stored["data"]["first_name"] == "Maria" and stored["data"]["phone"] == "0470 12 34 56"
    assert "phone" not in question.ask(recorder, "housing", True, consent=True)["data"]


@pytest.mark.parametrize("bad", ["12", "call me", "+32 470 12 34 56 78 90 12", "0470 12 34 5", "047012345678"])
def test_a_phone_number_that_is_none_is_left_out_and_the_question_kept(recorder, bad):
    stored = question.ask(recorder, "other", True, "Energiefactuur", consent=True, first_name="Jan", phone=bad)
    assert stored["data"]["ticket"] >= 1 and stored["data"]["text"] == "Energiefactuur"
    assert stored["data"]["first_name"] == "Jan" and "phone" not in stored["data"]
    assert stored["data"]["left_out"] == ["phone"]
    assert problem_with("phone", bad) == "bad_phone"


@pytest.mark.parametrize("typed, kept", [
    ("(0470) 12 34 56", "0470 12 34 56"),
    ("0470.12.34.56", "0470 12 34 56"),
    ("0470/12.34.56", "0470 12 34 56"),
    ("0470-123456", "0470 12 34 56"),
    ("+32 470 12 34 56", "0470 12 34 56"),
    ("+32 (0)470 12 34 56", "0470 12 34 56"),
    ("0032 470 12 34 56", "0470 12 34 56"),
    ("057/20 12 34", "057 20 12 34"),
    ("02 123 45 67", "02 123 45 67"),
    ("+33 6 12 34 56 78", "+33612345678"),
])
def test_belgian_phone_formats_are_accepted_and_stored_normalised(recorder, typed, kept):
    assert problem_with("phone", typed) == ""
    assert question.ask(recorder, "other", True, consent=True, phone=typed)["data"]["phone"] == kept


def test_names_with_apostrophes_accents_and_emoji_are_kept(recorder):
    for name in ("D'Hondt", "Zoë", "Anne-Marie", "Jean 🙂", "  Ré  mi "):
        assert problem_with("name", name) == ""
    stored = question.ask(recorder, "other", True, consent=True, first_name="  Ré  mi ")
    assert stored["data"]["first_name"] == "Ré mi"
    assert problem_with("name", "1234") == "bad_name"


def test_five_megabytes_of_pasted_text_keep_the_question(recorder):
    stored = question.ask(recorder, "money", True, "Energiefactuur 💡 " + "x" * 5_000_000)
    assert stored["data"]["text"].startswith("Energiefactuur 💡") and len(stored["data"]["text"]) == QUESTION_MAX


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
    wall = ideas.idea_wall(recorder.store.records_for_day("2027-04-20"), wall="at_once")
    assert [(i.id, i.support) for i in wall] == [(walk["id"], 2), (swap["id"], 1), (soup["id"], 0)]
    assert not hasattr(wall[0], "phone")
    with pytest.raises(ValidationError):
        ideas.propose(recorder, "rockets")
    assert ideas.propose(recorder, "trip", "t" * 81)["data"]["title"] == "t" * 80  # cut, never refused


def test_smiley_mashing_counts_once(recorder):
    desk = feedback.FeedbackDesk(recorder)
    assert desk.give(4)["data"] == {"score": 4, "where": "home"}
    assert [desk.give(score) for score in (1, 2, 3, 1, 2, 3, 4, 1)] == [None] * 8  # a long run, 5 s apart
    recorder.clock.moment += feedback.MIN_INTERVAL
    assert desk.give(2)["data"]["score"] == 2
    with pytest.raises(ValidationError):
        desk.give(5)


def test_ideas_wait_for_review_and_staff_can_hide_any(recorder):
    soup = ideas.propose(recorder, "cooking", "Soep maken")
    walk = ideas.propose(recorder, "walking", "Wandelen")
    day = "2027-04-20"
    assert ideas.idea_wall(recorder.store.records_for_day(day)) == []  # after_review: nothing yet
    assert {i.status for i in ideas.all_ideas(recorder.store.records_for_day(day))} == {"waiting"}
    ideas.moderate(recorder, soup["id"], "approve")
    assert [i.id for i in ideas.idea_wall(recorder.store.records_for_day(day))] == [soup["id"]]
    ideas.moderate(recorder, soup["id"], "hide")
    assert ideas.idea_wall(recorder.store.records_for_day(day)) == []
    at_once = ideas.idea_wall(recorder.store.records_for_day(day), wall="at_once")
    assert [i.id for i in at_once] == [walk["id"]]  # hidden stays hidden either way
    with pytest.raises(ValidationError):
        ideas.moderate(recorder, soup["id"], "delete")


def test_the_smiley_window_is_a_setting(recorder):
    desk = feedback.FeedbackDesk(recorder, timedelta(seconds=0))
    assert all(desk.give(score) for score in (1, 2, 3))  # 0: every tap counts
