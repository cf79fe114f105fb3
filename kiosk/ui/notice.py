"""What the privacy screen says, made from the kiosk's own settings: one list that the screen shows and the
speaker button reads (kiosk/speech/screens.py). Kivy-free."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import N_, N_n


@dataclass(frozen=True)
class Point:
    """One point of the notice: a message id, its plural form ("" when none) and the number that picks it."""

    msgid: str
    plural: str = ""
    n: int = 0


TITLE = N_("What we keep, and for how long")
_KEPT = N_n("This kiosk sends what it keeps to the Ter Plekke team, and removes it from the kiosk {n} day after sending.",
            "This kiosk sends what it keeps to the Ter Plekke team, and removes it from the kiosk {n} days after sending.")


def privacy_points(retention_days: int, uploads: bool, idea_wall: str) -> list[Point]:
    """The notice's points, true to ``[data] retention_days``, whether ``[office] url`` is set (uploads) and
    ``[ideas] wall``."""
    keeping = (Point(*_KEPT, retention_days) if uploads else
               Point(N_("This kiosk sends nothing over the internet. What it keeps stays on the kiosk until a staff member removes it.")))
    wall = (Point(N_("An idea you leave is shown at once on the idea wall, without your name.")) if idea_wall == "at_once" else
            Point(N_("An idea you leave is shown on the idea wall after a staff member looked at it, without your name.")))
    return [
        Point(N_("When you tap in, we keep how many you are and why you came. Not your name.")),
        Point(N_("Your name and phone number are kept only if you say yes, and only to contact you.")),
        keeping,
        wall,
        Point(N_("The next visitor never sees your question, your name or your number.")),
        Point(N_("Questions about your data? Ask a staff member.")),
    ]
