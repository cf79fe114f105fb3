"""Staff mode in the real window: the PIN pad and its throttle, the question queue, the day's log on a
"USB stick", the one-time phone link over real HTTP, today's place, erasing personal details, and a
member card scanned in by (simulated) key presses."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import time
from datetime import datetime, timedelta

import pytest
import requests
from conftest import at_every_window_size, bring_into_sight, frames, new_records, record_count, screen, settle, tap, tile
from clocks import FixedClock

from kiosk.clock import TIMEZONE
from kiosk.core import cards, question
from kiosk.core.records import Recorder
from kiosk.core.staff_pin import FREE_TRIES, HASH_KEY, THROTTLE_KEY

PIN = "4821"


def wait_until(app, condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        frames(1)
    settle(app)


def pad_key(app, label):
    pad = app.screen("staff_pin")
    for key in pad.ids.pad_keys.children:
        if getattr(key, "digit", None) == label:
            return key
    raise AssertionError(f"no key {label!r}")


def type_pin(app, pin):
    pad = app.screen("staff_pin")
    for digit in pin:
        tap(app, pad_key(app, digit))
    tap(app, pad.ids.ok)
    wait_until(app, lambda: not pad.checking)


def log_in(app):
    app.staff.lock.set_pin(PIN)  # also clears the throttle
    app.staff.open_pad()
    settle(app)
    type_pin(app, PIN)
    assert app.current == "staff_today" and app.staff.logged_in


def menu(app, page):
    for button in screen(app).walk():
        if getattr(button, "page", None) == page:
            return button
    raise AssertionError(f"no menu entry {page!r}")


# -- getting in -------------------------------------------------------------------------------------
def test_a_long_press_on_the_name_opens_the_pad_and_a_tap_does_not(app):
    from kivy.tests import UnitTestTouch

    door = screen(app).ids.door
    tap(app, door)
    assert app.current == "home"
    touch = UnitTestTouch(*door.to_window(*door.center))
    touch.touch_down()
    wait_until(app, lambda: app.current == "staff_pin", door.hold_seconds + 3)
    touch.touch_up()
    settle(app)
    pad = screen(app)
    assert pad.ids.dots.text == "Typ de pincode voor medewerkers" or pad.no_pin
    tap(app, pad.ids.cancel)
    assert app.current == "home"


def test_a_tap_on_the_name_after_the_kiosk_stood_still_does_not_open_the_pad(app):
    """The hold is timed from the finger, not from Kivy's last frame (which may be seconds ago)."""
    from kivy.tests import UnitTestTouch

    door = screen(app).ids.door
    time.sleep(door.hold_seconds + 0.5)  # no frame meanwhile
    touch = UnitTestTouch(*door.to_window(*door.center))
    touch.touch_down()
    frames(2)
    touch.touch_up()
    settle(app)
    assert app.current == "home"


def test_without_a_pin_the_pad_says_who_can_set_one(app):
    app.services.repo.set_setting(HASH_KEY, None)
    app.staff.open_pad()
    settle(app)
    pad = screen(app)
    assert pad.no_pin and "kiosk set-pin" in pad.ids.message.text
    tap(app, pad_key(app, "1"))
    assert pad.entered == ""  # the keys are of no use


@at_every_window_size
def test_wrong_pins_are_throttled_on_disk_and_the_pad_says_how_long_to_wait(app, window_size):
    app.staff.lock.set_pin(PIN)
    clock = FixedClock(app.services.clock.now())
    app.staff.lock.clock = clock
    try:
        app.staff.open_pad()
        settle(app)
        pad = screen(app)
        for left in range(FREE_TRIES - 1, 0, -1):
            type_pin(app, "0000")
            assert app.current == "staff_pin" and pad.fields == {"n": left}
            assert "0000" not in pad.ids.dots.text and pad.entered == ""
        type_pin(app, "0000")
        assert pad.wait_seconds == 60 and "1:00" in pad.ids.message.text
        state = json.loads((app.services.repo.data_dir / "state.json").read_text())
        assert state[THROTTLE_KEY]["lockouts"] == 1  # on disk: a restart changes nothing (see test_staff_pin)
        tap(app, pad_key(app, "4"))
        assert pad.entered == "" and pad.ids.ok.disabled  # the pad is closed while it waits
        tap(app, pad.ids.cancel)
        app.staff.open_pad()  # coming back does not help
        settle(app)
        assert screen(app).wait_seconds == 60
        clock.moment += timedelta(seconds=45)
        wait_until(app, lambda: screen(app).wait_seconds == 15, 3)  # the pad counts down by itself
        clock.moment += timedelta(seconds=15)
        wait_until(app, lambda: screen(app).wait_seconds == 0, 3)
        type_pin(app, PIN)
        assert app.current == "staff_today"
    finally:
        app.staff.lock.clock = app.services.clock


