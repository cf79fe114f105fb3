"""The speech package: the words of each screen, personal details, clips, and a speaker that stops mid-word."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from kiosk.speech import screens
from kiosk.speech.catalogue import every_screen
from kiosk.speech.clips import RecordedClips, clip_key
from kiosk.speech.engines import CommandPlayer, RecordingEngine, SpeechEngine
from kiosk.speech.screens import Phrase, spoken_text
from kiosk.speech.speaker import Part, Speaker
from kiosk.ui import messages
from kiosk.ui.flows import FLOWS, HOME_TILES

STEPS = {step.name: step for flow in FLOWS.values() for step in flow.steps}


def test_a_choice_step_reads_title_hint_then_the_choices_in_order():
    text = spoken_text(screens.step(STEPS["q_contact"], {}), "nl")
    assert text == ("Mogen we u contacteren over uw vraag? We bewaren uw naam en nummer alleen om u hierover te "
                    "contacteren, en wissen ze daarna. Ja, ik geef mijn voornaam en telefoonnummer. Nee, dank u.")


def test_a_typed_name_or_phone_number_is_not_spoken_by_default():
    for name, typed in (("q_name", "Maria"), ("i_phone", "0499 87 65 43"), ("s_name", "Rik")):
        phrases = screens.step(STEPS[name], {}, {"typed": typed})
        assert typed not in spoken_text(phrases, "nl")
        assert spoken_text(phrases, "nl").endswith("Uw gegevens zijn genoteerd.")
        assert typed in spoken_text(phrases, "nl", private_ok=True)
    question = screens.step(STEPS["q_text"], {}, {"typed": "Hoe werkt itsme?"})
    assert spoken_text(question, "nl").endswith("Hoe werkt itsme?")  # not a personal detail


def test_the_ticket_is_read_digit_by_digit():
    done = every_screen("Ter Plekke", HOME_TILES)["question_done"]
    assert spoken_text(done, "nl").startswith("U bent nummer 1 2.")
    assert spoken_text(done, "fr").startswith("Vous avez le numéro 1 2.")


def test_every_text_the_speaker_reads_is_shown_on_a_screen_or_marked_as_heard_only():
    """The spoken words are the screens' own message ids: a text renamed on a screen is renamed here too."""
    shown = set()
    for path in messages.UI_DIR.rglob("*"):
        if path.suffix in (".kv", ".py"):
            shown.update(messages.MARKED.findall(path.read_text("utf-8")))
    heard_only = set(re.findall(r'N_\("([^"]+)"\)', Path(screens.__file__).read_text("utf-8")))
    shown |= {singular for singular, _ in messages.plural_messages()}
    used = {p.msgid for phrases in every_screen("Ter Plekke", HOME_TILES).values() for p in phrases if p.msgid}
    used |= {p.msgid for p in screens.activities(False, [("Now", "All day", "x", 0), ("", "9:00", "y", 3)]) if p.msgid}
    assert used - shown - heard_only == set()


def test_clip_keys_are_file_names_and_a_long_id_stays_unique():
    assert clip_key("How many are you?") == "how-many-are-you"
    long_a, long_b = "A" * 70 + " one", "A" * 70 + " two"
    assert clip_key(long_a) != clip_key(long_b) and len(clip_key(long_a)) <= 67


def test_a_recorded_clip_wins_over_synthesis_where_there_is_one(tmp_path):
    (tmp_path / "nl").mkdir()
    clip = tmp_path / "nl" / "how-many-of-you-are-there.wav"
    clip.write_bytes(b"RIFF")
    parts = screens.spoken_parts(screens.step(STEPS["checkin_count"], {}), "nl", RecordedClips(tmp_path))
    assert parts[0] == Part("Met hoeveel bent u?", clip)
    assert parts[1].clip is None  # the hint has no recording: synthesized

    played = []

    class Player(CommandPlayer):
        def play(self, path):
            played.append(path)

    engine = RecordingEngine()
    speaker = Speaker(engine, Player())
    speaker.say(parts, "nl")
    assert speaker.wait_idle(5)
    assert played == [clip] and engine.texts == ["Tik op + of − om het aantal te veranderen."]
    speaker.close()


class SlowProcessEngine(SpeechEngine):
    """Speaks by running a process that takes long (as espeak-ng does with a long text)."""

    def speak(self, text, lang):
        self._run(["sleep", "20"])


