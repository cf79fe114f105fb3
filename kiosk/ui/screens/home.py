"""The home (attract) screen: welcome, today's date and place, the big tiles, the language switch."""

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.screens.base import KioskScreen
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


class StaffDoor(BoxLayout):
    """Holds the kiosk's name on the home screen. A finger held still on it for :attr:`hold_seconds`
    opens the PIN pad; a tap, or a finger that moves, does nothing. Visitors never see a button."""

    hold_seconds = NumericProperty(2.0)
    """How long the finger must stay."""

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos) and not touch.is_mouse_scrolling:
            touch.ud[self] = Clock.schedule_once(lambda dt: self._open(touch), self.hold_seconds)
        return super().on_touch_down(touch)

    def on_touch_move(self, touch):
        event = touch.ud.get(self)
        if event is not None and (abs(touch.x - touch.ox) > dp(30) or abs(touch.y - touch.oy) > dp(30)):
            event.cancel()
            touch.ud[self] = None
        return super().on_touch_move(touch)

    def on_touch_up(self, touch):
        event = touch.ud.get(self)
        if event is not None:
            event.cancel()
            touch.ud[self] = None
        return super().on_touch_up(touch)

    def _open(self, touch) -> None:
        touch.ud[self] = None
        App.get_running_app().staff.open_pad()


class HomeScreen(KioskScreen):
    """The screen the kiosk always returns to."""

    tiles = ListProperty()
    """The home tiles as ``(flow or screen, pictogram, message id)``; the app fills it from what exists."""

    languages = ListProperty()
    """Language codes offered by the one-tap switch, in order."""

    def on_tiles(self, *_):
        grid = self.ids.tiles
        grid.clear_widgets()
        grid.cols = len(self.tiles) if len(self.tiles) <= 4 else (len(self.tiles) + 1) // 2
        for target, icon, label in self.tiles:
            grid.add_widget(HomeTile(target=target, icon=icon, label=label))

    def on_languages(self, *_):
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.languages:
            box.add_widget(LanguageButton(lang=lang))
