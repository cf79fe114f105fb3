"""A question with pictogram tiles: tap one to answer (first time here? what brings you? ...)."""

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty

from kiosk.ui.screens.base import StepScreen
from kiosk.ui.sizes import TileGrid  # noqa: F401  (choice.kv uses it)
from kiosk.ui.widgets import Tile


class ChoiceTile(Tile):
    """One answer to the question on a choice screen."""

    key = StringProperty("")
    """The answer's key, given to ``app.answer``."""

    label = StringProperty("")
    """Message id of the word under the pictogram."""

    screen = ObjectProperty(None, allownone=True, rebind=False)
    """The choice screen it is on (a tap goes to :meth:`ChoiceScreen.choose`)."""


class ChoiceScreen(StepScreen):
    """Shows a step of kind ``choice``; a tap answers with the choice's key.

    A step that allows ``several`` answers also shows "More than one": after it, taps mark tiles (and
    unmark them), and "Next" answers with the list of keys. One tap on a tile still answers at once (as a
    list of one), so the usual case costs no extra tap.
    """

    choices = ListProperty()
    """The :class:`kiosk.ui.flows.Choice` tiles, in order."""

    several = BooleanProperty(False)
    """The step allows several answers ("More than one" is offered)."""

    picking = BooleanProperty(False)
    """True after "More than one": taps mark tiles, "Next" answers."""

    picked = ListProperty()
    """The keys marked so far, in the order tapped."""

    def __init__(self, **kwargs):
        self._spare: list[ChoiceTile] = []  # tiles a step with fewer choices left over, for the next with more
        super().__init__(**kwargs)

    def show_step(self, step, answers, draft=None) -> None:
        super().show_step(step, answers, draft)
        self.several = step.several
        self.picked = list(draft or [])
        self.picking = bool(self.picked)
        self.choices = list(step.choices_for(answers))
        self._mark()

    def draft(self):
        return list(self.picked) if self.picking else None

    def choose(self, key: str) -> None:
        """A tile was tapped."""
        if not self.picking:
            App.get_running_app().answer([key] if self.several else key)
            return
        self.picked = [k for k in self.picked if k != key] if key in self.picked else [*self.picked, key]
        self._mark()

    def pick_several(self) -> None:
        """"More than one": from now on taps mark tiles."""
        self.picking = True

    def submit(self) -> None:
        """"Next" after marking tiles: answer with them all."""
        if self.picking and self.picked:
            App.get_running_app().answer(list(self.picked))

    def reset(self) -> None:
        self.picking, self.picked = False, []
        self._mark()

    def _mark(self) -> None:
        for tile in self.ids.grid.children:
            tile.selected = tile.key in self.picked

    def on_choices(self, *_):
        """Tiles already there take the new choices (cheaper than new tiles at every step: a new tile was
        most of a tap's own work); tiles not needed now wait aside for a step with more choices."""
        grid = self.ids.grid
        tiles = grid.children[::-1]
        for tile in tiles[len(self.choices):]:
            grid.remove_widget(tile)
            self._spare.append(tile)
        for n, choice in enumerate(self.choices):
            if n < len(tiles):
                tiles[n].key, tiles[n].icon, tiles[n].label = choice.key, choice.icon, choice.label
            elif self._spare:
                tile = self._spare.pop()
                tile.key, tile.icon, tile.label = choice.key, choice.icon, choice.label
                grid.add_widget(tile)
            else:
                grid.add_widget(ChoiceTile(key=choice.key, icon=choice.icon, label=choice.label, screen=self))
        self._mark()
