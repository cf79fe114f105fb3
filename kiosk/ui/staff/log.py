"""The day's log: choose a day, save it on a USB stick (CSV, JSON and a printable report), or send it to a phone."""

from __future__ import annotations

from datetime import date

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.ui.i18n import N_, WEEKDAYS, translate
from kiosk.ui.staff.page import StaffPage
from kiosk.ui.widgets import BigButton

#: What went wrong with an export, by :class:`kiosk.errors.ExportError` code.
EXPORT_PROBLEMS = {
    "no_place": N_("The USB stick “{place}” is no longer there. Put it back in and try again."),
    "read_only": N_("Nothing can be written on “{place}”: it is read-only or locked. Nothing was saved."),
    "full": N_("“{place}” is full. Nothing was saved. Make room on it, or use another USB stick."),
    "failed": N_("Saving on “{place}” did not work. Nothing was saved. Try another USB stick."),
    "no_network": N_("This kiosk is not connected to a network. Connect it to Wi-Fi first, or use a USB stick."),
}


class DayButton(BigButton):
    """One day that has records; the chosen one is drawn selected."""

    day = StringProperty("")
    chosen = BooleanProperty(False)


class PlaceButton(BigButton):
    """Save on this USB stick (or into the configured folder)."""

    path = StringProperty("")
    place = StringProperty("")
    removable = BooleanProperty(True)


class LogScreen(StaffPage):
    """Days on the left; the chosen day's numbers and where it can go on the right."""

    days = ListProperty()
    """Days with records, newest first (``YYYY-MM-DD``)."""

    day = StringProperty("")
    """The chosen day."""

    day_label = StringProperty("")
    """The chosen day in words."""

    visits = NumericProperty(0)
    persons = NumericProperty(0)
    questions = NumericProperty(0)

    places = ListProperty()
    """:class:`kiosk.export.media.ExportPlace` items found now."""

    busy = BooleanProperty(False)
    """True while files are being written."""

    def on_days(self, *_):
        box = self.ids.days
        box.clear_widgets()
        for day in self.days:
            box.add_widget(DayButton(day=day, chosen=day == self.day))

    def on_day(self, *_):
        for button in self.day_buttons():
            button.chosen = button.day == self.day

    def on_places(self, *_):
        box = self.ids.places
        box.clear_widgets()
        for place in self.places:
            box.add_widget(PlaceButton(path=str(place.path), place=place.name, removable=place.removable,
                                       disabled=self.busy))

    def on_busy(self, *_):
        for button in self.place_buttons():
            button.disabled = self.busy

    def day_buttons(self) -> list[DayButton]:
        return list(reversed(self.ids.days.children))

    def place_buttons(self) -> list[PlaceButton]:
        return list(reversed(self.ids.places.children))

    def reset(self) -> None:
        super().reset()
        self.days, self.places, self.day, self.day_label, self.busy = [], [], "", "", False
        self.visits = self.persons = self.questions = 0


def short_day(day: str, lang: str) -> str:
    """``2027-04-20`` as "dinsdag 20/04" in ``lang``."""
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return day
    return f"{translate(WEEKDAYS[d.weekday()], lang)} {d.day:02d}/{d.month:02d}"
