"""Recorded clips: a volunteer's voice for the fixed texts, one WAV per message id and language.

A folder ``[speech] recordings`` holds ``<lang>/<key>.wav``; the key is made from the English message id
(:func:`clip_key`, e.g. "How many are you?" -> ``how-many-are-you``). A clip wins over synthesis for a
text without ``{fields}`` to fill in; ``kiosk speech --missing --lang nl`` lists what is not recorded yet.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

KEY_LENGTH = 60


def clip_key(msgid: str) -> str:
    """A file name for ``msgid``: lower-case words joined by hyphens; a long id is cut and gets a short hash."""
    words = re.sub(r"[^a-z0-9]+", "-", msgid.lower()).strip("-") or "text"
    if len(words) <= KEY_LENGTH:
        return words
    return f"{words[:KEY_LENGTH].rstrip('-')}-{hashlib.sha1(msgid.encode('utf-8')).hexdigest()[:6]}"


class RecordedClips:
    """The clips in ``folder`` (which may not exist: then there are none)."""

    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder).expanduser() if folder else None

    def find(self, lang: str, msgid: str) -> Path | None:
        if self.folder is None or not msgid:
            return None
        path = self.folder / lang / f"{clip_key(msgid)}.wav"
        return path if path.is_file() else None
