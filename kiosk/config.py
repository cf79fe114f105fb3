"""Kiosk configuration: a TOML file, checked key by key, with plain-language problems.

Where the file comes from: ``--config PATH`` > ``$KIOSK_CONFIG`` > ``kiosk/assets/config/kiosk.toml`` in
the package. Keys missing from the file take the defaults below (the same values as that file);
``$KIOSK_DATA_DIR`` overrides ``[data] folder`` and ``$KIOSK_OFFICE_TOKEN`` overrides ``[office] token``.
A relative ``[calendar] source`` is relative to the file's folder; left out, it is the project's demo calendar.

Every problem becomes one line naming the file, the key and what is wrong, e.g.
``kiosk.toml: [kiosk] idle_timeout: expected seconds between 10 and 600, got "soon"``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import reprlib
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kiosk.errors import ConfigError
from kiosk.resources import DEFAULT_CONFIG_DIR
from kiosk.speech.settings import ENGINES, RATE_DEFAULT, RATE_MAX, RATE_MIN, VOLUME_MAX, VOLUME_MIN, SpeechSettings

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = DEFAULT_CONFIG_DIR / "kiosk.toml"
DEFAULT_DATA_DIR = "~/.local/share/ter-plekke-kiosk"
SUPPORTED_LANGUAGES = ("nl", "fr", "en")
DEMO_CALENDAR_NAME = "demo-calendar.ics"
DEMO_CALENDAR_PATH = DEFAULT_CONFIG_PATH.parent / DEMO_CALENDAR_NAME

# A validator returns the checked value or raises _Bad with what was expected.


class _Bad(Exception):
    pass


#: Characters that break a line or cannot be shown: C0/C1 controls (NUL, U+0085 NEXT LINE, ...), line
#: and paragraph separators, lone surrogates. No configuration value needs one.
_LINE_BREAKERS = ("Cc", "Zl", "Zp", "Cs")
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxother = 3, 6, 70, 70


def _one_line(text: str) -> str:
    """``text`` with every line-breaking or invisible control character written as ``\\uXXXX``."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _LINE_BREAKERS else c for c in text)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) in _LINE_BREAKERS for c in text)


def _show(value: Any, limit: int = 80) -> str:
    """A value as the file had it, on one line: control characters escaped, long values cut short."""
    if isinstance(value, str):
        shown = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in json.dumps(value, ensure_ascii=False))
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    else:
        shown = _SHORT.repr(value)  # bounded, however deeply a list is nested
    shown = _one_line(shown)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _name(key: str) -> str:
    """A section or key name for a problem line (a quoted TOML key may hold anything)."""
    return key if key.isprintable() and len(key) <= 80 else _show(key)


def _text(max_len: int = 200, allow_empty: bool = False) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()) or len(value) > max_len:
            what = "text" if allow_empty else "non-empty text"
            raise _Bad(f"expected {what} of at most {max_len} characters, got {_show(value)}")
        _no_control(value)
        return value.strip()

    return check


