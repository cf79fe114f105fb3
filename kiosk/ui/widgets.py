"""Reusable widgets: pictogram tiles, big buttons, the back/home bar, the screen change. Styling lives in
widgets.kv."""

from __future__ import annotations

from functools import lru_cache

from kivy.core.text import Label as CoreLabel
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import TransitionBase

from kiosk import resources
from kiosk.ui import theme


@lru_cache(maxsize=512)
def _word_width(word: str, size_sp: float) -> float:
    """How wide ``word`` is in bold at ``size_sp``: measured, not drawn (tiles ask at every step)."""
    return CoreLabel(font_size=sp(size_sp), bold=True).get_extents(word)[0]


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

    label_sp = NumericProperty(theme.TILE_LABEL_SP)
    """Text size: smaller (down to SMALL_SP) when the longest word would not fit the tile's width,
    so that a long Dutch word such as "Gezondheidswandeling" is never broken in two."""

    def on_text(self, *_):
        self._fit_label()

    def on_width(self, *_):
        self._fit_label()

    def _fit_label(self) -> None:
        longest = max(self.text.split(), key=len, default="")
        room = self.width - dp(40)
        size = theme.TILE_LABEL_SP
        while size > theme.SMALL_SP and _word_width(longest, size) > room:
            size -= 2
        self.label_sp = size


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


class NavBar(BoxLayout):
    """The bar at the top of every flow screen: "Back" on the left, "Home" on the right."""

    show_back = BooleanProperty(True)
    """False on a last screen, where only "Home" makes sense."""


class SmileyRow(BoxLayout):
    """"How was it today?" with four big smileys; a tap calls ``app.give_feedback(score, where)``."""

    where = StringProperty("home")
    """Where the smileys were shown (home, or the end of a flow), stored with the score."""


class LightFade(TransitionBase):
    """The next screen fades in from the background colour; the one before goes at once. One screen is
    drawn per frame, directly: no off-screen buffers (screens have no background of their own: the
    window's clear colour is it).

    Kivy's FadeTransition renders both screens into window-sized frame buffers for every frame of the
    fade: on a software renderer (Mesa llvmpipe) that kept some 150 MB more memory in use and made each
    frame of a fade three full-window passes; fading both screens directly still drew two.
    """

    def add_screen(self, screen):
        super().add_screen(screen)
        self.manager.real_remove_widget(self.screen_out)

    def on_progress(self, progress):
        self.screen_in.opacity = progress

    def on_complete(self):
        self.screen_in.opacity = 1
        super().on_complete()
