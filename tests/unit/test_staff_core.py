"""Staff's view of a day in the core: the question queue, the day's numbers, member cards and the scanner."""

import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core import cards, feedback, ideas, question
from kiosk.core.checkin import check_in
from kiosk.core.daystats import day_stats
from kiosk.core.records import Recorder, RecordType
from kiosk.errors import ValidationError
from clocks import FixedClock as SetClock


@pytest.fixture
def recorder(repo):
    return Recorder(repo, SetClock(), "Zillebeke")


def today(recorder):
    return recorder.store.records_for_day(recorder.clock.now().date())


# -- the question queue ------------------------------------------------------------------------------
def test_handled_questions_leave_the_open_queue(recorder):
    first = question.ask(recorder, "paperwork", True, "Een brief", consent=True, first_name="Maria", phone="0470 12 34 56")
    second = question.ask(recorder, "digital", False)
    third = question.ask(recorder, "money", True)
    done = question.handle(recorder, second["id"], "helped")
    assert done["type"] == RecordType.HANDLED
    assert done["data"] == {"question": second["id"], "ticket": 2, "outcome": "helped"}
    question.handle(recorder, first["id"], "not_needed")
    queue = question.question_queue(today(recorder))
    assert [(q.ticket, q.outcome) for q in queue] == [(1, "not_needed"), (2, "helped"), (3, None)]
    assert [q.id for q in queue if q.is_open] == [third["id"]]
    assert (queue[0].first_name, queue[0].phone, queue[0].text) == ("Maria", "0470 12 34 56", "Een brief")


def test_a_question_is_handled_once_and_only_todays(recorder):
    asked = question.ask(recorder, "health", True)
    question.handle(recorder, asked["id"], "helped")
    for question_id, outcome, code in [(asked["id"], "helped", "already_handled"),
                                       ("no-such-id", "helped", "unknown_question"),
                                       (asked["id"], "maybe", "bad_outcome")]:
        with pytest.raises(ValidationError) as caught:
            question.handle(recorder, question_id, outcome)
        assert caught.value.code == code
    recorder.clock.moment += timedelta(days=1)
    with pytest.raises(ValidationError):
        question.handle(recorder, asked["id"], "not_needed")


# -- the day's numbers -------------------------------------------------------------------------------
def test_day_stats_count_visits_hours_smileys_ideas_and_signups(recorder, repo):
    clock = recorder.clock
    check_in(recorder, 2, 1, True, ["coffee"])
    clock.moment += timedelta(minutes=10)
    check_in(recorder, 1, 0, False, ["question"])
    clock.moment += timedelta(hours=2)  # 11:40
    check_in(recorder, 1, 2, None, ["activity"])
    idea = ideas.propose(recorder, "walking", "Wandeling")
    ideas.propose(recorder, "cooking", "Soep")
    ideas.support(recorder, idea["id"])
    ideas.support(recorder, idea["id"])
    desk = feedback.FeedbackDesk(recorder, min_interval=timedelta(0))
    for score in (4, 4, 3, 1):
        desk.give(score)
    asked = question.ask(recorder, "housing", True)
    question.ask(recorder, "other", False)
    question.handle(recorder, asked["id"], "helped")
    for persons, title in ((2, "Samen Tafelen"), (3, "Samen Tafelen"), (1, "Gezondheidswandeling")):
        recorder.record(RecordType.SIGNUP, {"activity": title.lower(), "occurrence": f"{title}@2027-04-22",
                                            "title": title, "start": "2027-04-22T12:00:00+02:00", "persons": persons})
    stats = day_stats("2027-04-20", today(recorder))
    assert (stats.visits, stats.adults, stats.children, stats.persons, stats.first_timers) == (3, 4, 3, 7, 1)
    assert [(h.hour, h.visits, h.persons) for h in stats.hours] == [(9, 2, 4), (10, 0, 0), (11, 1, 3), (12, 0, 0)]
    assert stats.busiest_hour == 4
    assert stats.smileys == {1: 1, 2: 0, 3: 1, 4: 2} and stats.feedback_count == 4
    assert [(i.title, i.support) for i in stats.ideas] == [("Wandeling", 2), ("Soep", 0)] and stats.votes == 2
    assert [q.ticket for q in stats.open_questions] == [2] and stats.handled("helped") == 1
    assert [(s.title, s.persons, s.signups) for s in stats.signups] == [("Gezondheidswandeling", 1, 1),
                                                                        ("Samen Tafelen", 5, 2)]
    assert stats.locations == ("Zillebeke",)


