"""Without seeing the screen: keys only (a USB keypad is a keyboard), the long press, more time.

Key presses go through the real window (``on_key_down``); a recording engine keeps what was said.
"""

from __future__ import annotations

import time

import pytest
from conftest import frames, press, screen, settle, tap, tile
from visitor_robot import wait_for

from kiosk.speech import screens
from kiosk.speech.engines import RecordingEngine
from kiosk.speech.screens import spoken_text
from kiosk.speech.settings import RATE_MAX, RATE_MIN, VOLUME_MAX, VOLUME_MIN
from kiosk.ui.flows import FLOWS, HOME_TILES

STEPS = {step.name: step for flow in FLOWS.values() for step in flow.steps}


@pytest.fixture
def voice(app):
    engine = RecordingEngine(seconds_per_word=0.05)
    app.read_aloud.use_engine(engine)
    yield engine
    app.read_aloud.visit_ended()


def key(app, name: str) -> None:
    """A key pressed and let go, through the window as a keyboard sends it."""
    from kivy.core.window import Keyboard, Window

    code = Keyboard.keycodes[name]
    Window.dispatch("on_key_down", code, 0, None, [])
    Window.dispatch("on_key_up", code, 0)
    settle(app)


def said(app, voice) -> str:
    """The last words, once the speaker is done with them."""
    wait_for(lambda: not app.read_aloud.speaker.busy)
    return voice.texts[-1]


def move_to(app, voice, words: str, tries: int = 20) -> None:
    """Press "next" until ``words`` are read (as a visitor listens for their choice)."""
    for _ in range(tries):
        key(app, "down")
        if said(app, voice).startswith(words):
            return
    raise AssertionError(f"never reached {words!r}; last heard {voice.texts[-3:]}")


def test_keys_alone_check_in_ask_a_question_and_hear_the_ticket(app, voice):
    from kivy.core.window import Window

    touches = []
    Window.bind(on_touch_down=lambda *args: touches.append(args))
    key(app, "f12")
    assert app.read_aloud.reading_on
    home = spoken_text(screens.home("Ter Plekke", HOME_TILES), "nl")
    assert said(app, voice).endswith(home) and voice.texts[-1].startswith("Voorlezen staat aan.")

    before = app._last_touch
    move_to(app, voice, "Ik ben er")
    assert app._last_touch > before  # keys count as activity: no "Are you still there?" while using them
    key(app, "enter")
    assert app.current == "checkin_count"
    assert said(app, voice).startswith("Met hoeveel bent u? Tik op + of −")
    move_to(app, voice, "Volwassenen: 1. plus")
    key(app, "enter")
    assert said(app, voice).startswith("Volwassenen: 2.")
    move_to(app, voice, "Verder")
    key(app, "numpad5")
    assert app.current == "checkin_first"
    assert said(app, voice) == spoken_text(screens.step(STEPS["checkin_first"], {}), "nl")
    move_to(app, voice, "Nee, ik was hier al eens")
    key(app, "numpadenter")
    assert app.current == "checkin_reason" and said(app, voice).startswith("Waarvoor komt u vandaag?")
    move_to(app, voice, "Koffie en een babbel")
    key(app, "enter")
    assert app.current == "done" and said(app, voice).startswith("Welkom! Fijn dat u er bent.")
    key(app, "numpad7")  # home
    assert app.current == "home" and said(app, voice).startswith("Welkom bij Ter Plekke.")

    move_to(app, voice, "Ik heb een vraag")
    key(app, "enter")
    assert said(app, voice).startswith("Waarover gaat uw vraag?")
    move_to(app, voice, "Gezondheid")
    key(app, "enter")
    move_to(app, voice, "Nee, een andere keer is goed")
    key(app, "enter")
    assert app.current == "q_text" and said(app, voice).startswith("Wilt u er wat meer over vertellen?")
    move_to(app, voice, "Overslaan")
    key(app, "enter")
    assert app.current == "q_contact"
    move_to(app, voice, "Nee, dank u")
    key(app, "enter")
    assert app.current == "done"
    ticket = " ".join(str(screen(app).fields["ticket"]))
    assert said(app, voice).startswith(f"U bent nummer {ticket}. Een medewerker roept uw nummer af.")

    # every screen's own words, and the ticket, were heard in order (between them: the choices passed by)
    step = lambda name: spoken_text(screens.step(STEPS[name], {"_today": ()}), "nl")  # noqa: E731
    expected = [home, step("checkin_count"), step("checkin_first"), "Waarvoor komt u vandaag?", "Welkom! Fijn dat u er",
                home, step("q_theme"), step("q_talk"), step("q_text"), step("q_contact"), f"U bent nummer {ticket}."]
    heard = iter(voice.texts)
    for words in expected:
        assert any(text.startswith(words) or text.endswith(words) for text in heard), f"not heard in order: {words}"
    assert touches == []  # keys only


