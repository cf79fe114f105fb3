"""Issue 14, point by point: the visitor's words are never lost, and no step surprises them. Real taps in
the real window (the points' numbers are in the test names' docstrings)."""

import dataclasses
import time

import pytest
from conftest import frames, key, new_records, press, record_count, screen, settle, tap, tile

from kiosk.i18n import translate


def type_hardware(app, text):
    """What a USB keyboard (or a paste) types into the focused field."""
    from kivy.core.window import Window

    Window.dispatch("on_textinput", text)
    frames(2)


def settings(app, monkeypatch, **changes):
    monkeypatch.setattr(app.services, "config", dataclasses.replace(app.services.config, **changes))


def ask_with_contact(app, text="Energiefactuur"):
    tap(app, tile(app, "question"))
    tap(app, tile(app, "money"))
    tap(app, tile(app, "yes"))
    type_hardware(app, text)
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "yes"))
    press(app, "J", "a", "n")
    tap(app, screen(app).ids.next)
    assert app.current == "q_phone"


# -- 1. a phone number in a usual format keeps the question ---------------------------------------------
def test_phone_with_brackets_keeps_the_question(app):
    """1: "(0470) 12 34 56" is a phone number; it is stored normalised, with the question and a ticket."""
    before = record_count(app)
    ask_with_contact(app)
    assert screen(app).ids.cut_message.text == "Een gsm- of vast nummer, bijvoorbeeld 0470 12 34 56."
    type_hardware(app, "(0470) 12 34 56")
    tap(app, screen(app).ids.next)
    assert app.current == "done" and screen(app).error == ""
    [record] = new_records(app, before)
    assert (record["data"]["text"], record["data"]["first_name"], record["data"]["phone"]) == \
        ("Energiefactuur", "Jan", "0470 12 34 56")
    assert screen(app).ticket == str(record["data"]["ticket"])


def test_a_wrong_phone_number_is_said_at_its_step_and_nothing_is_lost(app):
    """1: a number that is none is said under the field; the visitor keeps what they typed, or skips."""
    before = record_count(app)
    ask_with_contact(app)
    press(app, "1", "2")
    tap(app, screen(app).ids.next)
    assert app.current == "q_phone" and screen(app).ids.field.text == "12"
    assert screen(app).ids.cut_message.text.startswith("Dit lijkt geen telefoonnummer.")
    press(app, "backspace")
    assert screen(app).problem == ""  # typing again clears the warning
    tap(app, screen(app).ids.skip)
    assert app.current == "done" and screen(app).ticket
    [record] = new_records(app, before)
    assert record["data"]["text"] == "Energiefactuur" and "phone" not in record["data"]


def test_a_field_that_still_fails_at_the_end_is_left_out_and_the_ticket_given(app):
    """1: if a bad number gets through anyway, the question is stored without it and the ticket is given."""
    before = record_count(app)
    ask_with_contact(app)
    app.answer("call me")  # as if the step's check had been passed by
    settle(app)
    assert app.current == "done" and screen(app).error == "" and screen(app).ticket
    [record] = new_records(app, before)
    assert record["data"]["left_out"] == ["phone"] and record["data"]["first_name"] == "Jan"


def test_odd_but_real_names_and_texts_are_kept(app):
    """1: a name with an apostrophe and an accent, emoji, and 5 MB pasted: stored, never refused."""
    before = record_count(app)
    tap(app, tile(app, "question"))
    tap(app, tile(app, "digital"))
    tap(app, tile(app, "no"))
    field = screen(app).ids.field
    field.text = "Itsme 📱 werkt niet " + "x" * 5_000_000
    frames(2)
    assert field.cut_off and len(field.text) == 300
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "yes"))
    press(app, "D", "'", "h", "o", "n", "d", "t", "space", "é")
    tap(app, screen(app).ids.next)
    tap(app, screen(app).ids.skip)
    [record] = new_records(app, before)
    assert record["data"]["first_name"] == "D'hondt é"
    assert record["data"]["text"].startswith("Itsme 📱 werkt niet") and len(record["data"]["text"]) == 300


