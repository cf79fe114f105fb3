"""Who is coming: the sign-ups of today's and the coming activities; staff mark a sign-up present or
cancel it (its places are free at once), and save the printable list for the cook.

The page has its own small controller (:class:`SignupsController`); staff mode only registers the page.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import mainthread
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core import participants
from kiosk.core.report import file_stem
from kiosk.errors import ExportError, KioskError
from kiosk.export import media
from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage
from kiosk.ui.widgets import BigButton

log = logging.getLogger(__name__)


class ActivityButton(BigButton):
    """One activity people signed up for; the chosen one is drawn selected."""

    key = StringProperty("")
    title = StringProperty("")
    start = StringProperty("")
    chosen = BooleanProperty(False)


class ParticipantRow(BoxLayout):
    """One sign-up: first name, persons, when; "present" and "cancel" (a second tap confirms)."""

    signup_id = StringProperty("")
    first_name = StringProperty("")
    persons = NumericProperty(1)
    time = StringProperty("")
    cancelled = BooleanProperty(False)
    present = BooleanProperty(False)
    confirming = BooleanProperty(False)
    """The cancel button was tapped once: the next tap cancels."""

    def cancel(self) -> None:
        if not self.confirming:
            self.confirming = True
            return
        App.get_running_app().screen("staff_signups").controller.cancel(self.signup_id)

    def mark_present(self) -> None:
        App.get_running_app().screen("staff_signups").controller.mark_present(self.signup_id)


class SignupsController:
    """Reads the sign-ups from the repository, writes ``signup_cancel`` / ``signup_present`` records."""

    def __init__(self, page: "SignupsScreen", app):
        self.page, self.app = page, app

    @property
    def services(self):
        return self.app.services

    def _records(self):
        return participants.list_records(self.services.repo, self.services.clock.now().date())

    def refresh(self) -> None:
        """Today's and the coming activities with their sign-ups; keep the chosen one if it is still there."""
        today = self.services.clock.now().date().isoformat()
        lists = [a for a in participants.activity_lists(self._records()) if a.day >= today]
        self.page.show_lists(lists)

    def choose(self, key: str) -> None:
        self.page.chosen = key
        self.refresh()

    def cancel(self, signup_id: str) -> None:
        self._act(participants.cancel, signup_id, N_("Cancelled. The places are free again."))

    def mark_present(self, signup_id: str) -> None:
        self._act(participants.mark_present, signup_id, N_("Marked present."))

    def _act(self, action, signup_id: str, done: str) -> None:
        try:
            action(self.services.recorder, self._records(), signup_id)
        except KioskError as error:
            log.warning("a sign-up action failed: %s", error)
            self.page.say(N_("This did not work."), "problem")
        else:
            self.page.say(done)
        self.refresh()

    def save_list(self) -> None:
        """Write the chosen activity's printable A4 list (HTML) on a USB stick, in a worker thread."""
        page = self.page
        chosen = [a for a in page.lists if a.key == page.chosen]
        places = media.find_places(self.services.config.export_folder, getattr(self.app.staff, "media_roots", ()))
        if not chosen or page.busy:
            return
        if not places:
            page.say(N_("No USB stick found. Put one in, wait a moment and try again."), "problem")
            return
        place = places[0]
        name = f"{file_stem(self.services.config.name, chosen[0].day)}-{_slug(chosen[0].title)}.html"
        body = participants.lists_html(chosen, self.services.config.name, self.app.location).encode("utf-8")
        page.busy = True

        def write() -> None:
            try:
                media.write_files(Path(place.path), {name: body})
            except ExportError as error:
                log.warning("saving the list failed: %s", error)
                self._saved(place.name, "")
            else:
                self._saved(place.name, name)

        threading.Thread(target=write, name="kiosk-signup-list", daemon=True).start()

    @mainthread
    def _saved(self, place: str, name: str) -> None:
        self.page.busy = False
        if name:
            self.page.say(N_("Saved on “{place}”: {files}. Delete the files once you no longer need them."),
                          place=place, files=name)
        else:
            self.page.say(N_("Saving on “{place}” did not work. Nothing was saved. Try another USB stick."),
                          "problem", place=place)


class SignupsScreen(StaffPage):
    """Activities on the left; the chosen activity's sign-ups on the right."""

    chosen = StringProperty("")
    """The key of the activity shown."""

    title = StringProperty("")
    start = StringProperty("")
    persons = NumericProperty(0)
    busy = BooleanProperty(False)
    lists = ListProperty()
    """The :class:`kiosk.core.participants.ActivityList` values shown."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.controller = SignupsController(self, App.get_running_app())

    def refresh(self) -> None:
        self.controller.refresh()

    def show_lists(self, lists) -> None:
        self.lists = list(lists)
        keys = [a.key for a in self.lists]
        if self.chosen not in keys:
            self.chosen = keys[0] if keys else ""
        box = self.ids.activities
        box.clear_widgets()
        for activity in self.lists:
            box.add_widget(ActivityButton(key=activity.key, chosen=activity.key == self.chosen,
                                          title=activity.title, start=activity.start))
        rows = self.ids.rows
        rows.clear_widgets()
        shown = next((a for a in self.lists if a.key == self.chosen), None)
        self.title, self.start = (shown.title, shown.start) if shown else ("", "")
        self.persons = shown.persons if shown else 0
        for p in shown.participants if shown else ():
            rows.add_widget(ParticipantRow(signup_id=p.id, first_name=p.first_name, persons=p.persons,
                                           time=p.signed_up_at[11:16], cancelled=p.cancelled, present=p.present))

    def row_widgets(self) -> list[ParticipantRow]:
        return list(reversed(self.ids.rows.children))

    def activity_buttons(self) -> list[ActivityButton]:
        return list(reversed(self.ids.activities.children))

    def reset(self) -> None:
        super().reset()
        self.chosen, self.title, self.start, self.persons, self.busy, self.lists = "", "", "", 0, False, []
        self.ids.activities.clear_widgets()
        self.ids.rows.clear_widgets()


def _slug(title: str) -> str:
    return file_stem(title, "x")[:-2] or "activiteit"