def test_a_pin_that_cannot_be_counted_is_refused_with_a_plain_message_even_the_right_one(app):
    app.staff.lock.set_pin(PIN)
    blocker = app.services.repo.data_dir / ".state.json.tmp"
    blocker.mkdir()  # state.json can no longer be replaced, as on a full disk or a read-only folder
    try:
        app.staff.open_pad()
        settle(app)
        pad = screen(app)
        for pin in ("0000", PIN):
            type_pin(app, pin)
            assert app.current == "staff_pin" and not app.staff.logged_in
            assert pad.ids.message.text == "De pincode kan nu niet gecontroleerd worden: de kiosk kan niets bewaren. " \
                                           "Vraag hulp aan een technicus."
    finally:
        blocker.rmdir()
    type_pin(app, PIN)
    assert app.current == "staff_today"


def test_close_and_idle_end_the_session(app):
    log_in(app)
    tap(app, screen(app).ids.get("close") or next(w for w in screen(app).walk() if getattr(w, "icon", "") == "home"))
    assert app.current == "home" and not app.staff.logged_in
    app.staff.show("staff_today")
    assert app.current == "home"  # no way back without the PIN
    log_in(app)
    app.idle_timeout, app.idle_countdown = 1, 1
    try:
        wait_until(app, lambda: app.overlay.is_open, 4)
        wait_until(app, lambda: app.current == "home", 4)
        assert not app.staff.logged_in and not app.overlay.is_open
    finally:
        app.idle_timeout, app.idle_countdown = 60, 20


# -- today and the queue ----------------------------------------------------------------------------
@at_every_window_size
def test_the_queue_shrinks_as_staff_help(app, window_size):
    recorder = app.services.recorder
    asked = [question.ask(recorder, "digital", True, "Hoe werkt itsme?", consent=True, first_name="Maria",
                          phone="0470 12 34 56"),
             question.ask(recorder, "paperwork", False),
             question.ask(recorder, "money", True)]
    log_in(app)
    today = screen(app)
    assert today.open_questions >= 3
    tap(app, today.ids.questions)
    assert app.current == "staff_questions"
    page = screen(app)
    before = {card.question_id: card for card in page.cards()}
    assert {r["id"] for r in asked} <= set(before)
    first = before[asked[0]["id"]]
    assert first.contact == "Maria  ·  0470\u00a012\u00a034\u00a056" and first.talk_today and first.text == "Hoe werkt itsme?"
    count = record_count(app)
    def button(question_id, name):  # found again each time: the page refreshes itself every few seconds
        return next(card for card in page.cards() if card.question_id == question_id).ids[name]

    # on a small window the card may be further down
    tap(app, bring_into_sight(app, page.ids.scroll, lambda: button(asked[0]["id"], "helped")))
    [handled] = new_records(app, count)
    assert handled["type"] == "handled"
    assert handled["data"] == {"question": asked[0]["id"], "ticket": asked[0]["data"]["ticket"], "outcome": "helped"}
    left = {card.question_id for card in page.cards()}
    assert left == set(before) - {asked[0]["id"]}
    tap(app, bring_into_sight(app, page.ids.scroll, lambda: button(asked[1]["id"], "not_needed")))
    assert new_records(app, count + 1)[0]["data"]["outcome"] == "not_needed"
    assert len(page.cards()) == len(before) - 2 and app.staff.open_questions == len(before) - 2


# -- the day's log ----------------------------------------------------------------------------------
@pytest.fixture
def stick(app, tmp_path):
    """A folder standing in for a USB stick: the configured export folder."""
    folder = tmp_path / "STICK"
    folder.mkdir()
    config = app.services.config
    app.services.config = dataclasses.replace(config, export_folder=str(folder))
    app.staff.media_roots = (str(tmp_path / "no-media"),)
    yield folder
    app.services.config = config
    app.staff.media_roots = ()


