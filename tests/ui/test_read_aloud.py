"""Read aloud with real taps: the speaker button, a tap that stops it, auto-read, the idle reset.

A recording engine stands in for the voice: it keeps what it was asked to say, and takes as long as
speech would (until it is stopped), so a test can see words cut off.
"""

from __future__ import annotations

import pytest
from conftest import frames, screen, settle, tap, tile
from visitor_robot import wait_for

from kiosk.speech import screens
from kiosk.speech.engines import EspeakEngine, RecordingEngine
from kiosk.speech.screens import spoken_text
from kiosk.ui.flows import FLOWS

STEPS = {step.name: step for flow in FLOWS.values() for step in flow.steps}


@pytest.fixture
def voice(app):
    engine = RecordingEngine(seconds_per_word=0.15)
    app.read_aloud.use_engine(engine)
    yield engine
    app.read_aloud.visit_ended()


def speaker_button(app):
    current = screen(app)
    return current.ids.speaker if "speaker" in current.ids else current.ids.nav.ids.speaker


def test_speaker_button_reads_title_hint_and_choices_in_order(app, voice):
    tap(app, tile(app, "question"))
    tap(app, tile(app, "digital"))
    tap(app, tile(app, "yes"))
    tap(app, screen(app).ids.skip)
    assert app.current == "q_contact" and voice.texts == []
    tap(app, speaker_button(app))
    wait_for(lambda: voice.texts)
    assert voice.texts == [spoken_text(screens.step(STEPS["q_contact"], {}), "nl")]
    assert voice.texts[0].startswith("Mogen we u contacteren over uw vraag? We bewaren uw naam")
    assert voice.texts[0].endswith("Ja, ik geef mijn voornaam en telefoonnummer. Nee, dank u.")
    assert voice.spoken[0][1] == "nl"


def test_the_button_reads_in_the_visitors_language(app, voice):
    french = next(b for b in screen(app).ids.languages.children if b.lang == "fr")
    tap(app, french)
    tap(app, speaker_button(app))
    wait_for(lambda: voice.texts)
    assert voice.texts[0].startswith("Bienvenue") and voice.spoken[0][1] == "fr"
    assert "J'ai une question." in voice.texts[0]


def test_a_tap_on_a_choice_stops_the_reading_at_once_and_the_next_screen_is_read(app, voice):
    tap(app, tile(app, "question"))
    tap(app, speaker_button(app))
    wait_for(lambda: voice.speaking.is_set())
    theme_words = voice.texts[0]
    tap(app, tile(app, "money"))
    wait_for(lambda: len(voice.texts) == 2)
    assert voice.interrupted == [theme_words]  # cut off, not finished
    assert voice.texts[1] == spoken_text(screens.step(STEPS["q_talk"], {}), "nl")


def test_a_second_tap_on_the_button_while_it_reads_only_stops_it(app, voice):
    tap(app, speaker_button(app))
    wait_for(lambda: voice.speaking.is_set())
    tap(app, speaker_button(app))
    wait_for(lambda: not app.read_aloud.speaking)
    assert voice.interrupted == voice.texts and len(voice.texts) == 1


def test_reading_stays_on_for_the_visit_and_the_ticket_is_read_digit_by_digit(app, voice):
    tap(app, tile(app, "question"))
    tap(app, speaker_button(app))
    for answer in ("health", "no"):
        tap(app, tile(app, answer))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert app.current == "done"
    ticket = screen(app).fields["ticket"]
    wait_for(lambda: any(text.startswith("U bent nummer") for text in voice.texts))
    assert voice.texts[-1].startswith(f"U bent nummer {' '.join(str(ticket))}. Een medewerker roept uw nummer af.")
    assert [text.split(".")[0].split("?")[0] for text in voice.texts] == [
        "Waarover gaat uw vraag", "Wilt u vandaag met iemand praten", "Wilt u er wat meer over vertellen",
        "Mogen we u contacteren over uw vraag", f"U bent nummer {' '.join(str(ticket))}"]


def test_the_idle_reset_turns_reading_off(app, voice):
    tap(app, tile(app, "checkin"))
    tap(app, speaker_button(app))
    assert app.read_aloud.reading_on
    app.end_visit()  # what idle care does when nobody answers "Are you still there?"
    settle(app)
    assert not app.read_aloud.reading_on
    spoken = len(voice.texts)
    tap(app, tile(app, "checkin"))
    frames(5)
    assert len(voice.texts) == spoken and app.current == "checkin_count"


def test_a_missing_engine_hides_the_button_and_shows_no_error(app):
    app.read_aloud.use_engine(EspeakEngine())
    button = speaker_button(app)
    assert button.opacity == 1 and button.width >= 64
    missing = EspeakEngine()
    missing.command = None  # as on a device without espeak-ng
    app.read_aloud.use_engine(missing)
    frames(2)
    assert button.opacity == 0 and button.disabled and button.width == 0
    app.read_aloud.use_engine(RecordingEngine())
    frames(2)
    assert button.opacity == 1 and button.height >= 64


def test_once_reading_is_on_the_button_opens_the_voice_controls_on_screen(app, voice):
    from kiosk.speech.settings import RATE_MIN, VOLUME_MAX

    tap(app, tile(app, "question"))
    tap(app, speaker_button(app))
    wait_for(lambda: voice.texts and not app.read_aloud.speaker.busy, timeout=10)
    tap(app, speaker_button(app))
    panel = app.read_aloud.panel
    assert panel._window is not None  # open
    for _ in range(4):
        tap(app, panel.ids.slower)
    assert voice.rate == RATE_MIN
    for _ in range(6):
        tap(app, panel.ids.louder)
    assert voice.volume == VOLUME_MAX
    tap(app, panel.ids.again)
    wait_for(lambda: voice.speaking.is_set())
    assert voice.texts[-1] == spoken_text(screens.step(STEPS["q_theme"], {}), "nl")
    assert all(text == voice.texts[-1] for text in voice.texts[1:])  # each control reads the screen again
    app.go_home()  # any navigation closes the panel
    settle(app)
    assert panel._window is None


def test_auto_read_reads_every_screen_without_a_tap_and_stays_on_after_the_reset(app, voice):
    import dataclasses

    settings = app.read_aloud.settings
    app.read_aloud.settings = dataclasses.replace(settings, auto_read=True)
    try:
        app.read_aloud.visit_ended()
        assert app.read_aloud.reading_on
        tap(app, tile(app, "question"))
        wait_for(lambda: voice.texts)
        assert voice.texts == [spoken_text(screens.step(STEPS["q_theme"], {}), "nl")]
    finally:
        app.read_aloud.settings = settings
