"""Signing up for an activity: validation, places left from the stored records, full is full."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from icstext import local
from kiosk.calendar.convention import SignupRule
from kiosk.core.records import RecordType
from kiosk.core.signup import (MAX_FIRST_NAME, SIGNUP_DAYS_BACK, persons_signed_up, places_left, recent_signups,
                               sign_up)
from kiosk.errors import ValidationError
from signup_support import MEAL, recorder


def test_a_sign_up_is_stored_as_a_signup_record(repo):
    record = sign_up(recorder(repo), MEAL, 2, "  Zoë  ", taken=0)
    [stored] = repo.records_for_day("2027-04-20")
    assert stored == record and record["type"] == "signup"
    assert record["data"] == {
        "activity": "samen-tafelen@test",
        "occurrence": "samen-tafelen@test/2027-04-22T12:00:00+02:00",
        "title": "Samen Tafelen",
        "start": "2027-04-22T12:00:00+02:00",
        "persons": 2,
        "first_name": "Zoë",
    }


@pytest.mark.parametrize("name", ["محمد", "李雷", "Ñandú", "Jean-Luc O'Neill", "😀 Anna", "a" * MAX_FIRST_NAME])
def test_any_script_is_welcome_in_a_first_name(repo, name):
    assert sign_up(recorder(repo), MEAL, 1, name)["data"]["first_name"] == name


@pytest.mark.parametrize("name", [None, "", "   "])
def test_no_first_name_is_fine_and_not_stored(repo, name):
    assert "first_name" not in sign_up(recorder(repo), MEAL, 1, name)["data"]


@pytest.mark.parametrize(
    "persons, name, code",
    [
        (0, None, "bad_persons"),
        (11, None, "bad_persons"),
        (True, None, "bad_persons"),
        ("2", None, "bad_persons"),
        (1, "a" * (MAX_FIRST_NAME + 1), "name_too_long"),
        (1, "Ann\u200bie", "bad_name"),
        (1, 42, "bad_name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(repo, persons, name, code):
    with pytest.raises(ValidationError) as caught:
        sign_up(recorder(repo), MEAL, persons, name)
    assert caught.value.code == code
    assert repo.records_for_day("2027-04-20") == []


def test_places_left_count_this_occurrence_only_and_full_is_full(repo):
    kiosk = recorder(repo)
    next_week = replace(MEAL, start=MEAL.start + timedelta(days=7), end=MEAL.end + timedelta(days=7))
    sign_up(kiosk, MEAL, 4)
    sign_up(kiosk, next_week, 3)
    records = repo.records_for_day("2027-04-20")
    assert persons_signed_up(records, MEAL) == 4
    assert places_left(MEAL, records) == 2 and places_left(next_week, records) == 3
    with pytest.raises(ValidationError) as caught:
        sign_up(kiosk, MEAL, 3, taken=persons_signed_up(records, MEAL))
    assert caught.value.code == "not_enough_places" and "only 2" in str(caught.value)
    sign_up(kiosk, MEAL, 2, taken=persons_signed_up(records, MEAL))
    records = repo.records_for_day("2027-04-20")
    assert places_left(MEAL, records) == 0
    with pytest.raises(ValidationError) as caught:
        sign_up(kiosk, MEAL, 1, taken=persons_signed_up(records, MEAL))
    assert caught.value.code == "full"


def test_a_moved_occurrence_keeps_its_sign_ups(repo):
    sign_up(recorder(repo), MEAL, 5)
    moved = replace(MEAL, start=local(2027, 4, 23, 12, 0), end=local(2027, 4, 23, 13, 30), original_start=MEAL.start)
    assert places_left(moved, repo.records_for_day("2027-04-20")) == 1


def test_no_capacity_means_no_limit(repo):
    open_ended = replace(MEAL, signup=SignupRule(True, None))
    sign_up(recorder(repo), open_ended, 10, taken=500)
    assert places_left(open_ended, repo.records_for_day("2027-04-20")) is None


def test_an_activity_without_sign_up_or_already_over_is_refused(repo):
    with pytest.raises(ValidationError) as caught:
        sign_up(recorder(repo), replace(MEAL, signup=SignupRule()), 1)
    assert caught.value.code == "no_signup"
    with pytest.raises(ValidationError) as caught:
        sign_up(recorder(repo, local(2027, 4, 22, 13, 30)), MEAL, 1)
    assert caught.value.code == "over"
    all_day = replace(MEAL, start=date(2027, 4, 22), end=date(2027, 4, 23), all_day=True)
    assert sign_up(recorder(repo, local(2027, 4, 22, 20, 0)), all_day, 1)["data"]["start"] == "2027-04-22"


def test_recent_sign_ups_are_those_of_the_days_one_could_sign_up_on(repo):
    later = replace(MEAL, start=MEAL.start + timedelta(days=SIGNUP_DAYS_BACK + 2),
                    end=MEAL.end + timedelta(days=SIGNUP_DAYS_BACK + 2))
    now = local(2027, 4, 20, 10, 0) + timedelta(days=SIGNUP_DAYS_BACK + 1)
    for days_back in range(SIGNUP_DAYS_BACK + 1):  # one sign-up a day, the oldest a day too old
        kiosk = recorder(repo, now - timedelta(days=days_back))
        sign_up(kiosk, later, 1)
        kiosk.record(RecordType.FEEDBACK, {"score": 4, "where": "home"})
    found = recent_signups(repo, now.date())
    assert len(found) == SIGNUP_DAYS_BACK and {r["type"] for r in found} == {"signup"}
    assert persons_signed_up(found, later) == SIGNUP_DAYS_BACK
