"""How many are you: adult_count and child_count, each with big − and + buttons."""

from kivy.properties import NumericProperty, StringProperty

from kiosk.core.checkin import MAX_PER_GROUP
from kiosk.ui.screens.base import KioskScreen


class CountScreen(KioskScreen):
    """Answers with ``(adults, children)``; at least one person."""

    title = StringProperty("")
    """The question (message id)."""

    hint = StringProperty("")
    """A short help line under the question (message id)."""

    adult_count = NumericProperty(1)
    """Adults in the group (0..MAX_PER_GROUP)."""

    child_count = NumericProperty(0)
    """Children in the group (0..MAX_PER_GROUP)."""

    def change(self, which: str, delta: int) -> None:
        value = max(0, min(MAX_PER_GROUP, getattr(self, which) + delta))
        setattr(self, which, value)

    def reset(self) -> None:
        self.adult_count, self.child_count = 1, 0
