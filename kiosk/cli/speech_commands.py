"""``kiosk say`` and ``kiosk speech``: try the voice, and see what the speaker button reads on each screen."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import add_config_option, config_of
from kiosk.config import SUPPORTED_LANGUAGES
from kiosk.errors import KioskError


def register(subparsers) -> None:
    p = subparsers.add_parser("say", help="speak a text with the configured voice, or write it to a WAV file")
    add_config_option(p)
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default="nl")
    p.add_argument("--out", metavar="FILE.wav", help="write the sound to this file instead of playing it")
    p.add_argument("text")
    p.set_defaults(func=say)

    p = subparsers.add_parser("speech", help="what the speaker button reads on every visitor screen")
    add_config_option(p)
    p.add_argument("--json", action="store_true", help='print {"nl": {"home": "...", ...}, "fr": ..., "en": ...}')
    p.add_argument("--lang", type=_langs, metavar="nl,fr,en", help="languages (default: all configured)")
    p.add_argument("--missing", action="store_true",
                   help="list the texts with no recorded clip yet in the recordings folder, with their keys")
    p.set_defaults(func=speech)


def _langs(text: str) -> list[str]:
    langs = [lang.strip() for lang in text.split(",") if lang.strip()]
    unknown = [lang for lang in langs if lang not in SUPPORTED_LANGUAGES]
    if unknown or not langs:
        raise argparse.ArgumentTypeError(f"unknown language {unknown[0] if unknown else text!r}; "
                                         f"choose from {', '.join(SUPPORTED_LANGUAGES)}")
    return langs


def say(args) -> int:
    from kiosk.speech.engines import SpeechError, make_engine

    config = config_of(args)
    engine = make_engine(config.speech)
    if engine.problem():
        raise KioskError(f"cannot speak: {engine.problem()}")
    try:
        if args.out:
            out = Path(args.out)
            engine.synthesize(args.text, args.lang, out)
            print(f"Wrote {out}")
        else:
            engine.speak(args.text, args.lang)
    except SpeechError as error:
        raise KioskError(f"cannot speak: {error}") from None
    return 0


def speech(args) -> int:
    from kiosk.speech.catalogue import every_screen
    from kiosk.speech.clips import RecordedClips, clip_key
    from kiosk.speech.screens import recordable, spoken_text
    from kiosk.ui.flows import HOME_TILES
    from kiosk.i18n import translate
    from kiosk.ui.notice import privacy_points

    config = config_of(args)
    langs = args.lang or list(config.languages)
    notice = privacy_points(config.retention_days, bool(config.office_url), config.idea_wall)
    screens = every_screen(config.name, HOME_TILES, config.idle_countdown, notice)
    if args.missing:
        if not config.speech.recordings:
            raise KioskError("no recordings folder is configured ([speech] recordings)")
        clips = RecordedClips(config.speech.recordings)
        missing = []
        for lang in langs:
            wanted = dict.fromkeys(msgid for phrases in screens.values() for msgid in recordable(phrases))
            missing += [(lang, msgid) for msgid in wanted if clips.find(lang, msgid) is None]
        if args.json:
            print(json.dumps([{"lang": lang, "file": f"{lang}/{clip_key(m)}.wav", "text": translate(m, lang)}
                              for lang, m in missing], ensure_ascii=False, indent=2))
        else:
            for lang, msgid in missing:
                print(f"{lang}/{clip_key(msgid)}.wav\t{translate(msgid, lang)}")
        return 1 if missing else 0
    texts = {lang: {name: spoken_text(phrases, lang) for name, phrases in screens.items()} for lang in langs}
    if args.json:
        print(json.dumps(texts, ensure_ascii=False, indent=2))
    else:
        for lang, by_screen in texts.items():
            for name, text in by_screen.items():
                print(f"{lang} {name}: {text}")
    return 0