def test_the_days_log_is_saved_on_a_stick_and_reads_back_in_excel_terms(app, stick):
    question.ask(app.services.recorder, "housing", True, "Huur; te hoog", consent=True, first_name="Zoë")
    log_in(app)
    tap(app, menu(app, "staff_log"))
    page = screen(app)
    today = app.services.clock.now().date().isoformat()
    assert page.day == today and page.day_buttons()[0].day == today and page.day_buttons()[0].chosen
    [place] = page.place_buttons()
    assert place.place == "STICK" and not place.removable
    tap(app, place)
    wait_until(app, lambda: not page.busy)
    names = sorted(p.name for p in stick.iterdir())
    assert names == [f"ter-plekke-{today}.csv", f"ter-plekke-{today}.html", f"ter-plekke-{today}.json"]
    assert all(name in page.ids.message.text for name in names) and page.message_kind == "info"
    raw = (stick / names[0]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    heading = rows[0]
    assert heading[:2] == ["Tijdstip", "Soort"] and "Voornaam" in heading
    assert ["Huur; te hoog", "Zoë"] == [rows[-2][heading.index("Tekst")], rows[-2][heading.index("Voornaam")]]
    assert len(rows) == 2 + app.services.repo.count_for_day(today) and "Verwijder" in rows[-1][0]
    assert "Verwijder dit bestand" in (stick / names[1]).read_text()


def test_a_stick_taken_out_or_none_at_all_is_said_in_words(app, stick):
    log_in(app)
    tap(app, menu(app, "staff_log"))
    page = screen(app)
    [place] = page.place_buttons()
    stick.rmdir()  # taken out after the kiosk saw it
    tap(app, place)
    wait_until(app, lambda: not page.busy)
    assert page.message_kind == "problem" and "STICK" in page.ids.message.text
    tap(app, page.ids.look_again)
    assert page.place_buttons() == [] and page.places == []


# -- a phone ----------------------------------------------------------------------------------------
def test_the_phone_link_works_once_over_http(app):
    app.staff.find_address = lambda: "127.0.0.1"
    try:
        log_in(app)
        tap(app, menu(app, "staff_log"))
        tap(app, screen(app).ids.phone)
        assert app.current == "staff_phone"
        page = screen(app)
        url = page.url
        assert url.startswith("http://127.0.0.1:") and page.state == "waiting" and page.ids.qr.drawn
        assert page.ids.qr.modules() == qr_matrix(url)  # the code on screen holds the link
        first = requests.get(url, timeout=5)
        assert first.status_code == 200 and "dagverslag" in first.text and "Verwijder dit bestand" in first.text
        assert 'download="ter-plekke-' in first.text  # the CSV and JSON come inside the page
        wait_until(app, lambda: page.state == "downloaded")
        assert not page.ids.qr.drawn
        second = requests.get(url, timeout=5)
        assert second.status_code == 410 and "verlopen" in second.text
        tap(app, page.ids.stop)
        assert app.current == "staff_log"
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=5)
        tap(app, screen(app).ids.phone)
        url = screen(app).url
        app.go_home()  # the session ends: so does the link
        settle(app)
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=5)
    finally:
        app.staff.find_address = lambda: None


def test_without_network_the_kiosk_says_so(app):
    app.staff.find_address = lambda: None
    log_in(app)
    tap(app, menu(app, "staff_log"))
    tap(app, screen(app).ids.phone)
    page = screen(app)
    assert app.current == "staff_log" and page.message_kind == "problem" and "netwerk" in page.ids.message.text


def qr_matrix(data):
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


# -- place and privacy ------------------------------------------------------------------------------
@at_every_window_size
def test_todays_place_changes_at_once_and_records_carry_it(app, window_size):
    original = app.location
    log_in(app)
    tap(app, menu(app, "staff_place"))
    page = screen(app)
    other = next(t for t in page.tiles() if t.place != original)
    tap(app, other)
    try:
        assert app.location == other.place == app.services.repo.get_setting("location")
        assert other.selected and app.services.recorder.location == other.place
        app.go_home()
        settle(app)
        count = record_count(app)
        tap(app, tile(app, "checkin"))
        tap(app, screen(app).ids.next)
        tap(app, tile(app, "skip"))
        tap(app, tile(app, "coffee"))
        assert new_records(app, count)[0]["location"] == other.place
    finally:
        app.staff.logged_in = True
        app.staff.set_location(original)
        app.staff.logged_in = False


@at_every_window_size
def test_personal_details_are_erased_after_a_second_tap(app, window_size):
    asked = question.ask(app.services.recorder, "health", True, "Mijn knie", consent=True, first_name="Jef",
                         phone="0470 99 88 77")
    log_in(app)
    tap(app, menu(app, "staff_privacy"))
    page = screen(app)
    card = next(c for c in page.cards() if c.record_id == asked["id"])
    assert "Jef" in card.shown_details() and "Mijn knie" in card.shown_details()
    tap(app, card.ids.erase)
    day = app.services.repo.records_for_day(asked["created_at"][:10])
    assert card.confirming and next(r for r in day if r["id"] == asked["id"])["data"]["first_name"] == "Jef"
    tap(app, card.ids.erase)
    stored = next(r for r in app.services.repo.records_for_day(asked["created_at"][:10]) if r["id"] == asked["id"])
    assert stored["data"] == {"theme": "health", "talk_today": True, "ticket": asked["data"]["ticket"], "erased": True}
    assert asked["id"] not in {c.record_id for c in page.cards()} and page.message


