"""Today's place: the mobile centre moves between villages; staff pick where it stands today."""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.properties import ListProperty, StringProperty

from kiosk.errors import KioskError
from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage
from kiosk.ui.widgets import Tile


log = logging.getLogger(__name__)


class PlaceTile(Tile):
    """One of the configured places; the current one is drawn selected."""

    place = StringProperty("")

    def choose(self) -> None:
        App.get_running_app().staff.set_location(self.place)


class PlaceScreen(StaffPage):
    """A tile per place in ``[locations] places``."""

    places = ListProperty()
    """The configured places, in order."""

    def refresh(self) -> None:
        self.places = list(self.staff.services.config.places)

    def set_location(self, place: str) -> None:
        staff = self.staff
        if place not in staff.services.config.places:
            return
        try:
            staff.services.repo.set_setting("location", place)
        except KioskError as error:
            log.error("keeping the location failed: %s", error)
            self.say(N_("This did not work."), "problem")
            return
        staff.services.recorder.location = place
        staff.app.location = place
        self.say(N_("Today's place is now {place}."), place=place)

    def on_places(self, *_):
        grid = self.ids.grid
        grid.clear_widgets()
        for place in self.places:
            grid.add_widget(PlaceTile(place=place, icon="place", text=place))

    def tiles(self) -> list[PlaceTile]:
        return list(reversed(self.ids.grid.children))