def test_day_stats_of_an_empty_or_odd_day_never_break():
    empty = day_stats("2027-04-20", [])
    assert (empty.visits, empty.signups, empty.questions, empty.busiest_hour) == (0, (), (), 0)
    assert [h.hour for h in empty.hours] == [9, 10, 11, 12]
    odd = [
        {"id": "1", "type": "signup", "created_at": "2027-04-20T10:00:00+02:00", "data": {}},
        {"id": "2", "type": "signup", "created_at": "2027-04-20T10:00:00+02:00", "data": {"title": "Soep", "persons": "x"}},
        {"id": "3", "type": "checkin", "created_at": "not a time", "data": {"adults": True, "children": -1}},
        {"id": "4", "type": "future-type", "created_at": "2027-04-20T10:00:00+02:00", "data": {}},
        {"id": "5", "type": "feedback", "created_at": "2027-04-20T10:00:00+02:00", "data": {"score": True}},
        {"id": "6", "type": "handled", "created_at": "2027-04-20T10:00:00+02:00", "data": {}},
        {"id": "7", "type": "checkin", "data": None},
    ]
    stats = day_stats("2027-04-20", odd)
    assert [(s.title, s.persons, s.signups) for s in stats.signups] == [("?", 1, 1), ("Soep", 1, 1)]
    assert (stats.visits, stats.persons, stats.feedback_count) == (1, 0, 0)


# -- member cards ------------------------------------------------------------------------------------
def test_card_ids_are_random_and_parse_back_from_what_a_scanner_types():
    made = {cards.new_card_id() for _ in range(200)}
    assert len(made) == 200
    card = cards.new_card_id(random.Random(5))
    assert len(card) == cards.CARD_LENGTH and card.startswith("TPK") and set(card[3:]) <= set(cards.ALPHABET)
    assert cards.parse_card(card) == card
    assert cards.parse_card(f"  {card.lower()}\r") == card  # caps lock, stray white space
    assert cards.parse_card(cards.printed_form(card)) == card  # typed from the print, with spaces
    assert cards.parse_card("-".join(cards.printed_form(card).split())) == card


@given(st.randoms(use_true_random=False), st.integers(3, cards.CARD_LENGTH - 1), st.data())
def test_one_wrong_letter_or_a_swap_is_always_caught(rng, position, data):
    card = cards.new_card_id(rng)
    other = data.draw(st.sampled_from([ch for ch in cards.ALPHABET if ch != card[position]]))
    wrong = card[:position] + other + card[position + 1:]
    with pytest.raises(ValidationError) as caught:
        cards.parse_card(wrong)
    assert caught.value.code == "garbled"
    if position < cards.CARD_LENGTH - 1 and card[position] != card[position + 1]:
        swapped = card[:position] + card[position + 1] + card[position] + card[position + 2:]
        with pytest.raises(ValidationError):
            cards.parse_card(swapped)


@pytest.mark.parametrize("text, code", [
    ("https://example.com/x", "not_our_card"), ("5411234567890", "not_our_card"), ("", "not_our_card"),
    ("TPK", "garbled"), ("TPKBCDEFGHJKL", "garbled"), ("TPK1234567890B", "garbled"), ("TPKBCDEFGHJKLNPX", "garbled"),
    ("TPKÉCDEFGHJKLB", "garbled"),
])
def test_other_codes_and_garbage_are_refused_in_words(text, code):
    with pytest.raises(ValidationError) as caught:
        cards.parse_card(text)
    assert caught.value.code == code


def test_scan_buffer_takes_a_quick_burst_ended_by_enter():
    buffer = cards.ScanBuffer(max_gap=0.3)
    t = 100.0
    for ch in "TPKBCD":
        t += 0.01
        buffer.type(ch, t)
    assert buffer.enter(t + 0.01) == "TPKBCD"
    assert buffer.enter(t + 0.02) is None  # Enter alone
    buffer.type("x", t + 1)
    for ch in "TPK":
        buffer.type(ch, t + 2)  # after a pause: the stray "x" is forgotten
    assert buffer.enter(t + 2.01) == "TPK"
    buffer.type("TPK", t + 3)
    assert buffer.enter(t + 4) is None  # Enter long after the typing
    buffer.type("\x00\x1bTP\tK" + "B" * 500, t + 5)
    assert buffer.enter(t + 5) == "TPK" + "B" * 197  # control characters dropped, 200 kept


def test_a_card_checks_in_once_per_visit_and_is_known_the_next_day(recorder, repo):
    card = cards.new_card_id()
    first = cards.check_in_card(recorder, repo, card)
    assert not first.returning and first.record["data"] == {
        "adults": 1, "children": 0, "first_time": None, "reasons": [], "card": card}
    recorder.clock.moment += timedelta(minutes=3)
    again = cards.check_in_card(recorder, repo, card)
    assert again.record is None  # scanned twice: counted once
    recorder.clock.moment += timedelta(minutes=30)
    assert cards.check_in_card(recorder, repo, card).record is not None  # back after lunch
    assert day_stats("2027-04-20", today(recorder), repo.get_setting(cards.SEEN_KEY)).cards_new == 1
    recorder.clock.moment += timedelta(days=7)
    later = cards.check_in_card(recorder, repo, card)
    assert later.returning and later.record is not None
    cards.check_in_card(recorder, repo, cards.new_card_id())
    stats = day_stats("2027-04-27", today(recorder), repo.get_setting(cards.SEEN_KEY))
    assert (stats.card_visits, stats.cards_new, stats.cards_returning) == (2, 1, 1)
    assert repo.get_setting(cards.SEEN_KEY)[card] == "2027-04-20"
