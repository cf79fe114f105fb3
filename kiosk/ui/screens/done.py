"""The last screen of a flow: welcome, thank you, your ticket number; goes home by itself."""

from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen


class DoneScreen(KioskScreen):
    """Shows a :class:`kiosk.ui.flows.Done`. The app counts ``seconds_left`` down to going home, and back
    up to ``stay_seconds`` at every touch (a ticket stays while it is looked at and touched)."""

    icon = StringProperty("welcome")
    """Pictogram name."""

    title = StringProperty("")
    """Big title (message id)."""

    message = StringProperty("")
    """Message id with ``{fields}``."""

    fields = DictProperty()
    """Values for the message's ``{fields}``."""

    seconds_left = NumericProperty(0)
    """Seconds until the kiosk goes home by itself."""

    stay_seconds = NumericProperty(10)
    """Seconds the screen stays after the last touch."""

    error = StringProperty("")
    """Set when saving failed: a kind message replaces the title (message id)."""

    ticket = StringProperty("")
    """A question's ticket number, shown huge (empty: none)."""

    ticket_theme = StringProperty("")
    """The question's theme under the number (message id)."""

    feedback = BooleanProperty(False)
    """The smileys are asked (a visitor leaving; never on arrival)."""

    follow = StringProperty("")
    """A flow offered with one tap (e.g. "question" after a check-in for a question), or empty."""

    follow_label = StringProperty("")
    """The words on that button (message id)."""

    def show_done(self, done, problem: str) -> None:
        """``done``'s words (a :class:`kiosk.ui.flows.Done`), or (None) ``problem`` (message id)."""
        if done is None:
            self.error, self.ticket, self.ticket_theme, self.feedback, self.follow = problem, "", "", False, ""
            return
        self.error = ""
        self.fields = done.fields
        self.icon, self.title, self.message = done.icon, done.title, done.message
        self.ticket, self.ticket_theme, self.feedback = done.ticket, done.ticket_theme, done.feedback
        self.follow, self.follow_label = done.follow, done.follow_label
