"""How many are you: adults and children (or just persons), each with big − and + buttons."""

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty

from kiosk.core.checkin import MAX_PER_GROUP
from kiosk.core.signup import MAX_PERSONS
from kiosk.ui.screens.base import StepScreen


class CountScreen(StepScreen):
    """Shows a step of kind ``count`` (answers ``(adults, children)``) or ``persons`` (answers a number of
    persons, in one row); at least one."""

    adult_count = NumericProperty(1)
    """Adults in the group (0..MAX_PER_GROUP)."""

    child_count = NumericProperty(0)
    """Children in the group (0..MAX_PER_GROUP)."""

    single = BooleanProperty(False)
    """One row, "Persons", instead of adults and children (a sign-up)."""

    limit = NumericProperty(MAX_PER_GROUP)
    """The highest number a row can reach."""

    def show_step(self, step, answers, draft=None) -> None:
        super().show_step(step, answers, draft)
        self.single = step.kind == "persons"
        self.limit = MAX_PERSONS if self.single else MAX_PER_GROUP
        self.adult_count, self.child_count = draft or (1, 0)

    def draft(self):
        return self.adult_count, self.child_count

    def change(self, which: str, delta: int) -> None:
        value = max(0, min(int(self.limit), getattr(self, which) + delta))
        setattr(self, which, value)

    def submit(self) -> None:
        answer = self.adult_count if self.single else (self.adult_count, self.child_count)
        App.get_running_app().answer(answer)

    def reset(self) -> None:
        self.adult_count, self.child_count = 1, 0
