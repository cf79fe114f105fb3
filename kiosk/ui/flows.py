"""The visitor flows as data: which question comes after which, and what is stored at the end. Kivy-free.

A :class:`Flow` is a list of steps (one question per screen) and a ``finish`` that turns the answers into
a record through the core. The app walks the steps, skipping those whose ``when`` says no; ``back`` goes
one step back, ``home`` drops the answers. Texts are English message ids, translated where shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kiosk.core import ideas, question
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.core.signup import clean_first_name, persons_signed_up, recent_signups, sign_up
from kiosk.core.text import IDEA_TEXT_MAX, NAME_MAX, PHONE_MAX, QUESTION_MAX, TITLE_MAX
from kiosk.errors import ValidationError
from kiosk.i18n import N_

Answers = dict[str, Any]


@dataclass(frozen=True)
class Choice:
    key: str
    icon: str   # a file name in kiosk/assets/pictograms, without .png
    label: str  # message id


@dataclass(frozen=True)
class Step:
    """One screen of a flow. ``kind`` names the screen class that shows it: choice, count, persons, text.

    A text step may be skipped when ``optional``; ``max_length`` limits what can be typed (the core
    checks the same limit). ``when(answers)`` decides whether the step is shown at all.
    """

    name: str
    kind: str
    title: str
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    max_length: int = 0
    optional: bool = False
    #: Text steps: the keys shown, ``letters`` or ``digits`` (a number pad, for a phone number).
    keys: str = "letters"
    when: Callable[[Answers], bool] = lambda answers: True
    #: Choice steps whose tiles depend on the answers so far: ``offer(answers)`` gives them.
    offer: Callable[[Answers], tuple[Choice, ...]] | None = None
    #: Text steps: what is checked as it is typed (``phone``, ``name``: see kiosk.core.text.problem_with).
    check: str = ""
    #: Text steps: the friendly line under the field saying what is expected (message id).
    guide: str = ""
    #: Text steps: the first letter is a capital (a name).
    capital: bool = False
    #: Choice steps: several tiles may be chosen ("More than one"); the answer is then a list of keys.
    several: bool = False
    #: A hint that depends on the answers so far (message id), instead of ``hint``.
    hint_by: Callable[[Answers], str] | None = None
    #: Values for ``{fields}`` in the title and hint, from the answers so far.
    fields: Callable[[Answers], dict[str, Any]] | None = None

    def choices_for(self, answers: Answers) -> tuple[Choice, ...]:
        """The tiles to show, given the answers so far."""
        return self.choices if self.offer is None else self.offer(answers)

    def hint_for(self, answers: Answers) -> str:
        return self.hint if self.hint_by is None else self.hint_by(answers)

    def fields_for(self, answers: Answers) -> dict[str, Any]:
        return {} if self.fields is None else self.fields(answers)


@dataclass(frozen=True)
class Done:
    """What the last screen says: a pictogram, a title and a message (both may hold ``{fields}``).

    ``ticket`` (a question's number) is shown huge with ``ticket_theme`` (message id) under it, and stays
    ``[kiosk] ticket_seconds`` after the last touch. ``feedback``: the smileys are asked (only when the
    visitor is leaving, never on arrival). ``follow``: a flow offered with one tap (e.g. the question of
    someone who came with one), with ``follow_label`` (message id).
    """

    icon: str
    title: str
    message: str
    fields: dict[str, Any] = field(default_factory=dict)
    ticket: str = ""
    ticket_theme: str = ""
    feedback: bool = False
    follow: str = ""
    follow_label: str = ""
    record: dict[str, Any] | None = None
    """The record stored (for the printed ticket)."""
    place: str = ""
    """Where a signed-up activity takes place (for the printed ticket)."""


@dataclass(frozen=True)
class Flow:
    """``finish`` stores what the answers say. Answers may start with context the app gives when it
    starts the flow (names beginning with ``_``, e.g. the activity to sign up for)."""

    name: str
    steps: tuple[Step, ...]
    finish: Callable[[Recorder, Answers], Done]


# -- check in ---------------------------------------------------------------------------------------
def finish_checkin(recorder: Recorder, answers: Answers) -> Done:
    adults, children = answers["checkin_count"]
    first_time = {"yes": True, "no": False}.get(answers["checkin_first"])
    reasons = answers["checkin_reason"]
    reasons = [reasons] if isinstance(reasons, str) else list(reasons)
    check_in(recorder, adults, children, first_time, reasons)
    follow = {"follow": "question", "follow_label": N_("Ask my question now")} if "question" in reasons else {}
    upcoming = answers.get("_next")
    if upcoming is not None:
        return Done("welcome", N_("Welcome!"), N_("Nice that you are here. Next on the programme: {title} at {time}."),
                    {"title": upcoming.title, "time": f"{upcoming.starts_at:%H:%M}"}, **follow)
    return Done("welcome", N_("Welcome!"), N_("Nice that you are here. Enjoy your coffee and feel at home."),
                **follow)


def activity_choices(occurrences) -> tuple[Choice, ...]:
    """Today's activities as answers to "what brings you here?" (their titles are shown as written)."""
    return tuple(Choice(f"activity:{o.uid}", o.pictogram, o.title) for o in occurrences)


REASON_CHOICES = (
    Choice("coffee", "coffee", N_("Coffee and a chat")),
    Choice("question", "talk", N_("A question")),
    Choice("activity", "activity", N_("An activity")),
)


def reason_choices(answers: Answers) -> tuple[Choice, ...]:
    """What brings you here: today's activities by name (the app puts them in ``_today``), else "an activity"."""
    today = answers.get("_today", ())
    if not today:
        return REASON_CHOICES
    return tuple(c for c in REASON_CHOICES if c.key != "activity") + activity_choices(today)


CHECKIN = Flow(
    "checkin",
    (
        Step("checkin_count", "count", N_("How many of you are there?"), hint=N_("Tap + or − to change the number.")),
        Step(
            "checkin_first",
            "choice",
            N_("Is this your first time at Ter Plekke?"),
            (
                Choice("yes", "first_yes", N_("Yes, the first time")),
                Choice("no", "first_no", N_("No, I have been here before")),
                Choice("skip", "first_skip", N_("I'd rather not say")),
            ),
        ),
        Step("checkin_reason", "choice", N_("What brings you here today?"), REASON_CHOICES, offer=reason_choices,
             several=True),
    ),
    finish_checkin,
)


# -- contact details, only with consent (shared by the question and the idea) -----------------------
def contact_steps(prefix: str, about: str) -> tuple[Step, ...]:
    wants_contact: Callable[[Answers], bool] = lambda answers: answers.get(f"{prefix}_contact") == "yes"
    return (
        Step(
            f"{prefix}_contact",
            "choice",
            about,
            (
                Choice("yes", "phone", N_("Yes, I will leave my first name and phone number")),
                Choice("no", "no", N_("No, thank you")),
            ),
            hint=N_("We keep your name and number only to contact you about this, and delete them afterwards."),
        ),
        Step(f"{prefix}_name", "text", N_("What is your first name?"), max_length=NAME_MAX, when=wants_contact,
             check="name", capital=True, guide=N_("Your first name, for example Maria.")),
        Step(f"{prefix}_phone", "text", N_("What is your phone number?"), hint=N_("You may skip this."),
             max_length=PHONE_MAX, optional=True, keys="digits", when=wants_contact, check="phone",
             guide=N_("A mobile or home number, for example 0470 12 34 56.")),
    )


def contact_of(prefix: str, answers: Answers) -> dict[str, Any]:
    consent = answers.get(f"{prefix}_contact") == "yes"
    return {
        "consent": consent,
        "first_name": answers.get(f"{prefix}_name", "") if consent else "",
        "phone": answers.get(f"{prefix}_phone", "") if consent else "",
    }


# -- a question -------------------------------------------------------------------------------------
THEME_CHOICES = (
    Choice("paperwork", "paperwork", N_("Paperwork")),
    Choice("homehelp", "homehelp", N_("Help at home")),
    Choice("digital", "digital", N_("Digital help")),
    Choice("money", "money", N_("Money and energy")),
    Choice("housing", "housing", N_("Housing")),
    Choice("health", "health", N_("Health")),
    Choice("other", "other", N_("Something else")),
)


def finish_question(recorder: Recorder, answers: Answers) -> Done:
    record = question.ask(
        recorder,
        answers["q_theme"],
        answers["q_talk"] == "yes",
        answers.get("q_text", ""),
        **contact_of("q", answers),
    )
    theme = next((choice.label for choice in THEME_CHOICES if choice.key == answers["q_theme"]), "")
    return Done("question", N_("You are number {ticket}"),
                N_("A staff member will call your number. Take a seat, the coffee is ready."),
                {"ticket": record["data"]["ticket"]}, ticket=str(record["data"]["ticket"]), ticket_theme=theme,
                record=record)


QUESTION = Flow(
    "question",
    (
        Step("q_theme", "choice", N_("What is your question about?"), THEME_CHOICES),
        Step(
            "q_talk",
            "choice",
            N_("Would you like to talk to someone today?"),
            (Choice("yes", "talk", N_("Yes, today please")), Choice("no", "clock", N_("No, another time is fine"))),
        ),
        Step("q_text", "text", N_("Would you like to tell us a little more?"), hint=N_("You may skip this."),
             max_length=QUESTION_MAX, optional=True),
        *contact_steps("q", N_("May we contact you about your question?")),
    ),
    finish_question,
)


# -- an idea ----------------------------------------------------------------------------------------
CATEGORY_CHOICES = (
    Choice("walking", "walking", N_("A walk")),
    Choice("cooking", "cooking", N_("Cooking and eating together")),
    Choice("making", "making", N_("Making things")),
    Choice("trip", "trip", N_("A trip")),
    Choice("learning", "learning", N_("Learning something")),
    Choice("other", "idea_other", N_("Something else")),
)
CATEGORY_OF = {choice.key: choice for choice in CATEGORY_CHOICES}


def finish_idea(recorder: Recorder, answers: Answers) -> Done:
    ideas.propose(recorder, answers["i_category"], answers.get("i_title", ""), answers.get("i_text", ""),
                  **contact_of("i", answers))
    if answers.get("_wall") == "at_once":
        return Done("idea", N_("Thank you for your idea!"),
                    N_("Others can now see it on the idea wall, without your name, and support it with a heart."),
                    feedback=True)
    return Done("idea", N_("Thank you for your idea!"),
                N_("A staff member looks at it first. Then others see it on the idea wall, without your name."),
                feedback=True)


def wall_hint(answers: Answers) -> str:
    """Before the visitor types: what the idea wall will show of it."""
    if answers.get("_wall") == "at_once":
        return N_("Shown at once on the idea wall, without your name.")
    return N_("Shown on the idea wall after a staff member looked at it, without your name.")


IDEA = Flow(
    "idea",
    (
        Step("i_category", "choice", N_("What kind of activity is your idea?"), CATEGORY_CHOICES),
        Step("i_title", "text", N_("Give your idea a short name"), hint_by=wall_hint,
             max_length=TITLE_MAX, optional=True),
        Step("i_text", "text", N_("Tell us a little more about it"), hint_by=wall_hint,
             max_length=IDEA_TEXT_MAX, optional=True),
        *contact_steps("i", N_("May we contact you about your idea?")),
    ),
    finish_idea,
)

# -- sign up for an activity ------------------------------------------------------------------------
def finish_signup(recorder: Recorder, answers: Answers) -> Done:
    occurrence = answers["_occurrence"]
    records = recent_signups(recorder.store, recorder.clock.now().date())
    name = answers.get("s_name") or None
    try:
        clean_first_name(name)
    except ValidationError:
        name = None  # a name that cannot be kept never costs the visitor their place
    record = sign_up(recorder, occurrence, answers["s_persons"], name, taken=persons_signed_up(records, occurrence))
    return Done("yes", N_("You are signed up!"), N_("{title}, {day} at {time}. See you then!"),
                occurrence_fields(occurrence), feedback=True, record=record, place=occurrence.location)


def occurrence_fields(occurrence) -> dict[str, Any]:
    """An activity's title, day and time, for ``{title}``, ``{day}`` and ``{time}`` in texts."""
    return {"title": occurrence.title, "day": occurrence.starts_at.date(), "time": f"{occurrence.starts_at:%H:%M}"}


SIGNUP = Flow(
    "signup",
    (
        Step("s_persons", "persons", N_("How many persons are coming to {title}?"), hint=N_("{day} at {time}"),
             fields=lambda answers: occurrence_fields(answers["_occurrence"])),
        Step("s_name", "text", N_("Your first name, so we know who is coming"), hint=N_("You may skip this."),
             max_length=NAME_MAX, optional=True, check="name", capital=True,
             guide=N_("Your first name, for example Maria.")),
    ),
    finish_signup,
)

FLOWS = {flow.name: flow for flow in (CHECKIN, QUESTION, IDEA, SIGNUP)}

#: The home tiles: (flow or screen, pictogram, message id), shown when the target exists.
HOME_TILES = [
    ("checkin", "checkin", N_("I am here")),
    ("activities", "activities", N_("What is on today?")),
    ("question", "question", N_("I have a question")),
    ("wall", "idea", N_("I have an idea")),
]