def _whole(what: str, low: int, high: int) -> Callable[[Any], int]:
    """A whole number from ``low`` to ``high``; ``what`` names it in the message ("seconds")."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Bad(f"expected {what} between {low} and {high}, got {_show(value)}")
        return value

    return check


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"expected true or false, got {_show(value)}")
    return value


def _size(value: Any) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in str(value).lower().split("x"))
    except ValueError:
        raise _Bad(f'expected a size like "1280x800", got {_show(value)}') from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise _Bad(f"expected a size between 320x240 and 7680x4320, got {_show(value)}")
    return width, height


def _language(value: Any) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise _Bad(f"expected one of {', '.join(SUPPORTED_LANGUAGES)}, got {_show(value)}")
    return value


def _languages(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _Bad(f'expected a list such as ["nl", "fr", "en"], got {_show(value)}')
    return tuple(_language(item) for item in value)


def _places(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Bad(f"expected a list of place names, got {_show(value)}")
    for place in value:
        _no_control(place)
    return tuple(v.strip() for v in value)


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(f"expected a web address or empty text, got {_show(value)}")
    if value and not value.startswith(("https://", "http://")):
        raise _Bad(f'expected an address starting with "https://", got {_show(value)}')
    _no_control(value)
    return value.rstrip("/")


def _calendar_source(value: Any) -> str:
    from kiosk.calendar.location import check_location  # the one place that knows which sources work
    from kiosk.errors import CalendarError

    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"expected a calendar file or an https:// address, got {_show(value)}")
    _no_control(value)
    try:
        return check_location(value.strip())
    except CalendarError as error:
        raise _Bad(str(error)) from None


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _Bad(f"expected one of {', '.join(chr(34) + c + chr(34) for c in choices)}, got {_show(value)}")
        return value

    return check


def _folder(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"expected a folder path, got {_show(value)}")
    _no_control(value)
    return value


def _no_control(value: str) -> None:
    """Refuse text with a control character (a NUL byte in a folder, U+0085 in a name): no setting needs one."""
    if _has_control(value):
        raise _Bad(f"expected text without control characters, got {_show(value)}")


def _key_name(value: Any) -> str:
    """A key as Kivy names it: "f12", "spacebar", "enter", "numpadenter", "a"."""
    if not isinstance(value, str) or not value.strip().isalnum() or len(value.strip()) > 20:
        raise _Bad(f'expected a key name such as "f12" or "spacebar", got {_show(value)}')
    return value.strip().lower()


#: section -> key -> (validator, default). The defaults equal kiosk/assets/config/kiosk.toml (a test checks it).
SCHEMA: dict[str, dict[str, tuple[Callable[[Any], Any], Any]]] = {
    "kiosk": {
        "name": (_text(60), "Ter Plekke"),
        "idle_timeout": (_whole("seconds", 10, 600), 60),
        "idle_countdown": (_whole("seconds", 5, 120), 20),
        "default_language": (_language, "nl"),
        "languages": (_languages, ["nl", "fr", "en"]),
        "ticket_seconds": (_whole("seconds", 10, 600), 30),
        "feedback_interval": (_whole("seconds", 0, 600), 20),
    },
    "locations": {
        "places": (_places, ["In 't Riet, Zillebeke", "Dikkebus", "Vlamertinge", "Boezinge"]),
        "today": (_text(100), "In 't Riet, Zillebeke"),
    },
    "display": {
        "fullscreen": (_flag, True),
        "size": (_size, "1280x800"),
        "kiosk_mode": (_flag, True),
    },
    "data": {
        "folder": (_folder, DEFAULT_DATA_DIR),
        "retention_days": (_whole("a number of days", 1, 3650), 30),
        "export_folder": (_text(500, allow_empty=True), ""),
    },
    "office": {
        "url": (_url, ""),
        "token": (_text(500, allow_empty=True), ""),
        "ca_file": (_text(500, allow_empty=True), ""),
        "upload_interval": (_whole("seconds", 10, 3600), 60),
        "timeout": (_whole("seconds", 2, 300), 30),
        "allow_insecure_http": (_flag, False),
        "retention_days": (_whole("a number of days", 1, 3650), 30),
    },
    "calendar": {
        "source": (_calendar_source, DEMO_CALENDAR_NAME),
        "refresh_minutes": (_whole("minutes", 5, 1440), 30),
    },
    "ideas": {
        "wall": (_one_of("after_review", "at_once"), "after_review"),
    },
    "speech": {
        "enabled": (_flag, True),
        "engine": (_one_of(*ENGINES), "espeak-ng"),
        "rate": (_whole("words per minute", RATE_MIN, RATE_MAX), RATE_DEFAULT),
        "volume": (_whole("percent", VOLUME_MIN, VOLUME_MAX), 100),
        "auto_read": (_flag, False),
        "recordings": (_text(500, allow_empty=True), ""),
        "voice_nl": (_text(500, allow_empty=True), ""),
        "voice_fr": (_text(500, allow_empty=True), ""),
        "voice_en": (_text(500, allow_empty=True), ""),
        "start_key": (_key_name, "f12"),
        "announce_minutes": (_whole("minutes", 0, 120), 5),
        "more_time_limit": (_whole("times", 0, 10), 3),
        "private_audio": (_flag, False),
    },
}
SCHEMA["printer"] = {
    "kind": (_one_of("none", "usb", "serial", "network"), "none"),
    "address": (_text(200, allow_empty=True), ""),
}


@dataclass(frozen=True)
class Config:
    """The checked configuration. ``source`` is the file it came from (None: built-in defaults)."""

    source: Path | None
    name: str
    idle_timeout: int
    idle_countdown: int
    default_language: str
    languages: tuple[str, ...]
    places: tuple[str, ...]
    location: str
    fullscreen: bool
    size: tuple[int, int]
    kiosk_mode: bool
    data_dir: Path
    retention_days: int
    #: A folder staff may export the day's log to besides USB sticks ("" : only USB sticks).
    export_folder: str
    office_url: str
    #: Secret: left out of ``repr`` (and so of logs and tracebacks).
    office_token: str = field(repr=False)
    office_ca_file: str
    upload_interval: int
    office_timeout: int
    #: A local file (absolute path) or an ``https://`` address of the activity calendar.
    calendar_source: str
    calendar_refresh_minutes: int
    #: Seconds a ticket number stays after the last touch (its screen also has "I've got it").
    ticket_seconds: int = 30
    #: Smiley taps within this many seconds of the previous one thank the visitor but are not counted again.
    feedback_interval: int = 20
    #: When a new idea shows on the public idea wall: "after_review" (once staff approved it) or "at_once".
    idea_wall: str = "after_review"
    #: ``[office] allow_insecure_http``: plain http:// to an office on another machine, chosen on purpose.
    office_allow_insecure_http: bool = False
    #: The ticket printer: "none", "usb", "serial" or "network", and its address (see kiosk.export.ticket_printer).
    printer_kind: str = "none"
    printer_address: str = ""
    #: Reading the screens aloud (kiosk/speech).
    speech: SpeechSettings = SpeechSettings()
    #: ``[office] retention_days``: the office (``kiosk office serve``) blanks personal details older than this.
    office_retention_days: int = 30


def config_path(explicit: str | os.PathLike | None = None) -> Path | None:
    """The file to read: ``explicit`` > ``$KIOSK_CONFIG`` > the package's ``kiosk/assets/config/kiosk.toml``."""
    if explicit:
        return Path(explicit)
    if os.environ.get("KIOSK_CONFIG"):
        return Path(os.environ["KIOSK_CONFIG"])
    return DEFAULT_CONFIG_PATH if DEFAULT_CONFIG_PATH.exists() else None


