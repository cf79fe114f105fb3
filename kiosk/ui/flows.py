"""The visitor flows as data: which question comes after which, and what is stored at the end. Kivy-free.

A :class:`Flow` is a list of steps (one question per screen) and a ``finish`` that turns the answers into
a record through the core. The app walks the steps; ``back`` goes one step back, ``home`` drops the
answers. Texts are English message ids, translated in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.ui.i18n import N_


@dataclass(frozen=True)
class Choice:
    key: str
    icon: str   # a file name in assets/pictograms, without .png
    label: str  # message id


@dataclass(frozen=True)
class Step:
    """One screen of a flow. ``kind`` names the screen class that shows it: choice, count, text.

    A text step may be skipped when ``optional``; ``max_length`` limits what can be typed (the core
    checks the same limit).
    """

    name: str
    kind: str
    title: str
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    max_length: int = 0
    optional: bool = False


@dataclass(frozen=True)
class Done:
    """What the last screen says: a pictogram, a title, a message (with ``{fields}``), and the fields."""

    icon: str
    title: str
    message: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    finish: Callable[[Recorder, dict[str, Any]], Done]

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)


# -- check in ---------------------------------------------------------------------------------------
COUNT_STEP = Step("checkin_count", "count", N_("How many are you?"), hint=N_("Tap + or − to change the number."))
FIRST_TIME_STEP = Step(
    "checkin_first",
    "choice",
    N_("Is this your first time at Ter Plekke?"),
    (
        Choice("yes", "first_yes", N_("Yes, the first time")),
        Choice("no", "first_no", N_("No, I have been here before")),
        Choice("skip", "first_skip", N_("I'd rather not say")),
    ),
)
REASON_STEP = Step(
    "checkin_reason",
    "choice",
    N_("What brings you here today?"),
    (
        Choice("coffee", "coffee", N_("Coffee and a chat")),
        Choice("question", "talk", N_("A question")),
        Choice("activity", "activity", N_("An activity")),
    ),
)


def finish_checkin(recorder: Recorder, answers: dict[str, Any]) -> Done:
    adults, children = answers["checkin_count"]
    first_time = {"yes": True, "no": False}.get(answers["checkin_first"])
    check_in(recorder, adults, children, first_time, [answers["checkin_reason"]])
    return Done("welcome", N_("Welcome!"), N_("Nice that you are here. Enjoy your coffee and feel at home."))


CHECKIN = Flow("checkin", (COUNT_STEP, FIRST_TIME_STEP, REASON_STEP), finish_checkin)

FLOWS = {flow.name: flow for flow in (CHECKIN,)}
