"""The question queue: open questions in ticket order; staff mark each "helped" or "not needed"."""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core import question
from kiosk.errors import KioskError
from kiosk.ui.flows import THEME_CHOICES
from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage, phone_on_one_line

log = logging.getLogger(__name__)

THEME_OF = {choice.key: choice for choice in THEME_CHOICES}
#: How a handled question is said.
OUTCOME_WORDS = {"helped": N_("helped"), "not_needed": N_("not needed")}


class QueueCard(BoxLayout):
    """One open question: its ticket, theme, whether to talk today, the visitor's words and contact."""

    question_id = StringProperty("")
    ticket = NumericProperty(0)
    icon = StringProperty("other")
    theme_label = StringProperty("")
    """Message id of the theme."""

    talk_today = BooleanProperty(False)
    time = StringProperty("")
    """When it was asked, "10:42"."""

    text = StringProperty("")
    """The visitor's words, as typed."""

    contact = StringProperty("")
    """First name and phone number, when the visitor left them."""

    def mark(self, outcome: str) -> None:
        App.get_running_app().staff.mark(self.question_id, outcome)


class QuestionsScreen(StaffPage):
    """Filled with the day's :class:`kiosk.core.question.QueueItem` list through :meth:`show_queue`."""

    handled = ListProperty()
    """``(ticket, outcome message id)`` of the questions already handled today."""

    open_count = NumericProperty(0)

    _shown = None  # what the cards show now, to rebuild them only when something changed

    def refresh(self) -> None:
        self.show_queue(self.staff.day_stats().questions)

    def mark(self, question_id: str, outcome: str) -> None:
        """Staff helped with a question (or it was not needed): a ``handled`` record; it leaves the queue."""
        try:
            done = question.handle(self.staff.services.recorder, question_id, outcome)
        except KioskError as error:
            log.warning("marking a question failed: %s", error)
            self.say(N_("This did not work."), "problem")
        else:
            self.say(N_("Number {ticket}: done."), ticket=done["data"]["ticket"])
        self.refresh()

    def show_queue(self, items) -> None:
        shown = [(item.id, item.outcome, item.erased) for item in items]
        if shown == self._shown:
            return  # nothing new: keep the cards (and where staff scrolled to)
        self._shown = shown
        box = self.ids.cards
        box.clear_widgets()
        open_items = [item for item in items if item.is_open]
        for item in open_items:
            theme = THEME_OF.get(item.theme)
            contact = "  ·  ".join(part for part in (item.first_name, phone_on_one_line(item.phone)) if part)
            box.add_widget(QueueCard(
                question_id=item.id, ticket=item.ticket, icon=theme.icon if theme else "other",
                theme_label=theme.label if theme else item.theme, talk_today=item.talk_today,
                time=item.created_at[11:16], text=item.text, contact=contact,
            ))
        self.open_count = len(open_items)
        self.handled = [(item.ticket, OUTCOME_WORDS.get(item.outcome, item.outcome)) for item in items if not item.is_open]

    def cards(self) -> list[QueueCard]:
        """The cards on screen, in ticket order."""
        return list(reversed(self.ids.cards.children))

    def reset(self) -> None:
        super().reset()
        self._shown = None
        self.ids.cards.clear_widgets()
        self.handled, self.open_count = [], 0
