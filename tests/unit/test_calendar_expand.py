"""Expanding calendars we wrote for each case: recurrence, changes, time zones, all-day, bad input."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icstext import WEEKLY_MEETING, calendar, day, local
from kiosk.calendar.expand import now_and_next, parse_calendar
from kiosk.config import DEMO_CALENDAR_PATH
from kiosk.errors import CalendarError


def titles_and_times(occurrences):
    return [(o.title, o.start.isoformat() if isinstance(o.start, datetime) else str(o.start)) for o in occurrences]


def test_weekly_event_keeps_its_local_time_across_the_change_to_summer_time():
    programme = parse_calendar(calendar(WEEKLY_MEETING), "test.ics")
    before, after = programme.day(day("2027-03-23")), programme.day(day("2027-03-30"))
    assert [o.start.isoformat() for o in before] == ["2027-03-23T09:30:00+01:00"]
    assert [o.start.isoformat() for o in after] == ["2027-03-30T09:30:00+02:00"]
    assert after[0].end.isoformat() == "2027-03-30T12:00:00+02:00"
    # and back to winter time at the end of October
    assert programme.day(day("2027-11-02"))[0].start.isoformat() == "2027-11-02T09:30:00+01:00"
    assert programme.day(day("2027-03-24")) == [] and programme.warnings == ()


def test_an_outlook_time_zone_is_followed_across_the_change_too():
    outlook_zone = """
BEGIN:VTIMEZONE
TZID:Romance Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""
    event = WEEKLY_MEETING.replace("TZID=Europe/Brussels", "TZID=Romance Standard Time")
    programme = parse_calendar(calendar(event, header=outlook_zone), "outlook.ics")
    assert programme.day(day("2027-03-23"))[0].start.isoformat() == "2027-03-23T09:30:00+01:00"
    assert programme.day(day("2027-03-30"))[0].start.isoformat() == "2027-03-30T09:30:00+02:00"


def test_a_moved_occurrence_appears_on_its_new_day_and_keeps_its_key():
    moved = """
UID:meeting@test
RECURRENCE-ID;TZID=Europe/Brussels:20270420T093000
SUMMARY:Ontmoetingsmoment (op woensdag)
DTSTART;TZID=Europe/Brussels:20270421T140000
DTEND;TZID=Europe/Brussels:20270421T160000
"""
    programme = parse_calendar(calendar(WEEKLY_MEETING, moved), "test.ics")
    assert programme.day(day("2027-04-20")) == []
    [occurrence] = programme.day(day("2027-04-21"))
    assert occurrence.title == "Ontmoetingsmoment (op woensdag)"
    assert occurrence.start.isoformat() == "2027-04-21T14:00:00+02:00"
    assert occurrence.key == "meeting@test/2027-04-20T09:30:00+02:00"
    assert [o.key for o in programme.day(day("2027-04-27"))] == ["meeting@test/2027-04-27T09:30:00+02:00"]


def test_cancelled_occurrences_and_cancelled_series_are_left_out():
    cancelled_one = """
UID:meeting@test
RECURRENCE-ID;TZID=Europe/Brussels:20270420T093000
SUMMARY:Ontmoetingsmoment
DTSTART;TZID=Europe/Brussels:20270420T093000
DTEND;TZID=Europe/Brussels:20270420T120000
STATUS:CANCELLED
"""
    cancelled_series = """
UID:walk@test
SUMMARY:Gezondheidswandeling
DTSTART;TZID=Europe/Brussels:20270401T140000
DTEND;TZID=Europe/Brussels:20270401T150000
RRULE:FREQ=DAILY
STATUS:CANCELLED
"""
    programme = parse_calendar(calendar(WEEKLY_MEETING, cancelled_one, cancelled_series), "test.ics")
    assert programme.day(day("2027-04-20")) == []
    assert titles_and_times(programme.day(day("2027-04-27"))) == [("Ontmoetingsmoment", "2027-04-27T09:30:00+02:00")]


