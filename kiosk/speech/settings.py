"""The ``[speech]`` settings (checked by kiosk/config.py) and the bounds visitors may change them within."""

from __future__ import annotations

from dataclasses import dataclass, field

ENGINES = ("espeak-ng", "piper", "android", "none")
#: Words per minute. espeak-ng speaks 175 by default: too fast for many elderly listeners.
RATE_MIN, RATE_DEFAULT, RATE_MAX = 80, 140, 220
#: Loudness in percent of the engine's normal loudness.
VOLUME_MIN, VOLUME_DEFAULT, VOLUME_MAX = 10, 100, 200
#: How much one press of "slower"/"faster" or "softer"/"louder" changes them.
RATE_STEP, VOLUME_STEP = 20, 20


@dataclass(frozen=True)
class SpeechSettings:
    """Speech as configured. ``voices`` maps a language to a voice: an espeak-ng voice name
    (e.g. "nl", "fr-be") or, for piper, a model file (``*.onnx``)."""

    enabled: bool = True
    engine: str = "espeak-ng"
    rate: int = RATE_DEFAULT
    volume: int = VOLUME_DEFAULT
    auto_read: bool = False
    #: A folder with recorded clips, ``<lang>/<key>.wav``, that win over synthesis ("": none).
    recordings: str = ""
    voices: dict[str, str] = field(default_factory=dict)
    #: The key that turns speech on without seeing the screen (a USB keypad or big button is a keyboard).
    start_key: str = "f12"
    #: Minutes between the spoken announcement of how to start speech, on the attract screen (0: never).
    announce_minutes: int = 5
    #: How many times a visitor may ask for more time when "Are you still there?" counts down.
    more_time_limit: int = 3
    #: Personal details (a name, a phone number) may be read aloud: only with headphones on the kiosk.
    private_audio: bool = False


def bounded(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
