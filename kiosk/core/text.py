"""Visitor text: what is kept of what a visitor types or pastes, and the checks of the use cases. Pure Python.

Any Unicode is kept as typed (accents, emoji, right-to-left scripts, joiners and direction marks), except
what cannot be shown or stored: control characters (a tab becomes a space, every line break becomes
``\\n``) and lone surrogates (which cannot be written as UTF-8). The UI's text field and the core's use
cases apply the same rules, so what a visitor saw is what is stored.
"""

from __future__ import annotations

import re

from kiosk.errors import ValidationError

#: Limits shared by the widgets (``Step.max_length``) and the core.
QUESTION_MAX = 300
TITLE_MAX = 80
IDEA_TEXT_MAX = 300
NAME_MAX = 40
PHONE_MAX = 20

_PHONE = re.compile(r"^\+?[0-9][0-9 ./-]{4,18}[0-9]$")

#: Line breaks of every kind, folded into "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
#: C0 and C1 control characters except "\n", DEL, and lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]+")


def strip_controls(text: str) -> str:
    """``text`` without control characters; tabs become spaces, line breaks become ``\\n``."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return _UNWANTED.sub("", text)


def limit_text(text: str, max_length: int) -> tuple[str, bool]:
    """The cleaned ``text`` cut to ``max_length`` characters (0: no limit), and whether it was cut.

    Cleaning comes first, so a paste that starts with control characters still keeps the visible text
    after them. The text is cleaned piece by piece until the limit is passed: a 5 MB paste costs
    about as much as a short one (only a paste of nothing but control characters is read to the end).
    """
    if not max_length:
        return strip_controls(text), False
    pieces: list[str] = []
    kept = start = 0
    step = max(4 * max_length, 4096)
    while start < len(text):
        end = start + step
        if text[end - 1:end] == "\r":
            end += 1  # never split a "\r\n"
        piece = strip_controls(text[start:end])
        pieces.append(piece)
        kept += len(piece)
        start = end
        if kept > max_length:
            return "".join(pieces)[:max_length], True
    return "".join(pieces), False


def clean_text(value: object, max_length: int, field: str, required: bool = False) -> str:
    """``value`` without control characters (newlines kept) and outer blanks; at most ``max_length``."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("bad_text", f"{field}: expected text")
    kept = strip_controls(value).strip()
    if len(kept) > max_length:
        raise ValidationError("too_long", f"{field}: at most {max_length} characters, got {len(kept)}")
    if required and not kept:
        raise ValidationError("empty", f"{field}: may not be empty")
    return kept


def clean_phone(value: object) -> str:
    """A phone number as typed (digits, spaces, + . / -), or empty."""
    phone = clean_text(value, PHONE_MAX, "phone")
    if phone and not _PHONE.match(phone):
        raise ValidationError("bad_phone", "phone: expected a number like 0470 12 34 56")
    return phone


def contact_data(consent: bool, first_name: object, phone: object) -> dict[str, str]:
    """Personal contact details, only with the visitor's explicit consent."""
    name, number = clean_text(first_name, NAME_MAX, "first name"), clean_phone(phone)
    if (name or number) and consent is not True:
        raise ValidationError("no_consent", "contact details are kept only with consent")
    return {key: value for key, value in (("first_name", name), ("phone", number)) if value}