def test_exdate_leaves_a_date_out_and_rdate_adds_one_with_the_same_duration():
    event = WEEKLY_MEETING + "EXDATE;TZID=Europe/Brussels:20270420T093000\nRDATE;TZID=Europe/Brussels:20270422T140000\n"
    programme = parse_calendar(calendar(event), "test.ics")
    assert programme.day(day("2027-04-20")) == []
    assert len(programme.day(day("2027-04-13"))) == 1 and len(programme.day(day("2027-04-27"))) == 1
    [extra] = programme.day(day("2027-04-22"))
    assert (extra.start.isoformat(), extra.end.isoformat()) == ("2027-04-22T14:00:00+02:00", "2027-04-22T16:30:00+02:00")


def test_an_all_day_event_is_a_date_on_that_day_only():
    event = """
UID:swap@test
SUMMARY:Plantjesruil
DTSTART;VALUE=DATE:20270420
DTEND;VALUE=DATE:20270421
"""
    no_end = """
UID:feast@test
SUMMARY:Buurtfeest
DTSTART;VALUE=DATE:20270420
"""
    programme = parse_calendar(calendar(event, no_end), "test.ics")
    occurrences = programme.day(day("2027-04-20"))
    assert [o.title for o in occurrences] == ["Buurtfeest", "Plantjesruil"]
    swap = occurrences[1]
    assert swap.all_day and swap.start == date(2027, 4, 20) and swap.last_day == date(2027, 4, 20)
    assert (swap.to_json()["start"], swap.to_json()["end"], swap.to_json()["all_day"]) == ("2027-04-20", "2027-04-21", True)
    assert programme.day(day("2027-04-21")) == [] and programme.day(day("2027-04-19")) == []


def test_multi_day_events_are_shown_on_each_of_their_days():
    all_day = """
UID:week@test
SUMMARY:Ideeënweek
DTSTART;VALUE=DATE:20270301
DTEND;VALUE=DATE:20270306
"""
    weekend = """
UID:trip@test
SUMMARY:Uitstap naar zee
DTSTART;TZID=Europe/Brussels:20270305T180000
DTEND;TZID=Europe/Brussels:20270308T000000
"""
    programme = parse_calendar(calendar(all_day, weekend), "test.ics")
    week = [(d, [o.title for o in occ]) for d, occ in programme.coming_days(day("2027-02-28"), 9)]
    assert week == [
        (day("2027-02-28"), []),
        (day("2027-03-01"), ["Ideeënweek"]),
        (day("2027-03-02"), ["Ideeënweek"]),
        (day("2027-03-03"), ["Ideeënweek"]),
        (day("2027-03-04"), ["Ideeënweek"]),
        (day("2027-03-05"), ["Ideeënweek", "Uitstap naar zee"]),
        (day("2027-03-06"), ["Uitstap naar zee"]),
        (day("2027-03-07"), ["Uitstap naar zee"]),
        (day("2027-03-08"), []),  # ended at midnight: not on Monday
    ]
    # listed once over a range, however many days it spans
    assert [o.title for o in programme.between(local(2027, 3, 1), local(2027, 3, 9))] == ["Ideeënweek", "Uitstap naar zee"]
    assert programme.day(day("2027-03-06"))[0].multi_day


def test_events_in_utc_and_other_zones_are_shown_in_belgian_time_on_the_belgian_date():
    utc = """
UID:utc@test
SUMMARY:Digitaal spreekuur
DTSTART:20270420T073000Z
DTEND:20270420T093000Z
"""
    late_utc = """
UID:late@test
SUMMARY:Nachtwandeling
DTSTART:20270419T223000Z
DTEND:20270419T233000Z
"""
    new_york = """
UID:ny@test
SUMMARY:Videogesprek met New York
DTSTART;TZID=America/New_York:20270420T090000
DTEND;TZID=America/New_York:20270420T100000
"""
    programme = parse_calendar(calendar(utc, late_utc, new_york), "test.ics")
    assert titles_and_times(programme.day(day("2027-04-20"))) == [
        ("Nachtwandeling", "2027-04-20T00:30:00+02:00"),  # 22:30 UTC on the 19th is the 20th here
        ("Digitaal spreekuur", "2027-04-20T09:30:00+02:00"),
        ("Videogesprek met New York", "2027-04-20T15:00:00+02:00"),
    ]
    assert programme.day(day("2027-04-19")) == []