def load_config(explicit: str | os.PathLike | None = None) -> Config:
    """Read and check the configuration; raise :class:`ConfigError` listing every problem."""
    path = config_path(explicit)
    raw: dict[str, Any] = {}
    label = path.name if path else "defaults"
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError([f"{path}: the configuration file does not exist"]) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError([f"{path}: cannot be read ({error})"]) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError([_one_line(f"{label}: not valid TOML: {error}")]) from None
        except (RecursionError, MemoryError):
            raise ConfigError([f"{label}: not a usable configuration: lists or tables nested too deeply"]) from None
    values, problems = _check(raw, label)
    if not problems and values["locations"]["today"] not in values["locations"]["places"]:
        problems.append(
            f"{label}: [locations] today: expected one of the places {_show(list(values['locations']['places']))}, "
            f"got {_show(values['locations']['today'])}"
        )
    if not problems and values["kiosk"]["default_language"] not in values["kiosk"]["languages"]:
        problems.append(f"{label}: [kiosk] default_language: must be one of [kiosk] languages")
    if not problems:
        problems += _insecure_office_problems(label, values["office"])
        problems += _printer_problems(values["printer"], label)
    if problems:
        raise ConfigError([_one_line(problem) for problem in problems])  # one line each, whatever they quote
    calendar_given = isinstance(raw.get("calendar"), dict) and "source" in raw["calendar"]
    return _build(path, values, calendar_given)


