"""A question with pictogram tiles: tap one to answer (first time here? what brings you? ...)."""

from kivy.properties import ListProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Tile


class ChoiceTile(Tile):
    """One answer to the question on a choice screen."""

    key = StringProperty("")
    """The answer's key, given to ``app.answer``."""

    label = StringProperty("")
    """Message id of the word under the pictogram."""


class ChoiceScreen(KioskScreen):
    """Shows one :class:`kiosk.ui.flows.Step` of kind ``choice``; a tap answers with the choice's key."""

    title = StringProperty("")
    """The question (message id)."""

    hint = StringProperty("")
    """A short line under the question (message id), e.g. what consent means."""

    choices = ListProperty()
    """The :class:`kiosk.ui.flows.Choice` tiles, in order."""

    def on_choices(self, *_):
        grid = self.ids.grid
        grid.clear_widgets()
        count = len(self.choices)
        grid.cols = count if count <= 3 else (count + 1) // 2
        for choice in self.choices:
            grid.add_widget(ChoiceTile(key=choice.key, icon=choice.icon, label=choice.label))
