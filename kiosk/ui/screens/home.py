"""The home (attract) screen: welcome, today's date and place, the big tiles, the language switch."""

from kivy.app import App
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import theme
from kiosk.ui.hold import Hold
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.sizes import TileGrid, word_width  # noqa: F401  (home.kv uses TileGrid)
from kiosk.ui.widgets import BigButton, Tile

#: Each language by its own name, the same in every language (a visitor looks for their own).
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
#: The language buttons may take this share of the screen's width; else they show their codes.
LANGUAGE_SHARE = 0.48


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

    long_name = BooleanProperty(False)
    """Show the language's name ("Français") instead of its code ("FR")."""

    wide = NumericProperty(0)
    """Its width with the name shown."""


class StaffDoor(BoxLayout):
    """Holds the kiosk's name on the home screen. A finger held still on it for :attr:`hold_seconds`
    opens the PIN pad; a tap, or a finger that moves, does nothing. Visitors never see a button."""

    hold_seconds = NumericProperty(2.0)
    """How long the finger must stay."""

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos) and not touch.is_mouse_scrolling:
            touch.ud[self] = Hold(touch, self.hold_seconds, lambda: self._open(touch))
        return super().on_touch_down(touch)

    def on_touch_move(self, touch):
        event = touch.ud.get(self)
        if event is not None and event.moved_away():
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
        for target, icon, label in self.tiles:
            grid.add_widget(HomeTile(target=target, icon=icon, label=label))

    def on_languages(self, *_):
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.languages:
            box.add_widget(LanguageButton(lang=lang))
        self.on_width()

    def on_width(self, *_):
        """Names where they fit in :data:`LANGUAGE_SHARE` of the width, codes otherwise."""
        buttons = self.ids.languages.children
        if not buttons:
            return
        # the name in the smallest text size, and the button's padding and spacing around it
        widths = [word_width(LANGUAGE_NAMES.get(b.lang, b.lang), sp(theme.SMALL_SP), bold=True) + dp(64) for b in buttons]
        fits = sum(widths) + dp(12) * (len(widths) - 1) <= self.width * LANGUAGE_SHARE
        for button, width in zip(buttons, widths):
            button.wide, button.long_name = width, fits
