"""Checking what visitors type: any Unicode is kept as typed, within sensible limits."""

from __future__ import annotations

import re
import unicodedata

from kiosk.errors import ValidationError

#: Limits shared by the widgets (max_length) and the core.
QUESTION_MAX = 300
TITLE_MAX = 80
IDEA_TEXT_MAX = 300
NAME_MAX = 40
PHONE_MAX = 20

_PHONE = re.compile(r"^\+?[0-9][0-9 ./-]{4,18}[0-9]$")


def clean_text(value: object, max_length: int, field: str, required: bool = False) -> str:
    """``value`` without control characters (newlines kept) and outer blanks; at most ``max_length``."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("bad_text", f"{field}: expected text")
    kept = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    kept = kept.replace("\t", " ").strip()
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
