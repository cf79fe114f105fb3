"""The idea wall: ideas left by residents, each with a heart to support it once per visit.

The wall is a RecycleView: only the cards in sight are widgets, filled from the list of ideas as the
visitor scrolls. (A card is some ten widgets; 30 made cards kept ~14 MB.) A card's height comes with its
idea, measured beforehand from its text: a card as tall as its words, without a jump while scrolling.
"""

from kivy.app import App
from kivy.core.text import Label as CoreLabel
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.flows import CATEGORY_OF
from kiosk.i18n import translate
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.sizes import ui


class IdeaCard(BoxLayout):
    """One idea: its pictogram, title, a few words, how many support it, and a heart button."""

    #: Its layout, in dp (wall.kv draws with these; :meth:`height_for` measures with them).
    PADDING_X, PADDING_Y, SPACING, ICON, HEART, TEXT_GAP, LOWEST = 20, 16, 20, 100, 190, 6, 150

    idea_id = StringProperty("")
    """The idea record's id."""

    icon = StringProperty("")
    """Pictogram of the idea's category."""

    title = StringProperty("")
    """The idea's title as shown: what the resident typed, or (none typed) its category's name."""

    text = StringProperty("")
    """The few words the resident added."""

    support = NumericProperty(0)
    """Number of hearts."""

    supported = BooleanProperty(False)
    """True once this visitor gave a heart."""

    @classmethod
    def height_for(cls, width: float, title: str, text: str) -> float:
        """How tall a card ``width`` wide must be to show ``title`` and ``text`` whole."""
        room = width - dp(2 * cls.PADDING_X + 2 * cls.SPACING + cls.ICON + cls.HEART)
        words = _text_height(title, room, ui.body_sp, bold=True)
        if text:
            words += dp(cls.TEXT_GAP) + _text_height(text, room, ui.small_sp)
        return max(dp(cls.LOWEST), words + dp(2 * cls.PADDING_Y))


def _text_height(text: str, width: float, size_sp: float, bold: bool = False) -> float:
    """The height of ``text`` wrapped to ``width`` (as a BigLabel shows it), laid out without drawing it."""
    return CoreLabel(text=text, font_size=int(sp(size_sp)), bold=bold, text_size=(max(width, 1), None),
                     halign="left").render()[1]


class IdeaWallScreen(KioskScreen):
    """Ideas most supported first; the app fills ``ideas`` from the core's ``idea_wall``."""

    ideas = ListProperty()
    """:class:`kiosk.core.ideas.WallIdea` items, in order."""

    def on_kv_post(self, *_):
        ui.fbind("body_sp", self.measure)  # a window of another size class: other text sizes, other heights

    def on_ideas(self, *_):
        app = App.get_running_app()
        data = []
        for idea in self.ideas:
            choice = CATEGORY_OF.get(idea.category)
            data.append({"idea_id": idea.id, "icon": choice.icon if choice else "idea",
                         "title": idea.title or (translate(choice.label, app.lang) if choice else ""),
                         "text": idea.text, "support": idea.support, "supported": idea.id in app.supported})
        self.ids.scroll.data = data
        self.measure()
        self.ids.scroll.scroll_y = 1

    def measure(self, *_):
        """Each card's height for its words at the wall's width now (again when the width changes)."""
        padding = self.ids.cards.padding
        width = self.ids.scroll.width - padding[0] - padding[2]  # the cards' list is as wide as the wall
        for item in self.ids.scroll.data:
            item["height"] = IdeaCard.height_for(width, item["title"], item["text"])
        self.ids.scroll.refresh_from_data()

    def heart(self, card: IdeaCard) -> None:
        """A heart for the idea on ``card``: on the card now, and in its data for when the card is reused."""
        counted = App.get_running_app().support_idea(card.idea_id)
        item = next(item for item in self.ids.scroll.data if item["idea_id"] == card.idea_id)
        item["support"] += counted
        item["supported"] = True
        card.support, card.supported = item["support"], True
