"""The home (attract) screen: welcome, today's date and place, the big tiles, the language switch."""

from kivy.properties import ListProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.sizes import TileGrid  # noqa: F401  (home.kv uses it)
from kiosk.ui.widgets import BigButton, Tile


class HomeTile(Tile):
    """A big home tile that starts a flow or opens a screen."""

    target = StringProperty("")
    """The flow it starts (a name in kiosk.ui.flows.FLOWS) or the screen it opens."""

    label = StringProperty("")
    """Message id of the word under the pictogram."""


class LanguageButton(BigButton):
    """One tap switches every text to this language."""

    lang = StringProperty("")
    """Language code, e.g. "nl"."""


class HomeScreen(KioskScreen):
    """The screen the kiosk always returns to."""

    tiles = ListProperty()
    """The home tiles as ``(flow or screen, pictogram, message id)``; the app fills it from what exists."""

    languages = ListProperty()
    """Language codes offered by the one-tap switch, in order."""

    def on_tiles(self, *_):
        grid = self.ids.tiles
        grid.clear_widgets()
        for target, icon, label in self.tiles:
            grid.add_widget(HomeTile(target=target, icon=icon, label=label))

    def on_languages(self, *_):
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.languages:
            box.add_widget(LanguageButton(lang=lang))
