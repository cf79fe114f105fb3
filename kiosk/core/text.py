"""Visitor text: what is kept of what a visitor types or pastes, and the checks of the use cases. Pure Python.

Any Unicode is kept as typed (accents, emoji, right-to-left scripts, joiners and direction marks), except
what cannot be shown or stored: control characters (a tab becomes a space, every line break becomes
``\\n``) and lone surrogates (which cannot be written as UTF-8). The UI's text field and the core's use
cases apply the same rules, so what a visitor saw is what is stored.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.errors import ValidationError

#: Limits shared by the widgets (``Step.max_length``) and the core.
QUESTION_MAX = 300
TITLE_MAX = 80
IDEA_TEXT_MAX = 300
NAME_MAX = 40
PHONE_MAX = 20

#: What people write between the digits of a phone number: spaces, dots, slashes, dashes, brackets.
_PHONE_MARKS = re.compile(r"[\s./()\[\]-]+")

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


def normal_phone(value: str) -> str | None:
    """A phone number as staff dial it, or None when ``value`` is not one.

    The usual Belgian ways of writing are accepted: spaces, dots, slashes, dashes and brackets between
    the digits, ``+32`` or ``0032`` in front (``(0470) 12.34.56``, ``+32 470 12 34 56``, ``0032 57/20 12 34``).
    A Belgian number is kept as ``0470 12 34 56`` (mobile) or ``057 20 12 34`` / ``02 123 45 67`` (fixed);
    a foreign one as ``+`` and its digits.
    """
    digits = _PHONE_MARKS.sub("", value.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+32"):
        digits = "0" + digits[3:].removeprefix("0")  # "+32 (0)470 ..." is written too
    if digits.startswith("+"):
        return digits if digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15 else None
    if not (digits.isdigit() and digits.startswith("0") and len(digits) in (9, 10)) or digits.startswith("00"):
        return None
    mobile = digits[1] == "4" and digits[2] in "56789"  # 045x-049x: mobiles have ten digits, others nine
    if mobile != (len(digits) == 10):
        return None
    if len(digits) == 10:  # a mobile number: 04xx xx xx xx
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if digits[1] in "2349":  # Brussels, Antwerp, Liège, Ghent: a one-digit zone
        return f"{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
    return f"{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"


def clean_phone(value: object) -> str:
    """A phone number written the usual ways (see :func:`normal_phone`), kept normalised, or empty."""
    phone = clean_text(value, PHONE_MAX, "phone")
    if not phone:
        return ""
    normal = normal_phone(phone)
    if normal is None:
        raise ValidationError("bad_phone", "phone: expected a number like 0470 12 34 56")
    return normal


def clean_name(value: object) -> str:
    """A first name as typed (apostrophes, accents and any script are welcome), trimmed, or empty."""
    name = " ".join(clean_text(value, NAME_MAX, "first name").split())
    return unicodedata.normalize("NFC", name)


def problem_with(kind: str, value: str) -> str:
    """What is wrong with ``value`` typed at a step that asks for ``kind`` (``phone``, ``name``, ``text``),
    as a code ("" when nothing): the UI says it under the field before the visitor goes on."""
    if kind == "phone" and value.strip() and normal_phone(value) is None:
        return "bad_phone"
    if kind == "name" and value.strip() and not any(ch.isalpha() for ch in value):
        return "bad_name"
    return ""


def contact_data(consent: bool, first_name: object, phone: object) -> dict[str, str]:
    """Personal contact details, only with the visitor's explicit consent."""
    name, number = clean_name(first_name), clean_phone(phone)
    if (name or number) and consent is not True:
        raise ValidationError("no_consent", "contact details are kept only with consent")
    return {key: value for key, value in (("first_name", name), ("phone", number)) if value}


def kept_contact(consent: bool, first_name: object, phone: object) -> tuple[dict[str, str], list[str]]:
    """Like :func:`contact_data`, but a detail that cannot be kept is left out instead of refusing the
    whole record: the details kept, and the names of those left out (the visitor's question still counts).
    Without consent nothing is kept."""
    if consent is not True:
        return {}, []
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for name, value, clean in (("first_name", first_name, clean_name), ("phone", phone, clean_phone)):
        try:
            if cleaned := clean(value):
                kept[name] = cleaned
        except ValidationError:
            dropped.append(name)
    return kept, dropped


def kept_text(value: object, max_length: int) -> str:
    """What a visitor typed, cleaned and cut to ``max_length`` (never refused: text that is not a string
    is left out)."""
    return limit_text(value, max_length)[0].strip() if isinstance(value, str) else ""