# -- 2. sign-up: no more persons than places, and the activity named -------------------------------------
def test_signup_persons_stop_at_places_left(app, monkeypatch):
    """2: the persons screen names the activity, day and time and the places left; "+" stops there."""
    from kiosk.ui import app as app_module

    tap(app, tile(app, "activities"))
    meal = next(c for c in screen(app).ids.cards.children if getattr(c, "occurrence", None)
                and c.occurrence.title == "Samen Tafelen")
    left = 2  # as if one of the 3 places were taken (other tests sign up for it too)
    monkeypatch.setattr(app_module, "places_left", lambda occurrence, records: left)
    app.start_signup(meal.occurrence)  # as its "Sign up" (which other tests may have left full)
    settle(app)
    persons = screen(app)
    title = [w.text for w in persons.walk() if getattr(w, "text", "").startswith("Met hoeveel personen")]
    assert title == ["Met hoeveel personen komt u naar Samen Tafelen?"]
    assert persons.ids.hint.text.endswith("om 23:58  ·  Nog 2 plaatsen vrij")
    app.set_language("fr")
    frames(2)
    assert persons.ids.hint.text.endswith("à 23:58  ·  Encore 2 places libres")
    app.set_language("nl")
    for _ in range(5):
        tap(app, persons.ids.adult_count.ids.plus)
    assert persons.adult_count == left and persons.ids.adult_count.ids.plus.disabled


def test_a_full_activity_says_so_before_the_visitor_starts(app, monkeypatch):
    """2: a full activity is marked "Vol" with its button off; starting anyway says so at once."""
    from kiosk.ui import app as app_module

    monkeypatch.setattr(app_module, "places_left", lambda occurrence, records: 0)
    tap(app, tile(app, "activities"))
    meal = next(c for c in screen(app).ids.cards.children if getattr(c, "occurrence", None)
                and c.occurrence.title == "Samen Tafelen")
    app.start_signup(meal.occurrence)
    settle(app)
    assert app.current == "done" and screen(app).error == "Sorry, this activity is full."


