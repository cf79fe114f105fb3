"""How many are you: adults and children (or just persons), each with big − and + buttons."""

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.core.checkin import MAX_PER_GROUP
from kiosk.ui.screens.base import KioskScreen


class CountScreen(KioskScreen):
    """Answers with ``(adults, children)``, or with a number of persons when ``single``; at least one."""

    title = StringProperty("")
    """The question (message id)."""

    hint = StringProperty("")
    """A short help line under the question (message id)."""

    adult_count = NumericProperty(1)
    """Adults in the group (0..MAX_PER_GROUP)."""

    child_count = NumericProperty(0)
    """Children in the group (0..MAX_PER_GROUP)."""

    single = BooleanProperty(False)
    """One row, "Persons", instead of adults and children (a sign-up)."""

    limit = NumericProperty(MAX_PER_GROUP)
    """The highest number a row can reach."""

    def change(self, which: str, delta: int) -> None:
        value = max(0, min(int(self.limit), getattr(self, which) + delta))
        setattr(self, which, value)

    def submit(self) -> None:
        answer = self.adult_count if self.single else (self.adult_count, self.child_count)
        App.get_running_app().answer(answer)

    def reset(self) -> None:
        self.adult_count, self.child_count = 1, 0