def test_times_without_zone_are_belgian_unless_the_calendar_names_its_zone():
    floating = "UID:f@test\nSUMMARY:Koffie\nDTSTART:20270420T100000\nDTEND:20270420T110000\n"
    assert parse_calendar(calendar(floating)).day(day("2027-04-20"))[0].start.isoformat() == "2027-04-20T10:00:00+02:00"
    london = parse_calendar(calendar(floating, header="X-WR-TIMEZONE:Europe/London"))
    assert london.day(day("2027-04-20"))[0].start.isoformat() == "2027-04-20T11:00:00+02:00"


def test_private_events_are_not_shown_on_a_public_screen():
    private = "UID:p@test\nSUMMARY:Huisbezoek\nCLASS:PRIVATE\nDTSTART:20270420T100000Z\nDTEND:20270420T110000Z\n"
    public = "UID:q@test\nSUMMARY:Koffie\nCLASS:PUBLIC\nDTSTART:20270420T100000Z\nDTEND:20270420T110000Z\n"
    assert [o.title for o in parse_calendar(calendar(private, public)).day(day("2027-04-20"))] == ["Koffie"]


def test_one_bad_event_is_skipped_with_a_warning_naming_it_and_the_rest_are_shown():
    bad_start = "UID:b1@test\nSUMMARY:Kapotte start\nDTSTART:morgen\n"
    bad_rule = "UID:b2@test\nSUMMARY:Rare regel\nDTSTART:20270420T100000Z\nRRULE:FREQ=SOMETIMES\n"
    backwards = "UID:b3@test\nSUMMARY:Achterstevoren\nDTSTART:20270420T100000Z\nDTEND:20270420T090000Z\n"
    garbled = "UID:b4@test\nSUMMARY:Met rommel\nDTSTART:20270420T100000Z\nthis line is garbage\n"
    no_start = "UID:b5@test\nSUMMARY:Zonder begin\n"
    programme = parse_calendar(calendar(WEEKLY_MEETING, bad_start, bad_rule, backwards, garbled, no_start), "test.ics")
    assert [o.title for o in programme.day(day("2027-04-20"))] == ["Ontmoetingsmoment"]
    warnings = programme.warnings
    assert len(warnings) == 5
    assert warnings[0].startswith('event "Kapotte start" (line 14) skipped: its start (DTSTART) cannot be read')
    assert warnings[1].startswith('event "Rare regel" (line 19) skipped: its repeat rule (RRULE) cannot be read')
    assert warnings[2].startswith('event "Achterstevoren" (line 25) skipped: it ends')
    assert warnings[3] == 'event "Met rommel" (line 31) skipped: line 35 cannot be read ("this line is garbage")'
    assert warnings[4] == 'event "Zonder begin" (line 37) skipped: it has no start (DTSTART)'


def test_rules_that_would_keep_the_kiosk_busy_for_ever_are_refused():
    never_ending = WEEKLY_MEETING.replace("UID:meeting@test", "UID:zero@test") + "RRULE:FREQ=DAILY;INTERVAL=0\n"
    every_minute = "UID:m@test\nSUMMARY:Tik\nDTSTART:20200101T000000Z\nRRULE:FREQ=MINUTELY\n"
    programme = parse_calendar(calendar(WEEKLY_MEETING, never_ending, every_minute), "test.ics")
    assert [o.uid for o in programme.day(day("2027-04-20"))] == ["meeting@test"]
    assert [w.split(" skipped: ")[1] for w in programme.warnings] == [
        "its repeat rule (RRULE) has an INTERVAL below 1",
        "its repeat rule (RRULE) repeats every minute or second: that is not an activity",
    ]


def test_an_event_that_fails_only_when_expanded_is_skipped_from_then_on():
    backwards_period = WEEKLY_MEETING.replace("UID:meeting@test", "UID:p@test").replace("SUMMARY:Ontmoetingsmoment", "SUMMARY:Periode")
    backwards_period += "RDATE;VALUE=PERIOD:20270601T100000Z/20270601T090000Z\n"
    programme = parse_calendar(calendar(WEEKLY_MEETING, backwards_period), "test.ics")
    assert programme.warnings == ()
    assert [o.uid for o in programme.day(day("2027-04-20"))] == ["meeting@test", "p@test"]
    assert [o.uid for o in programme.day(day("2027-06-01"))] == ["meeting@test"]  # the bad extra date
    assert [o.uid for o in programme.day(day("2027-04-20"))] == ["meeting@test"]
    assert len(programme.warnings) == 1
    assert programme.warnings[0].startswith('event "Periode" (line 14) skipped: it cannot be expanded')


