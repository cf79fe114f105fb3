"""The calendar convention for sign-up, places and pictograms (config/CALENDAR.md), read from real calendars."""

import pytest

from icstext import calendar, day
from kiosk.calendar.convention import PICTOGRAMS, SignupRule
from kiosk.calendar.expand import parse_calendar
from kiosk.resources import PICTOGRAM_DIR


def one(extra: str, title: str = "Samen Tafelen", description: str = "Samen eten."):
    event = f"UID:x@test\nSUMMARY:{title}\nDTSTART:20270420T100000Z\nDTEND:20270420T120000Z\nDESCRIPTION:{description}\n{extra}"
    programme = parse_calendar(calendar(event), "test.ics")
    [occurrence] = programme.day(day("2027-04-20"))
    return occurrence, programme.warnings


@pytest.mark.parametrize(
    "extra, description, rule",
    [
        ("", "Samen eten.", SignupRule(False, None)),
        ("X-TERPLEKKE-SIGNUP:TRUE\n", "Samen eten.", SignupRule(True, None)),
        ("X-TERPLEKKE-SIGNUP:TRUE\nX-TERPLEKKE-CAPACITY:12\n", "Samen eten.", SignupRule(True, 12)),
        ("X-TERPLEKKE-CAPACITY:12\n", "Samen eten.", SignupRule(True, 12)),
        ("X-TERPLEKKE-SIGNUP:FALSE\nCATEGORIES:Inschrijven\n", "Samen eten.", SignupRule(False, None)),
        ("CATEGORIES:Samen eten,Inschrijven\n", "Samen eten.", SignupRule(True, None)),
        ("CATEGORIES:Inschrijven 20\n", "Samen eten.", SignupRule(True, 20)),
        ("CATEGORIES:inschrijven: 8\n", "Samen eten.", SignupRule(True, 8)),
        ("CATEGORIES:Inscription\n", "Samen eten.", SignupRule(True, None)),
    ],
)
def test_properties_and_categories_mark_sign_up_and_places(extra, description, rule):
    occurrence, warnings = one(extra)
    assert occurrence.signup == rule and occurrence.description == description and warnings == ()


def test_a_description_line_marks_sign_up_for_google_calendar_and_is_not_shown():
    occurrence, warnings = one("", description="Soep en een hoofdgerecht.\\nInschrijven: 20 plaatsen\\nWelkom!")
    assert occurrence.signup == SignupRule(True, 20)
    assert occurrence.description == "Soep en een hoofdgerecht.\nWelkom!" and warnings == ()


def test_a_description_line_for_people_means_sign_up_and_stays():
    occurrence, warnings = one("", description="Inschrijven: bij de opbouwwerker")
    assert occurrence.signup == SignupRule(True, None)
    assert occurrence.description == "Inschrijven: bij de opbouwwerker" and warnings == ()
    occurrence, _ = one("", description="Inschrijven kan altijd.")  # no colon: just a sentence
    assert occurrence.signup == SignupRule(False, None)


def test_a_wrong_capacity_is_a_warning_and_sign_up_stays_required():
    occurrence, warnings = one("X-TERPLEKKE-CAPACITY:twintig\n")
    assert occurrence.signup == SignupRule(True, None)
    assert warnings == (
        'event "Samen Tafelen" (line 4): X-TERPLEKKE-CAPACITY: the number of places should be a number from 1 to 1000, not "twintig"',
    )


@pytest.mark.parametrize(
    "title, extra, pictogram",
    [
        ("Gezondheidswandeling", "CATEGORIES:Beweging\n", "walking"),
        ("Samen Tafelen", "", "cooking"),
        ("Plantjesruil", "", "plant"),
        ("Digitaal spreekuur", "", "digital"),
        ("Ontmoetingsmoment", "", "coffee"),
        ("Iets anders", "", "activity"),
        ("Iets anders", "CATEGORIES:Uitstap\n", "trip"),
        ("Samen Tafelen", "X-TERPLEKKE-PICTOGRAM:Health\n", "health"),
    ],
)
def test_pictograms_come_from_the_property_or_from_words(title, extra, pictogram):
    occurrence, _ = one(extra, title=title)
    assert occurrence.pictogram == pictogram


def test_an_unknown_pictogram_is_a_warning_and_words_decide():
    occurrence, warnings = one("X-TERPLEKKE-PICTOGRAM:unicorn\n", title="Gezondheidswandeling")
    assert occurrence.pictogram == "walking"
    assert len(warnings) == 1 and 'X-TERPLEKKE-PICTOGRAM "unicorn" is not a known pictogram' in warnings[0]


def test_every_pictogram_key_has_an_image():
    missing = [key for key in PICTOGRAMS if not (PICTOGRAM_DIR / f"{key}.png").exists()]
    assert missing == []