def _check(raw: dict[str, Any], label: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    values: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for section in raw:
        if section not in SCHEMA:
            problems.append(f"{label}: [{_name(section)}]: unknown section{_did_you_mean(section, SCHEMA)}")
        elif not isinstance(raw[section], dict):
            problems.append(f"{label}: {_name(section)}: expected a section [{_name(section)}], got {_show(raw[section])}")
    for section, keys in SCHEMA.items():
        given = raw.get(section, {})
        given = given if isinstance(given, dict) else {}
        values[section] = {key: validate(default) for key, (validate, default) in keys.items()}
        for key, value in given.items():  # in the file's order, so problems read top to bottom
            if key not in keys:
                problems.append(f"{label}: [{section}] {_name(key)}: unknown key{_did_you_mean(key, keys)}")
                continue
            try:
                values[section][key] = keys[key][0](value)
            except _Bad as bad:
                problems.append(f"{label}: [{section}] {key}: {bad}")
    return values, problems


def _insecure_office_problems(label: str, office: dict[str, Any]) -> list[str]:
    """Plain ``http://`` sends the kiosk's token and visitors' details in clear: only to this machine
    itself, or when ``allow_insecure_http = true`` says someone chose it (``kiosk doctor`` warns then)."""
    url = office["url"]
    if not url.startswith("http://") or is_loopback_address(url) or office["allow_insecure_http"]:
        return []
    return [f"{label}: [office] url: {_show(url)} is plain http:// to another machine: the kiosk's token and "
            "visitors' details would travel unencrypted. Use https://, or set allow_insecure_http = true "
            "under [office] if this network is trusted"]


def is_loopback_address(url: str) -> bool:
    """Whether ``url``'s host is this machine (localhost, 127.0.0.0/8, ::1)."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
def _printer_problems(printer: dict[str, Any], label: str) -> list[str]:
    from kiosk.export.ticket_printer import parse_address  # the one place that knows printer addresses

    try:
        parse_address(printer["kind"], printer["address"])
    except ValueError as error:
        return [f"{label}: [printer] address: {error}"]
    return []


def _did_you_mean(word: str, choices) -> str:
    import difflib  # only for a mistake in the configuration

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _beside(path: Path | None, file: str) -> str:
    """A file named in the configuration; a relative name is relative to the configuration file."""
    if not file:
        return file
    expanded = Path(os.path.expanduser(file))
    if not expanded.is_absolute() and path is not None:
        expanded = path.parent / expanded
    return str(expanded)


def _build(path: Path | None, v: dict[str, dict[str, Any]], calendar_given: bool = False) -> Config:
    calendar = v["calendar"]["source"]
    if "://" not in calendar:
        # Relative to the file that names it; a file that does not name one gets the shipped demo calendar.
        base = path.parent if (calendar_given and path is not None) else DEMO_CALENDAR_PATH.parent
        calendar = str(base / Path(os.path.expanduser(calendar)))
    folder = os.environ.get("KIOSK_DATA_DIR") or v["data"]["folder"]
    data_dir = Path(os.path.expanduser(folder))
    if not data_dir.is_absolute() and path is not None:
        data_dir = path.parent / data_dir
    return Config(
        source=path,
        name=v["kiosk"]["name"],
        idle_timeout=v["kiosk"]["idle_timeout"],
        idle_countdown=v["kiosk"]["idle_countdown"],
        default_language=v["kiosk"]["default_language"],
        languages=v["kiosk"]["languages"],
        places=v["locations"]["places"],
        location=v["locations"]["today"],
        fullscreen=v["display"]["fullscreen"],
        size=v["display"]["size"],
        kiosk_mode=v["display"]["kiosk_mode"],
        data_dir=data_dir,
        retention_days=v["data"]["retention_days"],
        export_folder=_beside(path, v["data"]["export_folder"]),
        office_url=v["office"]["url"],
        office_token=os.environ.get("KIOSK_OFFICE_TOKEN") or v["office"]["token"],
        office_ca_file=_beside(path, v["office"]["ca_file"]),
        upload_interval=v["office"]["upload_interval"],
        office_timeout=v["office"]["timeout"],
        calendar_source=calendar,
        calendar_refresh_minutes=v["calendar"]["refresh_minutes"],
        ticket_seconds=v["kiosk"]["ticket_seconds"],
        feedback_interval=v["kiosk"]["feedback_interval"],
        idea_wall=v["ideas"]["wall"],
        office_allow_insecure_http=v["office"]["allow_insecure_http"],
        printer_kind=v["printer"]["kind"],
        printer_address=v["printer"]["address"],
        speech=_speech(path, v["speech"]),
        office_retention_days=v["office"]["retention_days"],
    )


def _speech(path: Path | None, v: dict[str, Any]) -> SpeechSettings:
    voices = {lang: _beside(path, v[f"voice_{lang}"]) if v[f"voice_{lang}"].endswith(".onnx") else v[f"voice_{lang}"]
              for lang in SUPPORTED_LANGUAGES if v[f"voice_{lang}"]}
    return SpeechSettings(enabled=v["enabled"], engine=v["engine"], rate=v["rate"], volume=v["volume"],
                          auto_read=v["auto_read"], recordings=_beside(path, v["recordings"]), voices=voices,
                          start_key=v["start_key"], announce_minutes=v["announce_minutes"],
                          more_time_limit=v["more_time_limit"], private_audio=v["private_audio"])
