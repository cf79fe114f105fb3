"""Every text the kiosk shows is translated in every language, and the compiled catalogues are current."""

import gettext
import re
import string

import pytest
from babel.messages.pofile import read_po

from kiosk.config import SUPPORTED_LANGUAGES
from kiosk.i18n import DOMAIN, LOCALE_DIR, format_day
from kiosk.i18n import ntranslate
from kiosk.ui.messages import plural_messages, visible_messages

MESSAGES = sorted(visible_messages())
PLURALS = sorted(plural_messages())


def po_catalogue(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as source:
        return read_po(source, locale=lang)


def fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_marks_a_reasonable_number_of_texts():
    assert len(MESSAGES) > 40
    assert "I am here" in MESSAGES and "What brings you here today?" in MESSAGES


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_visible_text_is_translated(lang):
    catalogue = po_catalogue(lang)
    missing = [m for m in MESSAGES if not (catalogue.get(m) and catalogue.get(m).string.strip())]
    assert missing == [], f"{lang}: run scripts/update-translations and translate: {missing}"
    for msgid in MESSAGES:
        assert fields(catalogue.get(msgid).string) == fields(msgid), f"{lang}: {msgid!r} keeps its {{fields}}"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_plural_has_all_its_forms(lang):
    catalogue = po_catalogue(lang)
    assert PLURALS, "the code marks texts with a plural (trn)"
    for singular, plural in PLURALS:
        message = catalogue.get(singular)
        assert message is not None and isinstance(message.string, tuple) and all(message.string), \
            f"{lang}: run scripts/update-translations and translate the plural of {singular!r}"
        assert all(fields(form) <= fields(plural) for form in message.string)


def test_plurals_read_naturally():
    assert ntranslate("{n} place left", "{n} places left", 1, "nl").format(n=1) == "Nog 1 plaats vrij"
    assert ntranslate("{n} place left", "{n} places left", 2, "nl").format(n=2) == "Nog 2 plaatsen vrij"
    assert ntranslate("{n} place left", "{n} places left", 1, "fr").format(n=1) == "Encore 1 place libre"
    assert ntranslate("{n} place left", "{n} places left", 1, "en").format(n=1) == "1 place left"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_compiled_catalogue_matches_its_source(lang):
    catalogue = po_catalogue(lang)
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for message in catalogue:
        if message.id and isinstance(message.id, tuple):
            assert mo.ngettext(*message.id, 1) == message.string[0], f"{lang}: run scripts/update-translations"
        elif message.id:
            assert mo.gettext(message.id) == message.string, f"{lang}: run scripts/update-translations"


def test_dates_read_naturally():
    from datetime import date

    day = date(2027, 4, 20)
    assert format_day(day, "nl") == "dinsdag 20 april 2027"
    assert format_day(day, "fr") == "mardi 20 avril 2027"
    assert format_day(day, "en") == "Tuesday 20 April 2027"
    assert re.fullmatch(r"\w+ \d+ \w+ \d{4}", format_day(date(2026, 8, 15), "fr"))
