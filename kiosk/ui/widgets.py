"""Reusable widgets: pictogram tiles, big buttons, the back/home bar, the screen change. Styling lives in
widgets.kv."""

from __future__ import annotations


from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import TransitionBase

from kiosk import resources
from kiosk.ui import theme
from kiosk.ui.sizes import FitLabel  # noqa: F401  (widgets.kv uses it)
from kiosk.i18n import N_


PICTOGRAM_DIR = resources.PICTOGRAM_DIR


def pictogram(name: str) -> str:
    """The file of a pictogram by name (see kiosk/assets/pictograms/SOURCES.txt)."""
    return str(PICTOGRAM_DIR / f"{name}.png") if name else ""


class Tile(ButtonBehavior, BoxLayout):
    """A large touch target: a pictogram above a word. Fires ``on_release`` like a button."""

    icon = StringProperty("")
    """Pictogram name (a file in kiosk/assets/pictograms without ``.png``)."""

    text = StringProperty("")
    """The word(s) under the pictogram, already translated."""

    colour = ListProperty(theme.rgba(theme.SURFACE))
    """Background colour (RGBA 0..1)."""

    text_colour = ListProperty(theme.rgba(theme.TEXT))
    """Text colour (RGBA 0..1)."""

    selected = BooleanProperty(False)
    """Drawn with a thick border and a soft yellow background when True."""

    # The word is a FitLabel (kiosk.ui.sizes): smaller, down to the floor, when it would not fit the tile, so
    # that a long Dutch word such as "Gezondheidswandeling" is never broken in two.


class BigButton(ButtonBehavior, BoxLayout):
    """A wide button with an optional pictogram left of its text (next, back, home, yes)."""

    icon = StringProperty("")
    """Pictogram name, or empty."""

    text = StringProperty("")
    """The label, already translated."""

    colour = ListProperty(theme.rgba(theme.ACCENT))
    """Background colour (RGBA 0..1)."""

    text_colour = ListProperty(theme.rgba(theme.ON_ACCENT))
    """Text colour (RGBA 0..1)."""

    font_sp = NumericProperty(theme.BODY_SP)
    """Text size in sp."""

    floor_sp = NumericProperty(0)
    """The smallest the text may get to fit the button (0: the window's visitor-text floor)."""


class NavBar(BoxLayout):
    """The bar at the top of every flow screen: "Back" on the left, "Home" on the right.

    Buttons that belong on every screen beside these (e.g. "read aloud") go in ``ids.extras``, a box between
    the two: each is ``ui.nav_button_dp`` wide, and three fit the smallest window (800x480).
    """

    show_back = BooleanProperty(True)
    """False on a last screen, where only "Home" makes sense."""

    button_width = NumericProperty(0)
    """The width of Back and Home (set in widgets.kv)."""


#: The word under each smiley, by score (widgets.kv shows them).
SMILEY_WORDS = {4: N_("Very good"), 3: N_("Good"), 2: N_("So-so"), 1: N_("Not good")}


class SmileyRow(BoxLayout):
    """"How was it today?" with four big smileys, each with its word; a tap calls
    ``app.give_feedback(score, where)``."""

    where = StringProperty("home")
    """Where the smileys were shown (home, or the end of a flow), stored with the score."""


class Cut(TransitionBase):
    """The next screen takes the place of the one before in the frame after the tap: a cut, no fade. Each
    frame draws one screen, directly (no off-screen buffers; screens have no background of their own: the
    window's clear colour is it).

    A fade (0.15 s) drew three or four extra frames per screen change with every pixel of the screen
    blended, each about 1.5 times a still frame (Mesa llvmpipe, 1280x800): they were most of the slow
    frames while visitors tapped. A whole new screen (another title, other tiles) shows the change plainly.
    (Kivy's FadeTransition is worse still: both screens in window-sized frame buffers, some 150 MB.)
    """

    duration = NumericProperty(0.15)
    """How long touches wait after a change (nothing is drawn meanwhile): a double tap meant for one button
    must not also press the one at the same place on the next screen."""

    _hold = None

    def hold_touches(self) -> None:
        """Touches wait ``duration``, as during a change of screen, while the screen stays: the next step on
        the same screen. A double tap meant for one Next must not also press the next step's."""
        if not self.is_active:
            self.is_active = True
            self._hold = Clock.schedule_once(self._release, self.duration)

    def _release(self, *_):
        self._hold, self.is_active = None, False

    def start(self, manager):
        if self._hold is not None:
            self._hold.cancel()
            self._release()
        super().start(manager)

    def add_screen(self, screen):
        super().add_screen(screen)
        self.manager.real_remove_widget(self.screen_out)
