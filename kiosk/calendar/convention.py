"""How the office marks activities in its calendar: sign-up, places, pictogram (also in config/CALENDAR.md).

Sign-up, strongest first (the first that says something wins):

1. ``X-TERPLEKKE-SIGNUP:TRUE`` (or ``FALSE``) and ``X-TERPLEKKE-CAPACITY:20``: properties a generated or
   Nextcloud calendar can carry. A capacity alone also means "sign-up needed".
2. A category ``Inschrijven``, optionally with the number of places: ``Inschrijven: 20``. For Outlook,
   where categories are easy to set. ``Inscription`` and ``Sign-up`` are understood too.
3. A line of its own in the description: ``Inschrijven: 20 plaatsen`` or ``Inschrijven: ja``. For Google
   Calendar, which can set neither. The kiosk does not show that line; a line it does not understand
   (``Inschrijven: bij de opbouwwerker``) also means "sign-up needed", and stays visible.

No capacity means: sign-up is needed, the number of places is unlimited (or not known to the kiosk).

Pictogram: ``X-TERPLEKKE-PICTOGRAM:walking`` names one of :data:`PICTOGRAMS` (the files in
``kiosk/assets/pictograms/``). Without it, the first entry of :data:`PICTOGRAM_WORDS` with a word found in the
categories or the title decides (the list goes from specific to general); else ``activity``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

SIGNUP_PROPERTY = "X-TERPLEKKE-SIGNUP"
CAPACITY_PROPERTY = "X-TERPLEKKE-CAPACITY"
PICTOGRAM_PROPERTY = "X-TERPLEKKE-PICTOGRAM"
MAX_CAPACITY = 1000
DEFAULT_PICTOGRAM = "activity"

#: Pictogram keys an activity may have (each is ``kiosk/assets/pictograms/<key>.png``).
PICTOGRAMS = (
    "activity", "coffee", "walking", "health", "cooking", "plant", "digital", "learning", "making", "trip",
    "talk", "idea", "paperwork", "homehelp", "money", "housing",
)  # fmt: skip

#: Word parts (lower case) that choose a pictogram, the specific before the general: "Gezondheidswandeling"
#: is a walk, "Digitaal café" digital help.
PICTOGRAM_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("digital", ("digita", "computer", "smartphone", "tablet", "itsme", "internet", "numérique")),
    ("walking", ("wandel", "walk", "promenade", "marche")),
    ("cooking", ("tafel", "samen eten", "koken", "maaltijd", "soep", "repas", "cuisine", "meal", "lunch", "diner")),
    ("plant", ("plant", "stek", "tuin", "jardin", "garden")),
    ("trip", ("uitstap", "excursie", "reis", "trip", "excursion", "sortie")),
    ("making", ("creatief", "knutsel", "brei", "atelier", "craft", "bricol")),
    ("learning", ("vorming", "cursus", "workshop", "leren", "infosessie", "cours", "formation")),
    ("idea", ("idee", "idée", "idea")),
    ("paperwork", ("papier", "administrat", "formulier", "belasting", "impôt")),
    ("money", ("geld", "budget", "energie", "énergie", "money")),
    ("housing", ("wonen", "woning", "logement", "housing")),
    ("homehelp", ("thuishulp", "domicile", "home help")),
    ("talk", ("spreekuur", "gesprek", "luister", "permanence")),
    ("health", ("gezond", "health", "santé", "beweg", "sport", "yoga")),
    ("coffee", ("ontmoet", "koffie", "café", "cafe", "babbel", "rencontre", "meeting")),
)

_SIGNUP_WORD = r"(?:inschrijven|inschrijving|inscription|sign-?up)"
#: A category may say "Inschrijven 20" or "Inschrijven: 20"; a description line needs the colon.
_CATEGORY_MARK = re.compile(rf"^\s*{_SIGNUP_WORD}(?:\s*:\s*|\s+|$)(?P<rest>.*?)\s*$", re.IGNORECASE)
_LINE_MARK = re.compile(rf"^\s*{_SIGNUP_WORD}\s*(?::\s*(?P<rest>.*?))?\s*$", re.IGNORECASE)
_YES = {"", "ja", "yes", "oui", "true", "verplicht", "nodig", "obligatoire", "required"}
_NO = {"nee", "neen", "no", "non", "false", "niet nodig"}
_NUMBER = re.compile(r"^(?P<n>\d{1,6})(?:\s+\w+)?$")


@dataclass(frozen=True)
class SignupRule:
    """What the calendar says about signing up for an activity."""

    required: bool = False
    capacity: int | None = None  # None: not limited, or not known


def signup_of(
    properties: dict[str, str], categories: Iterable[str], description: str
) -> tuple[SignupRule, str, list[str]]:
    """Read the convention above. Return the rule, the description to show, and problems in words.

    ``properties`` maps the ``X-TERPLEKKE-*`` property names to their text (absent: not there).
    """
    problems: list[str] = []
    flag = properties.get(SIGNUP_PROPERTY)
    places = properties.get(CAPACITY_PROPERTY)
    if flag is not None or places is not None:
        required = True
        if flag is not None:
            word = flag.strip().lower()
            if word in ("false", "no", "nee"):
                required = False
            elif word not in ("true", "yes", "ja"):
                problems.append(f'{SIGNUP_PROPERTY} should be TRUE or FALSE, not "{flag}"; sign-up is asked')
        capacity = None
        if places is not None and required:
            capacity = _capacity(places.strip(), CAPACITY_PROPERTY, problems)
        return SignupRule(required, capacity), description, problems
    for category in categories:
        rule, understood = _mark(_CATEGORY_MARK, category, problems)
        if rule is not None:
            if not understood:
                problems.append(f'category "{category}": expected "Inschrijven", or "Inschrijven: 20" with the places')
            return rule, description, problems
    lines = description.splitlines()
    for index, line in enumerate(lines):
        rule, understood = _mark(_LINE_MARK, line, problems)
        if rule is not None:
            # "Inschrijven: bij Elie" is information for people: it stays. "Inschrijven: 20" is for the kiosk.
            shown = "\n".join(lines[:index] + lines[index + 1 :]).strip() if understood else description
            return rule, shown, problems
    return SignupRule(), description, problems


def _mark(pattern: re.Pattern, text: str, problems: list[str]) -> tuple[SignupRule | None, bool]:
    """The rule a marker states (None: not a marker), and whether the words after it were understood."""
    match = pattern.match(text)
    if match is None:
        return None, False
    rest = (match["rest"] or "").strip()
    if rest.lower() in _YES:
        return SignupRule(True), True
    if rest.lower() in _NO:
        return SignupRule(False), True
    number = _NUMBER.match(rest)
    if number is None:
        return SignupRule(True), False
    return SignupRule(True, _capacity(number["n"], f'"{text.strip()}"', problems)), True


def _capacity(text: str, where: str, problems: list[str]) -> int | None:
    if text.isdigit() and 1 <= int(text) <= MAX_CAPACITY:
        return int(text)
    problems.append(f'{where}: the number of places should be a number from 1 to {MAX_CAPACITY}, not "{text}"')
    return None


def pictogram_of(explicit: str | None, categories: Iterable[str], title: str) -> tuple[str, list[str]]:
    """The pictogram key (see the module docstring), and problems in words."""
    problems: list[str] = []
    if explicit is not None:
        key = explicit.strip().lower()
        if key in PICTOGRAMS:
            return key, problems
        problems.append(f'{PICTOGRAM_PROPERTY} "{explicit}" is not a known pictogram ({", ".join(PICTOGRAMS)})')
    text = " ".join([*categories, title]).lower()
    for key, words in PICTOGRAM_WORDS:
        if any(word in text for word in words):
            return key, problems
    return DEFAULT_PICTOGRAM, problems
