"""Member cards: a random card id with a check letter and no name; one scan checks the holder in.

A card id is ``TPK`` followed by 10 random letters and a check letter, e.g. ``TPKHNRDXBSEUC``. Only
letters that a keyboard types the same on a US (QWERTY) and a Belgian (AZERTY) layout are used: no digits,
no A, Q, W, Z or M. A USB QR scanner pretends to be a keyboard, so a card reads the same whatever layout
the kiosk, the office PC or the scanner is set to. The check letter catches a misread letter and two
letters swapped. The kiosk keeps no list of issued cards (cards printed anywhere work at every kiosk); it
remembers the day it first saw each card (``cards_seen`` in its state), so statistics can tell returning
card holders from new ones without names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kiosk.clock import parse_time
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder, RecordType, Settings
from kiosk.errors import ValidationError

PREFIX = "TPK"
ALPHABET = "BCDEFGHJKLNPRSTUVXY"  # 19 letters, typed alike on QWERTY and AZERTY
BODY_LENGTH = 10
CARD_LENGTH = len(PREFIX) + BODY_LENGTH + 1

#: Key in the kiosk's state: card id -> the day it was first seen (YYYY-MM-DD).
SEEN_KEY = "cards_seen"
#: A second scan of the same card this soon after the first checks nobody in again.
REPEAT_WITHIN = timedelta(minutes=10)


def new_card_id(rng: random.Random | None = None) -> str:
    """A fresh random card id (``rng`` for repeatable tests)."""
    rng = rng or random.SystemRandom()  # the operating system's randomness, as secrets uses
    body = "".join(rng.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return PREFIX + body + check_letter(body)


def check_letter(body: str) -> str:
    """Weighted sum modulo 19 (a prime): every single wrong letter and every swap of neighbours changes it."""
    total = sum((position + 1) * ALPHABET.index(letter) for position, letter in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def printed_form(card: str) -> str:
    """The id as printed under the QR code, in groups a person can read out: ``TPK HNRDX BSEUC``."""
    return f"{card[:3]} {card[3:8]} {card[8:]}"


def parse_card(text: str) -> str:
    """The card id in ``text`` (as a scanner or a person typed it), or ValidationError:

    ``not_our_card`` (another system's code: a web address, a product code...) or ``garbled`` (ours, but
    misread: a letter missing, wrong or swapped).
    """
    cleaned = "".join(str(text).split()).replace("-", "").upper()
    if not cleaned.startswith(PREFIX):
        raise ValidationError("not_our_card", "this is not a Ter Plekke member card")
    body, check = cleaned[len(PREFIX):-1], cleaned[-1:]
    if len(cleaned) != CARD_LENGTH or any(ch not in ALPHABET for ch in body + check) or check_letter(body) != check:
        raise ValidationError("garbled", "the card's code was not read correctly")
    return cleaned


class ScanBuffer:
    """What a USB scanner types: characters in one quick burst, ended by Enter.

    A pause longer than ``max_gap`` seconds starts afresh, so half a scan or a stray key is forgotten.
    ``at`` is a time in seconds from any steady clock (the UI passes ``time.monotonic()``).
    """

    def __init__(self, max_gap: float = 0.3, max_length: int = 200):
        self.max_gap = max_gap
        self.max_length = max_length
        self._chars: list[str] = []
        self._last: float | None = None

    def type(self, text: str, at: float) -> None:
        if self._last is not None and at - self._last > self.max_gap:
            self._chars.clear()
        self._last = at
        room = max(self.max_length - len(self._chars), 0)
        self._chars.extend([ch for ch in text if ch.isprintable()][:room])

    def enter(self, at: float) -> str | None:
        """Enter was pressed: the burst typed just before it, or None."""
        text = "".join(self._chars)
        fresh = self._last is not None and at - self._last <= self.max_gap
        self.clear()
        return text if text and fresh else None

    def clear(self) -> None:
        self._chars.clear()
        self._last = None


@dataclass(frozen=True)
class CardVisit:
    """A card scanned at the kiosk. ``record`` is None when the holder was checked in a moment ago."""

    card: str
    returning: bool  # the kiosk saw this card on an earlier day
    record: dict[str, Any] | None


def check_in_card(recorder: Recorder, settings: Settings, card: str) -> CardVisit:
    """Check the holder of ``card`` (a parsed id) in: one adult, reasons not asked."""
    now = recorder.clock.now()
    today = now.date().isoformat()
    seen = settings.get_setting(SEEN_KEY) or {}
    first_seen = seen.get(card) if isinstance(seen, dict) else None
    returning = isinstance(first_seen, str) and first_seen < today
    for record in recorder.store.records_for_day(now.date()):
        if record["type"] == RecordType.CHECKIN and record["data"].get("card") == card:
            when = parse_time(record["created_at"])
            if when is not None and abs(now - when) < REPEAT_WITHIN:
                return CardVisit(card, returning, None)
    record = check_in(recorder, 1, 0, None, [], card=card)
    if first_seen is None:
        settings.set_setting(SEEN_KEY, {**(seen if isinstance(seen, dict) else {}), card: today})
    return CardVisit(card, returning, record)
