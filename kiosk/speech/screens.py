"""What the speaker button reads on each visitor screen: the one place where a screen's words are made.

Each builder takes what its screen shows (a flow's :class:`~kiosk.ui.flows.Step`, a
:class:`~kiosk.ui.flows.Done`, the home tiles, ...) and gives :class:`Phrase` items: message ids with
their ``{fields}``, or words shown as written (an activity's title). :func:`spoken_text` translates them
into the visitor's language; :func:`spoken_parts` also finds a recorded clip for each message id.
The app reads the screen on display with these; ``kiosk speech --json`` reads every screen with them.

Message ids here are those the screens show (a test checks each is shown somewhere in kiosk/ui), plus
the few that are only ever heard (marked ``N_`` below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from kiosk.speech.clips import RecordedClips
from kiosk.speech.speaker import Part
from kiosk.ui.flows import Choice, Done, Step
from kiosk.i18n import N_, N_n, fill, ntranslate, translate
from kiosk.ui.notice import TITLE as PRIVACY_TITLE
from kiosk.ui.notice import Point

#: Said instead of a name or phone number on the loudspeaker.
DETAILS_NOTED = N_("Your details are noted.")
#: Said on the attract screen every few minutes while speech is on, in each language in turn.
HOW_TO_START = N_("To hear this screen, hold a finger on it for three seconds, or press the speaker key.")
#: Said when speech is switched on by a key or a long press, before the screen.
#: Texts with a plural, the same as the screens show them.
PLACES_LEFT = N_n("{n} place left", "{n} places left")
STILL_THERE = N_n("If nobody taps, we go back to the start in {n} second.",
                  "If nobody taps, we go back to the start in {n} seconds.")
SPEECH_ON = N_("Reading aloud is on. Use the arrow keys to move, Enter to choose.")
#: Fields spoken one digit at a time ("U bent nummer 1 2").
DIGIT_FIELDS = ("ticket",)
#: Steps whose answer is a personal detail: never read aloud on the loudspeaker by default.
PERSONAL_SUFFIXES = ("_name", "_phone")


@dataclass(frozen=True)
class Phrase:
    """One sentence: a message id with its fields, or ``text`` shown as written. ``private``: a personal
    detail, replaced by "Your details are noted." unless the audio is private."""

    msgid: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    private: bool = False
    plural: str = ""
    """The plural form of ``msgid`` ("" when none), chosen by ``fields["n"]``."""

    def words(self, lang: str, private_ok: bool = False) -> str:
        if self.private and not private_ok:
            return translate(DETAILS_NOTED, lang)
        if not self.msgid:
            return self.text
        spoken = {key: " ".join(str(value)) if key in DIGIT_FIELDS else value for key, value in self.fields.items()}
        words = ntranslate(self.msgid, self.plural, self.fields.get("n", 0), lang) if self.plural else translate(self.msgid, lang)
        return fill(words, spoken, lang)


def _sentence(words: str) -> str:
    words = words.strip()
    return words if not words or words[-1] in ".!?:…" else words + "."


def spoken_text(phrases: Iterable[Phrase], lang: str, private_ok: bool = False) -> str:
    """The phrases as one text in ``lang``, a full stop after each so the voice pauses."""
    return " ".join(filter(None, (_sentence(p.words(lang, private_ok)) for p in phrases)))


def spoken_parts(phrases: Iterable[Phrase], lang: str, clips: RecordedClips | None = None,
                 private_ok: bool = False) -> list[Part]:
    """The phrases as speaker parts: a recorded clip where there is one for a message id without fields."""
    parts = []
    for phrase in phrases:
        words = _sentence(phrase.words(lang, private_ok))
        if not words:
            continue
        msgid = DETAILS_NOTED if phrase.private and not private_ok else phrase.msgid
        clip = clips.find(lang, msgid) if clips is not None and not phrase.fields else None
        parts.append(Part(words, clip))
    return parts


def recordable(phrases: Iterable[Phrase]) -> list[str]:
    """The message ids a volunteer can record (those without ``{fields}`` to fill in)."""
    return [p.msgid for p in phrases if p.msgid and not p.fields and "{" not in p.msgid]


# -- the screens -------------------------------------------------------------------------------------
def home(kiosk_name: str, tiles: Sequence[tuple[str, str, str]]) -> list[Phrase]:
    """The home screen: the welcome, then each tile ``(target, pictogram, message id)``."""
    return [Phrase("Welcome to {name}", {"name": kiosk_name}), *(Phrase(label) for _, _, label in tiles)]


def choice(item: Choice) -> Phrase:
    """A tile's words: a message id, or (today's activities) a title shown as written."""
    return Phrase(item.label)


def step(step: Step, answers: dict[str, Any], shown: dict[str, Any] | None = None) -> list[Phrase]:
    """A flow step: its question and hint, then what it offers. ``shown`` is what the screen holds now:
    ``counts`` ``[(label id, number), ...]`` on a count screen, ``typed`` text on a text screen."""
    shown = shown or {}
    phrases = [Phrase(step.title), *([Phrase(step.hint)] if step.hint else [])]
    phrases += [choice(item) for item in step.choices_for(answers)]  # any kind of step that offers choices
    for label, number in shown.get("counts", ()):
        phrases += [Phrase(label), Phrase(text=str(number))]
    typed = shown.get("typed", "")
    if typed:
        phrases.append(Phrase(text=typed, private=step.name.endswith(PERSONAL_SUFFIXES)))
    return phrases


def done(done: Done | None, error: str = "") -> list[Phrase]:
    """A last screen: its title and message with their fields (a ticket digit by digit), or the problem."""
    if error or done is None:
        return [Phrase(error or "This did not work."), Phrase("Please tell a staff member. The kiosk keeps working.")]
    return [Phrase(done.title, dict(done.fields)), Phrase(done.message, dict(done.fields))]


def activities(week: bool, cards: Sequence[tuple[str, str, str, int]]) -> list[Phrase]:
    """Today's activities or the coming seven days; each card ``(badge id, when, title, places left)``."""
    phrases = [Phrase("The coming 7 days" if week else "Today")]
    if not cards:
        phrases.append(Phrase("Nothing on the programme." if week else "Nothing more on the programme today."))
    for badge, when, title, places in cards:
        if badge:
            phrases.append(Phrase(badge))
        phrases.append(Phrase(when) if when == "All day" else Phrase(text=when))
        phrases.append(Phrase(text=title))
        if places == 0:
            phrases.append(Phrase("Full"))
        elif places > 0:
            phrases.append(Phrase(PLACES_LEFT[0], {"n": places}, plural=PLACES_LEFT[1]))
    return phrases


def wall(titles: Sequence[str]) -> list[Phrase]:
    """The idea wall: its title, the hint, each idea's title, and the button for a new idea."""
    phrases = [Phrase("Ideas from the neighbourhood"),
               Phrase("Tap the heart to support an idea." if titles else "No ideas yet. Be the first!")]
    return phrases + [Phrase(text=title) for title in titles] + [Phrase("I have a new idea")]


def privacy(points: Sequence[Point]) -> list[Phrase]:
    """The privacy notice: its title and its points (:func:`kiosk.ui.notice.privacy_points`)."""
    return [Phrase(PRIVACY_TITLE), *(Phrase(p.msgid, {"n": p.n}, plural=p.plural) for p in points)]


def still_there(seconds: int) -> list[Phrase]:
    """The idle question over any screen, and the button that answers it."""
    return [Phrase("Are you still there?"),
            Phrase(STILL_THERE[0], {"n": seconds}, plural=STILL_THERE[1]),
            Phrase("Yes, I'm still here")]


def message(msgid: str, **fields: Any) -> list[Phrase]:
    return [Phrase(msgid, fields)]
