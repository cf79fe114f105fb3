"""Today's place: the mobile centre moves between villages; staff pick where it stands today."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ListProperty, StringProperty

from kiosk.ui.staff.page import StaffPage
from kiosk.ui.widgets import Tile


class PlaceTile(Tile):
    """One of the configured places; the current one is drawn selected."""

    place = StringProperty("")

    def choose(self) -> None:
        App.get_running_app().staff.set_location(self.place)


class PlaceScreen(StaffPage):
    """A tile per place in ``[locations] places``."""

    places = ListProperty()
    """The configured places, in order."""

    def on_places(self, *_):
        grid = self.ids.grid
        grid.clear_widgets()
        for place in self.places:
            grid.add_widget(PlaceTile(place=place, icon="place", text=place))

    def tiles(self) -> list[PlaceTile]:
        return list(reversed(self.ids.grid.children))