def test_stop_kills_the_speaking_process_at_once_and_the_speaker_stays_usable():
    engine = SlowProcessEngine()
    speaker = Speaker(engine)
    speaker.say([Part("een lange tekst")], "nl")
    deadline = time.monotonic() + 5
    while engine._process is None and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    speaker.stop()
    assert speaker.wait_idle(2) and time.monotonic() - started < 1
    recording = RecordingEngine()
    speaker.engine = recording
    speaker.say([Part("opnieuw")], "nl")
    assert speaker.wait_idle(2) and recording.texts == ["opnieuw"]
    speaker.close()


def test_new_words_cut_off_the_words_being_said():
    engine = RecordingEngine(seconds_per_word=1)
    speaker = Speaker(engine)
    speaker.say([Part("een twee drie vier")], "nl")
    assert engine.speaking.wait(2)
    speaker.say([Part("vijf")], "nl")
    assert speaker.wait_idle(3)
    assert engine.interrupted == ["een twee drie vier"] and engine.texts == ["een twee drie vier", "vijf"]
    speaker.close()


def test_rate_and_volume_stay_within_their_bounds():
    speaker = Speaker(RecordingEngine(rate=140, volume=100))
    assert [speaker.change_rate(-1) for _ in range(5)] == [120, 100, 80, 80, 80]
    assert [speaker.change_volume(+1) for _ in range(7)] == [120, 140, 160, 180, 200, 200, 200]
    speaker.close()


def test_phrases_with_fields_fill_them_in_the_visitor_language():
    assert Phrase("{n} place left", {"n": 3}, plural="{n} places left").words("nl") == "Nog 3 plaatsen vrij"
    assert Phrase("{n} place left", {"n": 1}, plural="{n} places left").words("nl") == "Nog 1 plaats vrij"


def test_the_doctor_names_a_missing_sound_output_and_a_missing_engine(tmp_path, monkeypatch):
    from kiosk.speech.health import speech_problems
    from kiosk.speech.settings import SpeechSettings

    works, problems = speech_problems(SpeechSettings(), tmp_path, {})
    assert problems == ["no sound output found (no sound card, no PulseAudio or PipeWire): nobody will hear it"]
    (tmp_path / "dev" / "snd").mkdir(parents=True)
    (tmp_path / "dev" / "snd" / "pcmC0D0p").touch()
    works, problems = speech_problems(SpeechSettings(), tmp_path, {})
    assert problems == [] and "espeak-ng, 140 words a minute; sound to sound card pcmC0D0p" in works
    monkeypatch.setenv("PATH", str(tmp_path))
    works, problems = speech_problems(SpeechSettings(), tmp_path, {})
    assert problems == ["the speaker button is hidden: espeak-ng is not installed (Debian: apt-get install espeak-ng)"]
    assert speech_problems(SpeechSettings(enabled=False), tmp_path, {}) == (
        "Reading aloud is switched off ([speech] enabled = false).", [])


def test_piper_gets_the_voice_model_of_the_language_and_a_slower_pace(tmp_path, monkeypatch):
    from kiosk.speech.engines import PiperEngine

    log = tmp_path / "argv.txt"
    piper = tmp_path / "piper"
    piper.write_text(f"""#!/bin/sh
echo "$@" > {log}
while [ $# -gt 0 ]; do [ "$1" = --output_file ] && out=$2; shift; done
cat > "$out"
""")
    piper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    model = tmp_path / "nl_BE-nathalie-medium.onnx"
    model.write_bytes(b"onnx")
    engine = PiperEngine({"nl": str(model)}, rate=140)
    assert engine.problem() in ("", engine.player.problem())
    engine.synthesize("Welkom bij Ter Plekke", "nl", tmp_path / "out.wav")
    assert (tmp_path / "out.wav").read_text() == "Welkom bij Ter Plekke"  # the text went in on stdin
    assert log.read_text().split() == ["--model", str(model), "--length_scale", "1.21", "--output_file",
                                       str(tmp_path / "out.wav")]
    assert "no piper voice" in str(pytest.raises(Exception, engine.synthesize, "x", "fr", tmp_path / "x.wav").value)
    model.unlink()
    assert engine.problem() == f"the piper voice for nl is not there: {model}"
