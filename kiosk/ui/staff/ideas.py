"""Ideas ranked by support, and the sign-ups per activity."""

from __future__ import annotations

from datetime import date

from kivy.properties import ListProperty

from kiosk.core.daystats import signups_per_activity
from kiosk.core.ideas import recent_wall
from kiosk.core.signup import recent_signups
from kiosk.ui.flows import CATEGORY_OF
from kiosk.ui.i18n import format_short_day
from kiosk.ui.staff.page import StaffPage


class IdeasScreen(StaffPage):
    """Two lists: the ideas on the wall (most hearts first) and the activities people signed up for."""

    ideas = ListProperty()
    """``(title or category message id, is_title, hearts)``, most supported first."""

    signups = ListProperty()
    """``(activity title, start (ISO), persons, sign-ups)``, soonest first."""

    def refresh(self) -> None:
        repo, today = self.staff.services.repo, self.staff.services.clock.now().date()
        coming = [s for s in signups_per_activity(recent_signups(repo, today))
                  if s.start[:10] >= today.isoformat() or not s.start]
        self.show_lists(recent_wall(repo, today), coming)

    def show_lists(self, wall, signups) -> None:
        self.ideas = [
            (idea.title or (CATEGORY_OF[idea.category].label if idea.category in CATEGORY_OF else idea.category),
             bool(idea.title), idea.support)
            for idea in wall
        ]
        self.signups = [(s.title, s.start, s.persons, s.signups) for s in signups]

    def reset(self) -> None:
        super().reset()
        self.ideas, self.signups = [], []


def when_text(start: str, lang: str) -> str:
    """``2027-04-22T12:00:00+02:00`` as "donderdag 22/04 12:00" in ``lang`` (a day alone: no time)."""
    try:
        day = date.fromisoformat(start[:10])
    except ValueError:
        return start
    words = format_short_day(day, lang)
    return f"{words} {start[11:16]}" if len(start) >= 16 else words
