"""Translations through gettext catalogues in ``kiosk/assets/locale/<lang>/LC_MESSAGES/kiosk.mo``. Kivy-free.

Message ids are English; Dutch is the default language of the kiosk. Adding a language is adding a
catalogue (and its code to ``SUPPORTED_LANGUAGES`` in kiosk/config.py). A missing catalogue falls back
to the English ids, so the kiosk never shows an empty button.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import lru_cache

from kiosk import resources

LOCALE_DIR = resources.LOCALE_DIR
DOMAIN = "kiosk"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translate(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang``; ``{name}`` fields are left for the caller's ``str.format``."""
    return catalogue(lang).gettext(msgid) if msgid else ""


def ntranslate(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of ``singular``/``plural`` for ``n`` in ``lang`` (gettext's ngettext: "1 plaats", "2 plaatsen")."""
    return catalogue(lang).ngettext(singular, plural, n)


def N_n(singular: str, plural: str) -> tuple[str, str]:
    """Mark a text with a plural form where it is kept as data (see :func:`ntranslate`)."""
    return singular, plural


def N_(msgid: str) -> str:
    """Mark a text for translation where it is kept as data; it is translated where it is shown."""
    return msgid


class _KeepMissing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, fields: dict, lang: str) -> str:
    """``text`` with its ``{fields}`` filled in (dates in words, in ``lang``); a field without a value stays
    as it is (never an error)."""
    shown = {key: format_day(value, lang) if isinstance(value, date) else value for key, value in fields.items()}
    return text.format_map(_KeepMissing(shown))


WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


def format_day(day: date, lang: str) -> str:
    """E.g. "Friday 27 November 2026", "vrijdag 27 november 2026", "vendredi 27 novembre 2026"."""
    weekday = translate(WEEKDAYS[day.weekday()], lang)
    month = translate(MONTHS[day.month - 1], lang)
    return f"{weekday} {day.day} {month} {day.year}"


def format_short_day(day: date, lang: str) -> str:
    """E.g. "Tuesday 20/04", "dinsdag 20/04" (staff lists, where the year goes without saying)."""
    return f"{translate(WEEKDAYS[day.weekday()], lang)} {day.day:02d}/{day.month:02d}"