def test_an_unreadable_unimportant_property_is_left_aside_and_the_event_shown():
    event = WEEKLY_MEETING + "GEO:somewhere\n"
    programme = parse_calendar(calendar(event), "test.ics")
    assert len(programme.day(day("2027-04-20"))) == 1
    assert programme.warnings == (
        "event \"Ontmoetingsmoment\" (line 4): its GEO cannot be read and is left aside (Expected 'float;float' , got: somewhere)",
    )


def test_a_bad_changed_occurrence_loses_only_itself():
    bad_move = "UID:meeting@test\nRECURRENCE-ID;TZID=Europe/Brussels:20270420T093000\nSUMMARY:Verzet\nDTSTART:nooit\n"
    programme = parse_calendar(calendar(WEEKLY_MEETING, bad_move), "test.ics")
    assert [o.title for o in programme.day(day("2027-04-27"))] == ["Ontmoetingsmoment"]
    assert len(programme.warnings) == 1 and "Verzet" in programme.warnings[0]


def test_an_unknown_time_zone_is_read_as_belgian_time_with_a_warning():
    event = "UID:m@test\nSUMMARY:Op Mars\nDTSTART;TZID=Mars/Olympus:20270420T100000\nDTEND;TZID=Mars/Olympus:20270420T110000\n"
    programme = parse_calendar(calendar(event), "test.ics")
    assert programme.day(day("2027-04-20"))[0].start.isoformat() == "2027-04-20T10:00:00+02:00"
    assert programme.warnings == ('event "Op Mars" (line 4): the time zone "Mars/Olympus" is unknown; its times are read as Belgian time',)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "test.ics is empty"),
        (b"hello world\r\n", 'test.ics is not an iCalendar calendar: it should start with BEGIN:VCALENDAR, line 1 says "hello world"'),
        (b"<!DOCTYPE html>\n<html><body>Log in</body></html>", "test.ics is a web page (HTML), not a calendar"),
        (calendar(WEEKLY_MEETING).replace("END:VCALENDAR\r\n", "").encode(), "test.ics is incomplete: BEGIN:VCALENDAR on line 1 is never closed"),
        (calendar(WEEKLY_MEETING).replace("END:VEVENT", "END:VTODO").encode(), "test.ics, line 13: END:VTODO does not fit (VEVENT opened on line 4 is still open)"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is no calendar\r\nEND:VCALENDAR\r\n", 'test.ics, line 3: "this is no calendar" is not an iCalendar line'),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:caf\xe9\r\nEND:VCALENDAR\r\n", "test.ics, line 2: not readable text (a calendar must be in UTF-8)"),
        (calendar().encode() * 2, "test.ics, line 5: more text after END:VCALENDAR on line 4"),
    ],
    ids=["empty", "text", "html", "cut-off", "mismatch", "garbage-line", "not-utf8", "two-calendars"],
)
def test_a_malformed_calendar_raises_saying_what_and_where(data, message):
    with pytest.raises(CalendarError) as caught:
        parse_calendar(data, "test.ics")
    assert str(caught.value).startswith(message)


def test_now_and_next_at_a_moment():
    coffee = "UID:c@test\nSUMMARY:Koffie\nDTSTART;TZID=Europe/Brussels:20270420T093000\nDTEND;TZID=Europe/Brussels:20270420T120000\n"
    meal = "UID:m@test\nSUMMARY:Samen Tafelen\nDTSTART;TZID=Europe/Brussels:20270420T120000\nDTEND;TZID=Europe/Brussels:20270420T133000\n"
    walk = "UID:w@test\nSUMMARY:Wandeling\nDTSTART;TZID=Europe/Brussels:20270420T140000\nDTEND;TZID=Europe/Brussels:20270420T150000\n"
    swap = "UID:s@test\nSUMMARY:Plantjesruil\nDTSTART;VALUE=DATE:20270420\n"
    programme = parse_calendar(calendar(coffee, meal, walk, swap), "test.ics")
    today = programme.day(day("2027-04-20"))
    at_ten = now_and_next(today, local(2027, 4, 20, 10, 0))
    assert [o.title for o in at_ten.now] == ["Koffie"] and at_ten.next.title == "Samen Tafelen"
    at_noon = now_and_next(today, datetime(2027, 4, 20, 10, 0, tzinfo=timezone.utc))  # 12:00 here
    assert [o.title for o in at_noon.now] == ["Samen Tafelen"] and at_noon.next.title == "Wandeling"
    evening = programme.now_and_next(local(2027, 4, 20, 18, 0))
    assert evening.now == () and evening.next is None
    assert programme.now_and_next(local(2027, 4, 19, 18, 0), days=2).next.title == "Koffie"