# -- 3. the ticket ---------------------------------------------------------------------------------------
def test_ticket_stays_while_touched(app):
    """3: the number is huge, with its theme; every touch gives it its full time again; "Ik heb het" ends it."""
    from kivy.metrics import sp
    from kivy.tests import UnitTestTouch

    tap(app, tile(app, "question"))
    tap(app, tile(app, "housing"))
    tap(app, tile(app, "no"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    done = screen(app)
    assert done.ids.ticket.text == done.ticket and done.ids.ticket.font_size >= sp(96)
    assert done.ids.ticket_theme.text == "Wonen"
    assert done.stay_seconds == app.services.config.ticket_seconds == 30
    for _ in range(47):  # 47 touches, each well within the time
        done.seconds_left = 2
        touch = UnitTestTouch(*done.ids.ticket.to_window(*done.ids.ticket.center))
        touch.touch_down()
        touch.touch_up()
        frames(1)
        assert done.seconds_left >= 29  # back to its full 30 s (a second may tick meanwhile)
    assert app.current == "done"
    assert done.ids.home.children[0].text == "Ik heb het"  # the BigButton's label
    tap(app, done.ids.home)
    assert app.current == "home"


# -- 4. the idea wall waits for staff --------------------------------------------------------------------
def test_idea_waits_for_review(app):
    """4: the title step says before typing what the wall will show; the idea is on the wall only after
    staff approve it on the staff Ideas page, and staff can hide it again (moderation records)."""
    from test_staff import log_in, menu

    before = record_count(app)
    tap(app, tile(app, "wall"))
    tap(app, screen(app).ids.new_idea)
    tap(app, tile(app, "trip"))
    hint = [w.text for w in screen(app).walk() if "ideeënmuur" in getattr(w, "text", "")]
    assert hint == ["Komt op de ideeënmuur als iemand van ons het bekeken heeft, zonder uw naam."]
    press(app, "shift", "I", "e", "p", "e", "r")
    tap(app, screen(app).ids.next)
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    [idea] = new_records(app, before)
    app.end_visit()
    settle(app)
    tap(app, tile(app, "wall"))
    assert idea["id"] not in [item["idea_id"] for item in screen(app).ids.scroll.data]
    app.go_home()
    settle(app)

    log_in(app)
    tap(app, menu(app, "staff_ideas"))
    card = next(c for c in app.screen("staff_ideas").cards() if c.idea_id == idea["id"])
    assert card.status == "waiting"
    tap(app, card.ids.moderate)  # "Op de muur tonen"
    card = next(c for c in app.screen("staff_ideas").cards() if c.idea_id == idea["id"])
    assert card.status == "shown"
    app.go_home()
    settle(app)
    tap(app, tile(app, "wall"))
    assert idea["id"] in [item["idea_id"] for item in screen(app).ids.scroll.data]
    app.go_home()
    settle(app)

    log_in(app)
    tap(app, menu(app, "staff_ideas"))
    tap(app, next(c for c in app.screen("staff_ideas").cards() if c.idea_id == idea["id"]).ids.moderate)  # hide
    app.go_home()
    settle(app)
    tap(app, tile(app, "wall"))
    assert idea["id"] not in [item["idea_id"] for item in screen(app).ids.scroll.data]
    moderations = [r["data"] for r in new_records(app, before) if r["type"] == "moderation"]
    assert moderations == [{"idea": idea["id"], "action": "approve"}, {"idea": idea["id"], "action": "hide"}]


def test_ideas_show_at_once_when_the_kiosk_says_so(app, monkeypatch):
    """4: ``[ideas] wall = "at_once"`` keeps the wall as it was, and says so before typing."""
    settings(app, monkeypatch, idea_wall="at_once")
    tap(app, tile(app, "wall"))
    tap(app, screen(app).ids.new_idea)
    tap(app, tile(app, "walking"))
    assert screen(app).hint == "Shown at once on the idea wall, without your name."


# -- 5. idle: typed text hidden at once ------------------------------------------------------------------
def test_idle_hides_typed_text(app):
    """5: from the first second of "Bent u er nog?" the typed field is hidden; "Ja" within the countdown
    brings it back; after the reset it is gone."""
    from test_visit import wait_until

    ask_with_contact(app, "Mijn huurcontract")
    tap(app, screen(app).ids.nav.ids.back)  # back to the name: something typed on screen
    text_screen = screen(app)
    assert text_screen.ids.field.text == "Jan"
    app.idle_timeout, app.idle_countdown = 1, 3
    try:
        wait_until(app, lambda: app.overlay.is_open, 4)
        assert app.overlay.seconds_left >= 2  # still early in the countdown (hidden as the overlay opens)
        assert text_screen.ids.field.opacity == 0
        tap(app, app.overlay.ids.yes)
        assert text_screen.ids.field.opacity == 1 and text_screen.ids.field.text == "Jan"
        wait_until(app, lambda: app.overlay.is_open, 4)
        assert text_screen.ids.field.opacity == 0
        wait_until(app, lambda: app.current == "home", 8)
        assert text_screen.ids.field.text == ""
        app.still_here()  # a late "yes" brings nothing back
        assert text_screen.ids.field.text == "" and app.answers == {}
    finally:
        app.idle_timeout, app.idle_countdown = 60, 20
        app.end_visit()


# -- 6. several reasons; a question goes on in one tap ---------------------------------------------------
def test_several_reasons_and_a_question_goes_on_in_one_tap(app):
    """6: "Meer dan één" lets a visitor mark several reasons; "a question" is one tap from the welcome."""
    before = record_count(app)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "no"))
    reasons = screen(app)
    tap(app, reasons.ids.several)
    tap(app, tile(app, "coffee"))
    tap(app, tile(app, "question"))
    tap(app, tile(app, "coffee"))  # changed their mind
    tap(app, tile(app, "coffee"))
    assert reasons.picked == ["question", "coffee"]
    tap(app, reasons.ids.several)  # now "Verder"
    assert app.current == "done"
    [record] = new_records(app, before)
    assert record["data"]["reasons"] == ["question", "coffee"]
    done = screen(app)
    assert done.follow == "question" and done.ids.follow.opacity == 1
    tap(app, done.ids.follow)
    assert app.current == "q_theme"