def test_start_key_interrupt_repeat_volume_and_rate_within_bounds(app, voice):
    slow = RecordingEngine(seconds_per_word=0.3)
    app.read_aloud.use_engine(slow)
    key(app, "f12")
    wait_for(lambda: slow.speaking.is_set())
    first = slow.texts[-1]
    key(app, "numpaddecimal")  # stop
    wait_for(lambda: not app.read_aloud.speaker.busy)
    assert slow.interrupted == [first]
    key(app, "numpad0")  # repeat: the screen again, from the start
    wait_for(lambda: slow.speaking.is_set())
    assert slow.texts[-1] == spoken_text(screens.home("Ter Plekke", HOME_TILES), "nl")
    tap(app, tile(app, "activities"))  # any tap stops it too (and this one opens a screen, which is read)
    assert slow.interrupted[-1] == slow.texts[-2]
    key(app, "numpad7")
    for _ in range(12):
        key(app, "numpadadd")
    assert slow.volume == VOLUME_MAX
    for _ in range(12):
        key(app, "numpadsubstract")
    assert slow.volume == VOLUME_MIN
    for _ in range(8):
        key(app, "numpaddivide")
    assert slow.rate == RATE_MIN
    for _ in range(8):
        key(app, "numpadmul")
    assert slow.rate == RATE_MAX
    key(app, "numpaddecimal")


def test_keys_do_nothing_until_reading_is_on_except_the_start_key(app, voice):
    key(app, "down")
    key(app, "enter")
    assert app.current == "home" and not app.read_aloud.reading_on and voice.texts == []


def test_a_typed_name_is_not_read_aloud_on_the_loudspeaker(app, voice):
    tap(app, tile(app, "question"))
    tap(app, tile(app, "digital"))
    tap(app, tile(app, "yes"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "yes"))
    assert app.current == "q_name"
    press(app, "M", "a", "r", "i", "a")  # a name starts with a capital by itself
    assert screen(app).text == "Maria"
    key(app, "f12")  # the start key works on a text screen too
    time.sleep(3.1)  # not asked twice
    key(app, "f12")
    text = said(app, voice)
    assert "Maria" not in text and text.endswith("Wat is uw voornaam? Uw gegevens zijn genoteerd.")
    key(app, "f12")  # asked again at once: the visitor wants to hear it
    assert said(app, voice).endswith("Wat is uw voornaam? Maria.")
    key(app, "f12")  # and only then
    assert "Maria" not in said(app, voice)
    app.read_aloud.private_ok = True  # headphones: [speech] private_audio = true
    key(app, "f12")
    assert said(app, voice).endswith("Wat is uw voornaam? Maria.")
    app.read_aloud.private_ok = False


def test_a_long_press_on_the_attract_screen_turns_reading_on_without_opening_a_tile(app, voice):
    from kivy.tests import UnitTestTouch

    checkin = tile(app, "checkin")
    touch = UnitTestTouch(*checkin.to_window(*checkin.center))
    touch.touch_down()
    deadline = time.monotonic() + 3.5
    while time.monotonic() < deadline:
        frames(1)
        time.sleep(0.02)
    touch.touch_up()
    settle(app)
    assert app.current == "home" and app.read_aloud.reading_on
    assert said(app, voice).startswith("Voorlezen staat aan.")


def test_a_tap_after_the_kiosk_stood_still_opens_the_tile_and_is_no_long_press(app, voice):
    """Kivy times a scheduled event from its last frame: a tap handled after the main loop stood still for
    longer than the long press (a slow frame, a busy machine) was counted as held at the next frame."""
    from kivy.tests import UnitTestTouch

    from kiosk.ui.keynav import LONG_PRESS_SECONDS

    assert app.current == "home" and app.read_aloud.available and not app.read_aloud.reading_on
    checkin = tile(app, "checkin")
    time.sleep(LONG_PRESS_SECONDS + 0.5)  # no frame meanwhile
    touch = UnitTestTouch(*checkin.to_window(*checkin.center))
    touch.touch_down()
    frames(1)
    touch.touch_up()
    settle(app)
    assert app.current == "checkin_count" and not app.read_aloud.reading_on
    app.go_home()
    settle(app)


def test_still_there_is_spoken_and_more_time_has_a_limit(app, voice):
    keys = app.read_aloud.keys
    tap(app, tile(app, "checkin"))
    key(app, "f12")
    limit = keys.more_time_limit
    for n in range(limit + 1):
        app.overlay.seconds_left = app.idle_countdown
        app.overlay.open(animation=False)
        frames(3)
        assert said(app, voice).startswith("Bent u er nog? Als niemand tikt")
        key(app, "numpad9")
        assert app.overlay.is_open == (n == limit)
    app.end_visit()
    settle(app)
    assert keys.more_time_used == 0


def test_the_attract_screen_says_how_to_start_in_dutch_then_french_then_english(app, voice):
    app.read_aloud.keys.announce()
    wait_for(lambda: len(voice.spoken) == 3 and not app.read_aloud.speaker.busy)
    assert [lang for _, lang in voice.spoken] == ["nl", "fr", "en"]
    assert voice.texts[0].startswith("Wilt u dit scherm horen?") and voice.texts[2].startswith("To hear this screen")
