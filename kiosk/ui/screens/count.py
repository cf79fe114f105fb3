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
    """The highest number a row can reach: for a sign-up, no more than the places left."""

    places_left = NumericProperty(-1)
    """A sign-up: the places left, said under the question ("Nog 2 plaatsen vrij"); -1: no limit."""

    def show_step(self, step, answers, draft=None) -> None:
        super().show_step(step, answers, draft)
        self.single = step.kind == "persons"
        left = answers.get("_places_left") if self.single else None
        self.places_left = -1 if left is None else left
        self.limit = MAX_PER_GROUP if not self.single else MAX_PERSONS if left is None else min(MAX_PERSONS, left)
        adults, children = draft or (1, 0)
        self.adult_count, self.child_count = min(adults, int(self.limit)), children

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
