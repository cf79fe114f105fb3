"""Ideas with their support, what the public idea wall shows of them (approve, hide), and the sign-ups
per activity."""

from __future__ import annotations

import logging
from datetime import date

from kivy.app import App
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core import ideas
from kiosk.core.daystats import signups_per_activity
from kiosk.core.signup import recent_signups
from kiosk.errors import KioskError
from kiosk.ui.flows import CATEGORY_OF
from kiosk.i18n import N_, format_short_day
from kiosk.ui.staff.page import StaffPage

log = logging.getLogger(__name__)

#: What staff read about an idea's place on the wall, by its status.
STATUS_WORDS = {
    "waiting": N_("Waiting for you: not on the wall yet"),
    "shown": N_("On the idea wall"),
    "hidden": N_("Hidden from the idea wall"),
}


class IdeaReviewCard(BoxLayout):
    """One idea for staff: its words, hearts and status, and "Show on the wall" or "Hide"."""

    idea_id = StringProperty("")
    title = StringProperty("")
    """What the resident typed, or the category's message id (``is_title`` False)."""

    text = StringProperty("")
    support = NumericProperty(0)
    status = StringProperty("waiting")
    """``waiting``, ``shown`` or ``hidden`` (see :func:`kiosk.core.ideas.all_ideas`)."""

    def moderate(self) -> None:
        App.get_running_app().screen("staff_ideas").moderate(self.idea_id, "hide" if self.status == "shown" else "approve")


class IdeasScreen(StaffPage):
    """Two lists: the ideas (most hearts first, each to show on or hide from the wall) and the activities
    people signed up for."""

    ideas = ListProperty()
    """:class:`kiosk.core.ideas.WallIdea` items (every status), most supported first."""

    signups = ListProperty()
    """``(activity title, start (ISO), persons, sign-ups)``, soonest first."""

    def refresh(self) -> None:
        repo, today = self.staff.services.repo, self.staff.services.clock.now().date()
        coming = [s for s in signups_per_activity(recent_signups(repo, today))
                  if s.start[:10] >= today.isoformat() or not s.start]
        self.show_lists(ideas.recent_ideas(repo, today, self.staff.services.config.idea_wall), coming)

    def show_lists(self, wall, signups) -> None:
        self.ideas = list(wall)
        self.signups = [(s.title, s.start, s.persons, s.signups) for s in signups]

    def on_ideas(self, *_):
        box = self.ids.idea_cards
        box.clear_widgets()
        for idea in self.ideas:
            category = CATEGORY_OF.get(idea.category)
            box.add_widget(IdeaReviewCard(
                idea_id=idea.id, title=idea.title or (category.label if category else idea.category),
                text=idea.text, support=idea.support, status=idea.status))

    def cards(self) -> list[IdeaReviewCard]:
        return list(reversed(self.ids.idea_cards.children))

    def moderate(self, idea_id: str, action: str) -> None:
        """Show an idea on the public wall (``approve``) or take it off (``hide``): a ``moderation`` record."""
        app = App.get_running_app()
        try:
            ideas.moderate(app.services.recorder, idea_id, action)
        except KioskError as error:
            log.warning("moderating an idea failed: %s", error)
            self.say(N_("This did not work."), "problem")
            return
        self.say(N_("The idea is on the wall now.") if action == "approve" else N_("The idea is hidden from the wall now."))
        app.staff.refresh(self.name)

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