def test_json_shape_of_an_occurrence():
    event = WEEKLY_MEETING + "X-TERPLEKKE-SIGNUP:TRUE\nX-TERPLEKKE-CAPACITY:12\n"
    [occurrence] = parse_calendar(calendar(event), "test.ics").day(day("2027-04-20"))
    assert occurrence.to_json() == {
        "uid": "meeting@test",
        "occurrence": "meeting@test/2027-04-20T09:30:00+02:00",
        "title": "Ontmoetingsmoment",
        "start": "2027-04-20T09:30:00+02:00",
        "end": "2027-04-20T12:00:00+02:00",
        "all_day": False,
        "location": "Cafetaria OC In 't Riet, Zillebeke",
        "description": "Koffie en een babbel.",
        "categories": ["Ontmoeting"],
        "signup": {"required": True, "capacity": 12},
        "pictogram": "coffee",
    }


def test_the_demo_calendar_has_something_on_every_weekday_for_years():
    programme = parse_calendar(DEMO_CALENDAR_PATH.read_bytes(), "demo-calendar.ics")
    assert programme.warnings == ()
    first = day("2026-11-30")  # a Monday
    for week in range(0, 52 * 4, 13):
        for offset in range(5):
            today = first + timedelta(weeks=week, days=offset)
            if (today.month, today.day) not in ((12, 25), (1, 1)):
                assert programme.day(today), f"nothing on {today}"
    meal = programme.day(day("2027-04-22"))[0]
    assert meal.title == "Samen Tafelen" and meal.signup.required and meal.signup.capacity == 20
    # the moved meeting, the cancelled walk, the left-out Christmas meeting and the extra meal
    assert [o.title for o in programme.day(day("2026-12-09"))] == ["Digitaal spreekuur", "Ontmoetingsmoment (op woensdag)"]
    assert programme.day(day("2026-12-25")) == [] and programme.day(day("2026-12-29")) == []
    assert [o.title for o in programme.day(day("2026-12-22"))] == ["Ontmoetingsmoment", "Samen Tafelen"]
    assert {o.pictogram for d, occ in programme.coming_days(day("2027-03-01"), 7) for o in occ} == {
        "idea", "walking", "coffee", "digital", "plant", "cooking",
    }  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_demo_calendar_gives_a_programme_or_a_calendar_error_never_anything_else(data):
    lines = DEMO_CALENDAR_PATH.read_bytes().split(b"\r\n")
    for _ in range(data.draw(st.integers(1, 4), label="damages")):
        index = data.draw(st.integers(0, len(lines) - 1), label="line")
        how = data.draw(st.sampled_from(["drop", "cut", "garble", "repeat"]), label="how")
        if how == "drop":
            del lines[index]
        elif how == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
        elif how == "garble" and lines[index]:
            at = data.draw(st.integers(0, len(lines[index]) - 1))
            char = data.draw(st.sampled_from(list(b"09:;=,ZTX\\ \xff")))
            lines[index] = lines[index][:at] + bytes([char]) + lines[index][at + 1 :]
        else:
            lines.insert(index, lines[data.draw(st.integers(0, len(lines) - 1))])
    try:
        programme = parse_calendar(b"\r\n".join(lines), "demo-calendar.ics")
    except CalendarError as error:
        assert str(error).startswith("demo-calendar.ics")
        return
    for occurrences in (programme.day(day("2027-03-02")), programme.between(local(2026, 12, 7), local(2026, 12, 14))):
        assert all(o.starts_at <= o.ends_at for o in occurrences)
