"""A question with pictogram tiles: tap one to answer (first time here? what brings you? ...)."""

from kivy.properties import ListProperty, StringProperty

from kiosk.ui.screens.base import StepScreen
from kiosk.ui.widgets import Tile


class ChoiceTile(Tile):
    """One answer to the question on a choice screen."""

    key = StringProperty("")
    """The answer's key, given to ``app.answer``."""

    label = StringProperty("")
    """Message id of the word under the pictogram."""


class ChoiceScreen(StepScreen):
    """Shows a step of kind ``choice``; a tap answers with the choice's key."""

    choices = ListProperty()
    """The :class:`kiosk.ui.flows.Choice` tiles, in order."""

    def __init__(self, **kwargs):
        self._spare: list[ChoiceTile] = []  # tiles a step with fewer choices left over, for the next with more
        super().__init__(**kwargs)

    def show_step(self, step, answers, draft=None) -> None:
        super().show_step(step, answers, draft)
        self.choices = list(step.choices_for(answers))

    def on_choices(self, *_):
        """Tiles already there take the new choices (cheaper than new tiles at every step: a new tile was
        most of a tap's own work); tiles not needed now wait aside for a step with more choices."""
        grid = self.ids.grid
        tiles = grid.children[::-1]
        for tile in tiles[len(self.choices):]:
            grid.remove_widget(tile)
            self._spare.append(tile)
        count = len(self.choices)
        grid.cols = count if count <= 3 else (count + 1) // 2
        for n, choice in enumerate(self.choices):
            if n < len(tiles):
                tiles[n].key, tiles[n].icon, tiles[n].label = choice.key, choice.icon, choice.label
            elif self._spare:
                tile = self._spare.pop()
                tile.key, tile.icon, tile.label = choice.key, choice.icon, choice.label
                grid.add_widget(tile)
            else:
                grid.add_widget(ChoiceTile(key=choice.key, icon=choice.icon, label=choice.label))
