"""``kiosk say`` with the real espeak-ng, and ``kiosk speech``: what the speaker button reads on every screen."""

from __future__ import annotations

import json
import wave

import pytest

from kiosk.speech.clips import clip_key
from kiosk.ui.flows import FLOWS, HOME_TILES
from kiosk.i18n import fill, translate

LANGS = ("nl", "fr", "en")


def seconds_of(path) -> float:
    with wave.open(str(path)) as sound:
        return sound.getnframes() / sound.getframerate()


@pytest.mark.parametrize("lang", LANGS)
def test_say_writes_at_least_half_a_second_of_wav_with_espeak_ng(kiosk, tmp_path, lang):
    out = tmp_path / f"{lang}.wav"
    done = kiosk("say", "--lang", lang, "--out", str(out), "Welkom bij Ter Plekke")
    assert done.returncode == 0, done.stderr
    assert seconds_of(out) >= 0.5


def test_say_exits_2_with_one_clear_line_when_the_engine_is_missing(kiosk, kiosk_env, tmp_path):
    kiosk_env["PATH"] = str(tmp_path)  # no espeak-ng anywhere
    done = kiosk("say", "--lang", "nl", "--out", str(tmp_path / "x.wav"), "Welkom")
    assert done.returncode == 2
    assert done.stderr.strip() == "kiosk: cannot speak: espeak-ng is not installed (Debian: apt-get install espeak-ng)"
    assert not (tmp_path / "x.wav").exists()


def test_speech_json_reads_every_visitor_screen_in_three_languages_with_its_title(kiosk):
    done = kiosk("speech", "--json", "--lang", "nl,fr,en")
    assert done.returncode == 0, done.stderr
    texts = json.loads(done.stdout)
    assert sorted(texts) == sorted(LANGS)
    steps = {step.name: step for flow in FLOWS.values() for step in flow.steps}
    titles = {
        "home": "Welcome to {name}", "privacy": "What we keep, and for how long", "activities": "Today",
        "activities_week": "The coming 7 days", "wall": "Ideas from the neighbourhood", "checkin_done": "Welcome!",
        "question_done": "You are number {ticket}", "idea_done": "Thank you for your idea!",
        "signup_done": "You are signed up!", "done_failed": "This did not work.", "still_there": "Are you still there?",
        **{name: step.title for name, step in steps.items()},
    }
    for lang in LANGS:
        missing = set(titles) - set(texts[lang])
        assert not missing, f"{lang}: no words for {missing}"
        for name, msgid in titles.items():
            title = fill(translate(msgid, lang), {"name": "Ter Plekke", "ticket": "1 2"}, lang)
            assert texts[lang][name].strip() and title in texts[lang][name], (lang, name, texts[lang][name])
    assert texts["nl"]["question_done"].startswith("U bent nummer 1 2.")  # the ticket digit by digit
    assert texts["fr"]["home"].startswith("Bienvenue")
    home_tiles = [translate(label, "nl") for _, _, label in HOME_TILES]
    assert all(word in texts["nl"]["home"] for word in home_tiles)


def test_speech_missing_lists_the_texts_not_yet_recorded_with_their_keys(kiosk, tmp_path):
    voice = tmp_path / "voice"
    (voice / "nl").mkdir(parents=True)
    (voice / "nl" / f"{clip_key('How many of you are there?')}.wav").write_bytes(b"RIFF")
    (tmp_path / "kiosk.toml").write_text(f'[speech]\nrecordings = "{voice}"\n')
    done = kiosk("--config", str(tmp_path / "kiosk.toml"), "speech", "--missing", "--lang", "nl")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "nl/what-is-your-question-about.wav\tWaarover gaat uw vraag?" in lines
    assert not any(line.startswith("nl/how-many-of-you-are-there.wav") for line in lines)
    assert not any("{" in line for line in lines)  # texts with fields to fill in cannot be recorded


def test_check_config_names_a_wrong_speech_setting(kiosk, tmp_path):
    (tmp_path / "kiosk.toml").write_text('[speech]\nrate = 400\nengine = "festival"\n')
    done = kiosk("check-config", "--config", str(tmp_path / "kiosk.toml"))
    assert done.returncode == 2
    assert "[speech] rate: expected words per minute between 80 and 220, got 400" in done.stderr
    assert '[speech] engine: expected one of "espeak-ng", "piper", "android", "none", got "festival"' in done.stderr


def test_cards_keypad_prints_an_a5_card_of_every_key_in_three_languages(kiosk, tmp_path):
    from PIL import Image

    from kiosk.speech.keys import CARD_ORDER, KEYS, card_rows

    done = kiosk("cards", "--keypad", "--out", str(tmp_path / "keypad.png"))
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "keypad.png") as card:
        assert card.size == (1748, 2480) and round(card.info["dpi"][0]) == 300  # A5 at 300 dpi
    assert set(CARD_ORDER) == set(KEYS)  # every action is on the card
    rows = card_rows("f12")
    assert rows[0][:2] == ("0", "F12") and ("5", "Enter Space", "Choose") in rows
    assert all(translate(action, lang) != action for _, _, action in rows for lang in ("nl", "fr"))
    assert kiosk("cards", "--out", str(tmp_path / "x.pdf")).returncode == 2  # member cards still need --count
