"""Visitor text: what is kept of what a visitor types or pastes. Pure Python.

Any Unicode is kept as typed (accents, emoji, right-to-left scripts, joiners and direction marks), except
what cannot be shown or stored: control characters (a tab becomes a space, every line break becomes
``\\n``) and lone surrogates (which cannot be written as UTF-8). The UI's text field and the core's use
cases apply the same rules, so what a visitor saw is what is stored.
"""

from __future__ import annotations

import re

#: Line breaks of every kind, folded into "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
#: C0 and C1 control characters except "\n", DEL, and lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]+")


def clean_text(text: str) -> str:
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
        return clean_text(text), False
    pieces: list[str] = []
    kept = start = 0
    step = max(4 * max_length, 4096)
    while start < len(text):
        end = start + step
        if text[end - 1:end] == "\r":
            end += 1  # never split a "\r\n"
        piece = clean_text(text[start:end])
        pieces.append(piece)
        kept += len(piece)
        start = end
        if kept > max_length:
            return "".join(pieces)[:max_length], True
    return "".join(pieces), False
