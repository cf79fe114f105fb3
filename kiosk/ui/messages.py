"""Every text the kiosk can show, found in the code: the source of the translation catalogues. Kivy-free.

Texts are English message ids, marked where they are written: ``tr("...")`` or ``trf("...", ...)`` in .kv
and .py files (shown at once) and ``N_("...")`` (kept as data, e.g. the steps of a flow, translated where
shown).
``scripts/update-translations`` writes them into the catalogues; a test checks that every one of them is
translated in every language.
"""

from __future__ import annotations

import re
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
#: Texts outside kiosk/ui: the words only ever heard (kiosk/speech/screens.py), the keypad card's, and the
#: names of days and months (kiosk/i18n.py).
SPEECH_FILES = (UI_DIR.parent / "speech" / "screens.py", UI_DIR.parent / "speech" / "keys.py",
                UI_DIR.parent / "i18n.py")
MARKED = re.compile(r"""\b(?:trf?|N_)\(\s*"([^"\\]+)"\s*[,)]""")
#: Texts with a plural: ``trn("{n} place left", "{n} places left", n, lang)`` (kv and .py), or ``N_n(...)``
#: where they are kept as data.
MARKED_PLURAL = re.compile(r"""\b(?:trn|N_n)\(\s*"([^"\\]+)"\s*,\s*"([^"\\]+)"\s*[,)]""")


def visible_messages() -> set[str]:
    """The message ids marked anywhere under kiosk/ui."""
    found: set[str] = set()
    for path in sorted(UI_DIR.rglob("*")):
        if path.suffix in (".kv", ".py") and path.name != "messages.py":
            found.update(MARKED.findall(path.read_text("utf-8")))
    for path in SPEECH_FILES:
        found.update(MARKED.findall(path.read_text("utf-8")))
    return found


def plural_messages() -> set[tuple[str, str]]:
    """The ``(singular, plural)`` message ids marked with ``trn`` or ``N_n`` under kiosk/ui and in speech."""
    found: set[tuple[str, str]] = set()
    for path in [*sorted(UI_DIR.rglob("*")), *SPEECH_FILES]:
        if path.suffix in (".kv", ".py") and path.name != "messages.py":
            found.update(MARKED_PLURAL.findall(path.read_text("utf-8")))
    return found