def test_tap_counts_stay_short(app, monkeypatch):
    """Check-in in at most 4 taps, a question without typing in at most 5 (counted)."""
    taps = []
    real_tap = tap

    def counted(app_, widget):
        taps.append(widget)
        real_tap(app_, widget)

    tap_ = counted
    tap_(app, tile(app, "checkin"))
    tap_(app, screen(app).ids.next)
    tap_(app, tile(app, "skip"))
    tap_(app, tile(app, "coffee"))
    assert app.current == "done" and len(taps) <= 4
    app.end_visit()
    settle(app)
    taps.clear()
    tap_(app, tile(app, "question"))
    tap_(app, tile(app, "paperwork"))
    tap_(app, tile(app, "yes"))
    tap_(app, screen(app).ids.skip)
    tap_(app, tile(app, "no"))
    assert app.current == "done" and screen(app).ticket and len(taps) <= 5


# -- 7. smileys only when leaving ------------------------------------------------------------------------
def test_feedback_only_when_leaving(app):
    """7: no smileys on the welcome or on the ticket; they are on the home screen and at the end of an idea."""
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "skip"))
    tap(app, tile(app, "coffee"))
    assert not screen(app).feedback and screen(app).ids.smileys.opacity == 0 and screen(app).ids.smileys.disabled
    app.end_visit()
    settle(app)
    tap(app, tile(app, "question"))
    tap(app, tile(app, "other"))
    tap(app, tile(app, "no"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert screen(app).ticket and screen(app).ids.smileys.opacity == 0
    app.end_visit()
    settle(app)
    assert screen(app).ids.smileys.opacity == 1  # home
    tap(app, tile(app, "wall"))
    tap(app, screen(app).ids.new_idea)
    tap(app, tile(app, "learning"))
    tap(app, screen(app).ids.skip)
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert screen(app).feedback and screen(app).ids.smileys.opacity == 1


# -- 8. smileys with words, thanks every time; language names --------------------------------------------
def test_smileys_carry_words_and_a_quick_second_tap_is_thanked_not_counted(app):
    """8: each smiley has its word; a tap inside the window is thanked but counted once."""
    app.feedback._last = None  # no tap of an earlier test inside the window
    before = record_count(app)
    row = screen(app).ids.smileys
    smileys = sorted((w for w in row.ids.smileys.children if hasattr(w, "score")), key=lambda w: -w.score)
    assert [s.ids.word.text for s in smileys] == ["Heel goed", "Goed", "Gaat wel", "Niet goed"]
    tap(app, smileys[0])
    app.feedback_thanks = ""
    tap(app, smileys[1])
    assert app.feedback_thanks == "Thank you!"  # thanked again
    assert len([r for r in new_records(app, before) if r["type"] == "feedback"]) == 1
    assert app.feedback.min_interval.total_seconds() == app.services.config.feedback_interval == 20


def test_language_buttons_show_names_where_there_is_room(app):
    """8: "Nederlands", "Français", "English" on a wide screen; the codes where there is no room."""
    from kivy.core.window import Window

    home = screen(app)
    buttons = sorted(home.ids.languages.children, key=lambda b: b.lang)
    assert Window.width == 1280
    assert [b.children[0].text for b in buttons] == ["English", "Français", "Nederlands"]
    try:
        Window.size = (800, 480)
        frames(4)
        assert [b.children[0].text for b in buttons] == ["EN", "FR", "NL"]
    finally:
        Window.size = (1280, 800)
        frames(4)


# -- 9. plurals ------------------------------------------------------------------------------------------
def test_plurals_say_one_in_the_singular(app):
    """9: "Over 1 seconde", "1 inschrijving", "Nog 1 plaats vrij" in nl, and in fr and en."""
    assert app.trn("This screen goes back to the start by itself in {n} second.",
                   "This screen goes back to the start by itself in {n} seconds.", 1, "nl") == \
        "Dit scherm gaat over 1 seconde vanzelf terug naar het begin."
    assert app.trn("{n} sign-up", "{n} sign-ups", 1, "nl") == "1 inschrijving"
    assert app.trn("{n} sign-up", "{n} sign-ups", 3, "fr") == "3 inscriptions"
    assert app.trn("{n} place left", "{n} places left", 1, "en") == "1 place left"
    app.overlay.seconds_left = 1  # its words, as "Bent u er nog?" shows them in its last second
    frames(2)
    texts = [w.text for w in app.overlay.walk() if "seconde" in getattr(w, "text", "")]
    assert texts == ["Als niemand tikt, gaan we over 1 seconde terug naar het begin."]


# -- 10. the privacy text follows the settings -----------------------------------------------------------
def test_privacy_text_follows_the_settings(app, monkeypatch):
    """10: the retention days, uploads on or off and what the idea wall shows come from the settings."""
    settings(app, monkeypatch, retention_days=1, office_url="https://office.example.be", idea_wall="after_review")
    tap(app, screen(app).ids.privacy)
    page = screen(app)
    keeping, wall = page.point_labels()[2:4]
    assert keeping.text.endswith("en wist het op de kiosk 1 dag na het versturen.")
    assert "nadat" not in wall.text and "als iemand van ons het bekeken heeft" in wall.text
    tap(app, page.ids.nav.ids.home)
    settings(app, monkeypatch, retention_days=45, office_url="", idea_wall="at_once")
    tap(app, screen(app).ids.privacy)
    keeping, wall = page.point_labels()[2:4]
    assert "stuurt niets over het internet" in keeping.text
    assert "meteen op de ideeënmuur" in wall.text
    assert "30 dagen" not in " ".join(w.text for w in page.walk() if hasattr(w, "text"))


# -- 11. keyboards ---------------------------------------------------------------------------------------
def test_phone_step_has_a_number_pad_and_names_start_with_a_capital(app):
    """11: a number pad (0-9, space, +, backspace) for the phone; a capital first on a name; backspace is
    not "Wissen"; no done key beside "Verder"."""
    tap(app, tile(app, "question"))
    tap(app, tile(app, "health"))
    tap(app, tile(app, "no"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "yes"))
    keyboard = screen(app).keyboard
    assert keyboard.shift  # a capital at the start of the name
    assert "Laatste weg" in key(app, "backspace").text and "Wissen" not in key(app, "backspace").text
    assert not [k for k in keyboard.keys() if k.action == "done"]
    press(app, "A", "n")
    assert screen(app).ids.field.text == "An" and not keyboard.shift
    tap(app, screen(app).ids.next)
    keys = screen(app).keyboard.keys()
    assert sorted(k.symbol for k in keys if k.action == "char") == sorted("0123456789+")
    assert {k.action for k in keys} == {"char", "space", "backspace"}
    assert not [k for k in keys if k.symbol and k.symbol in "é§°<>"]
    press(app, "+", "3", "2", "space", "4", "7", "0", "backspace")
    assert screen(app).ids.field.text == "+32 47"


# -- 12. wording -----------------------------------------------------------------------------------------
def test_wording_fixes():
    """12: EN asks "How many of you are there?", FR says "signalez votre arrivée", NL staff in plain words."""
    assert translate("How many of you are there?", "en") == "How many of you are there?"
    fr = translate("When you tap in, we keep how many you are and why you came. Not your name.", "fr")
    assert fr.startswith("Quand vous signalez votre arrivée") and "inscrivez" not in fr
    nl = translate("That is not the right PIN. Tries left before a wait: {n}", "nl")
    assert "Resterende pogingen" not in nl and "{n} keer proberen" in nl
