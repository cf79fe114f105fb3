"""The day's log: choose a day, save it on a USB stick (CSV, JSON and a printable report), or send it to a phone."""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path

from kivy.clock import mainthread
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.core.daystats import day_stats
from kiosk.errors import ExportError
from kiosk.export import media
from kiosk.i18n import N_, format_short_day
from kiosk.ui.staff.page import StaffPage
from kiosk.ui.widgets import BigButton

log = logging.getLogger(__name__)

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

    def refresh(self) -> None:
        today = self.staff.today()
        self.days = sorted({*self.staff.services.repo.days(), today}, reverse=True)
        self.choose_day(self.day if self.day in self.days else today)
        self.look_for_sticks()

    def choose_day(self, day: str) -> None:
        stats = day_stats(day, self.staff.services.repo.records_for_day(day))
        self.day, self.day_label = day, self.staff.day_words(day)
        self.visits, self.persons, self.questions = stats.visits, stats.persons, len(stats.questions)
        self.say("")

    def look_for_sticks(self) -> None:
        self.places = media.find_places(self.staff.services.config.export_folder, self.staff.media_roots)

    def export_to(self, folder: str, name: str) -> None:
        """Write the chosen day's files on a stick, in a worker thread; the page says how it went."""
        if self.busy or not self.day:
            return
        files = self.staff.day_files(self.day)
        self.busy = True
        self.say(N_("Saving..."))

        def write() -> None:
            try:
                written = media.write_files(Path(folder), files)
            except ExportError as error:
                log.warning("export to %s failed: %s", folder, error)
                self._exported(name, None, error.code)
            except Exception:  # never leave the page busy for ever
                log.exception("export to %s failed", folder)
                self._exported(name, None, "failed")
            else:
                self._exported(name, [path.name for path in written], "")

        threading.Thread(target=write, name="kiosk-export", daemon=True).start()

    @mainthread
    def _exported(self, name: str, written: list[str] | None, problem: str) -> None:
        self.busy = False
        if written is None:
            self.say(EXPORT_PROBLEMS.get(problem, EXPORT_PROBLEMS["failed"]), "problem", place=name)
        else:
            self.say(N_("Saved on “{place}”: {files}. Delete the files once you no longer need them."),
                     place=name, files=", ".join(written))

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
    return format_short_day(d, lang)
