"""Who is coming: sign-ups per activity, cancelling one frees its places at once, present, the A4 list."""

import csv
import io
from datetime import date

import pytest

from icstext import local
from kiosk.core import participants
from kiosk.core.daystats import signups_per_activity
from kiosk.core.signup import persons_signed_up, places_left, recent_signups, sign_up
from kiosk.errors import ValidationError
from kiosk.office.upload import TYPES
from signup_support import MEAL, recorder


def test_a_cancelled_sign_up_frees_its_places_at_once_in_the_one_count(repo):
    first = sign_up(recorder(repo), MEAL, 4, "Rik")
    sign_up(recorder(repo), MEAL, 2, taken=4)
    assert places_left(MEAL, recent_signups(repo, date(2027, 4, 20))) == 0
    staff = recorder(repo, local(2027, 4, 21, 9, 0))  # cancelled the next day
    participants.cancel(staff, participants.list_records(repo, date(2027, 4, 22)), first["id"])
    signups = recent_signups(repo, date(2027, 4, 21))
    assert persons_signed_up(signups, MEAL) == 2 and places_left(MEAL, signups) == 4
    assert [s.persons for s in signups_per_activity(repo.records_since(date(2027, 4, 19)))] == [2]
    sign_up(recorder(repo, local(2027, 4, 21, 10, 0)), MEAL, 4, taken=persons_signed_up(signups, MEAL))


def test_the_list_shows_each_sign_up_with_name_persons_time_cancelled_and_present(repo):
    rik = sign_up(recorder(repo), MEAL, 2, "Rik")
    anon = sign_up(recorder(repo, local(2027, 4, 20, 10, 5)), MEAL, 1, taken=2)
    staff = recorder(repo, local(2027, 4, 22, 11, 50))
    participants.cancel(staff, participants.list_records(repo, date(2027, 4, 22)), anon["id"])
    participants.mark_present(staff, participants.list_records(repo, date(2027, 4, 22)), rik["id"])
    [meal] = participants.lists_on(participants.list_records(repo, date(2027, 4, 22)), "2027-04-22")
    assert (meal.title, meal.activity, meal.persons) == ("Samen Tafelen", "samen-tafelen@test", 2)
    assert [(p.first_name, p.persons, p.signed_up_at[11:16], p.cancelled, p.present) for p in meal.participants] == [
        ("Rik", 2, "10:00", False, True), ("", 1, "10:05", True, False)]
    assert participants.lists_on(participants.list_records(repo, date(2027, 4, 22)), "2027-04-22", "other@x") == []
    assert participants.lists_on(participants.list_records(repo, date(2027, 4, 22)), "2027-04-21") == []


def test_cancel_and_present_refuse_what_makes_no_sense(repo):
    rik = sign_up(recorder(repo), MEAL, 2, "Rik")
    staff = recorder(repo)
    with pytest.raises(ValidationError) as error:
        participants.cancel(staff, participants.list_records(repo, date(2027, 4, 20)), "no-such-id")
    assert error.value.code == "unknown_signup"
    participants.cancel(staff, participants.list_records(repo, date(2027, 4, 20)), rik["id"])
    for action, code in [(participants.cancel, "already_cancelled"), (participants.mark_present, "cancelled")]:
        with pytest.raises(ValidationError) as error:
            action(staff, participants.list_records(repo, date(2027, 4, 20)), rik["id"])
        assert error.value.code == code


def test_the_office_accepts_the_new_record_types_and_the_api_says_so():
    from pathlib import Path

    import yaml

    spec = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text())
    enum = spec["components"]["schemas"]["Record"]["properties"]["type"]["enum"]
    assert {"signup_cancel", "signup_present"} <= set(TYPES) and {"signup_cancel", "signup_present"} <= set(enum)


def test_the_printed_list_holds_names_persons_and_empty_lines_and_escapes_names(repo):
    sign_up(recorder(repo), MEAL, 3, "<b>Zoë</b>")
    lists = participants.lists_on(participants.list_records(repo, date(2027, 4, 22)), "2027-04-22")
    page = participants.lists_html(lists, "Ter Plekke", "Zillebeke")
    assert "&lt;b&gt;Zoë&lt;/b&gt;" in page and "<b>Zoë" not in page
    assert "Samen Tafelen" in page and "donderdag 22 april 2027 12:00" in page and "size: A4" in page
    assert page.count('<td class="n"></td><td></td>') == participants.BLANK_LINES
    rows = list(csv.reader(io.StringIO("\n".join(";".join(r) for r in participants.lists_rows(lists))), delimiter=";"))
    assert rows[1][:5] == ["Samen Tafelen", "12:00", "<b>Zoë</b>", "3", "10:00"]
    assert participants.lists_json(lists)[0]["signups"][0]["persons"] == 3
    text = participants.lists_csv(lists)
    assert text.startswith("\ufeffActiviteit;") and "Zo" in text