# -- member cards -----------------------------------------------------------------------------------
def scan(app, text, enter=True):
    """What a USB scanner does: one key after the other, very fast, then Enter (as SDL reports them)."""
    from kivy.core.window import Window

    for char in text:
        key = ord(char.lower()) if char.isascii() else 0
        modifiers = ["shift"] if char.isupper() else []
        Window.dispatch("on_key_down", key, 0, char.lower(), modifiers)
        Window.dispatch("on_key_up", key, 0)
    if enter:
        Window.dispatch("on_key_down", 13, 40, None, [])
        Window.dispatch("on_key_up", 13, 40)
    settle(app)


def test_a_card_checks_in_with_one_scan_and_garbage_gets_a_kind_word(app):
    card = cards.new_card_id()
    count = record_count(app)
    scan(app, card)
    assert app.current == "done"
    [record] = new_records(app, count)
    assert record["type"] == "checkin" and record["data"]["card"] == card and record["data"]["adults"] == 1
    assert screen(app).ids.title.text == "Welkom!"
    scan(app, card)  # scanned twice: counted once
    from kiosk.ui.scanner import ALREADY  # (Kivy only after the window is configured)

    assert record_count(app) == count + 1 and screen(app).message == ALREADY.message
    app.go_home()
    settle(app)
    for garbage, title in (("https://example.com/menu", "Dit is geen kaart van Ter Plekke"),
                           (card[:-1] + ("B" if card[-1] != "B" else "C"), "De kaart kon niet gelezen worden")):
        scan(app, garbage)
        assert app.current == "done" and screen(app).ids.title.text == title
        app.go_home()
        settle(app)
    assert record_count(app) == count + 1
    moment = [1000.0]
    app.card_reader.now = lambda: moment[0]
    try:
        scan(app, "TPKXX", enter=False)  # half a scan, then a pause: forgotten
        moment[0] += 1
        scan(app, card)
        assert screen(app).ids.title.text == "Welkom!"  # (already checked in: no new record)
    finally:
        app.card_reader.now = time.monotonic


def test_a_returning_card_holder_is_welcomed_back(app):
    card = cards.new_card_id()
    earlier = FixedClock(app.services.clock.now())
    earlier.moment -= timedelta(days=7)
    last_week = Recorder(app.services.repo, earlier, app.location)
    cards.check_in_card(last_week, app.services.repo, card)
    scan(app, card)
    assert screen(app).ids.title.text == "Welkom terug!"
    app.go_home()


# -- uploads ----------------------------------------------------------------------------------------
def test_upload_health_is_shown_in_words_and_new_records_nudge_the_outbox(app, monkeypatch):
    from kiosk.sync import SyncState, SyncStatus

    wait_until(app, lambda: app.sync_status is not None)
    assert app.sync_status.state is SyncState.OFF  # no office address in the test configuration
    nudged, retried = [], []
    monkeypatch.setattr(app.outbox, "nudge", lambda: nudged.append(1))
    monkeypatch.setattr(app.outbox, "retry_now", lambda: retried.append(1))
    question.ask(app.services.recorder, "other", False)
    assert nudged == [1]
    log_in(app)
    page = screen(app)
    assert "Versturen staat uit" in page.ids.sync.text and page.ids.retry.disabled
    waiting = SyncStatus(SyncState.WAITING, pending=12, rejected=2, last_success="2027-04-20T09:41:00+02:00",
                         last_error="the office did not answer in time.", retry_in=30)
    monkeypatch.setattr(app, "sync_status", waiting)  # as the outbox reports it after a failed upload
    settle(app)
    text = page.ids.sync.text
    assert "probeert het zelf opnieuw" in text and ": 12" in text and "20/04 09:41" in text
    assert "the office did not answer in time." in text and "bewaard op deze kiosk: 2" in text
    tap(app, page.ids.retry)
    assert retried == [1]


def test_staff_see_why_the_programme_is_stale(app, monkeypatch):
    from kiosk.calendar.source import CalendarSnapshot, CalendarStatus

    wait_until(app, lambda: app.calendar.status.loaded)
    log_in(app)
    page = screen(app)
    assert page.ids.calendar.text == "De activiteitenkalender is bijgewerkt."
    offline = CalendarStatus("https://office.example/…/kalender.ics", loaded=True, problem="No network.",
                             problem_code="offline", updated_at=datetime(2027, 4, 19, 16, 5, tzinfo=TIMEZONE))
    monkeypatch.setattr(app, "calendar", CalendarSnapshot(app.calendar.programme, offline))
    settle(app)
    assert page.ids.calendar.text.splitlines() == [
        "De activiteitenkalender kon niet opgehaald worden: er is geen netwerk.",
        "Het getoonde programma is van 19/04 16:05.",
    ]
