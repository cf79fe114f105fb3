"""The idea wall: ideas left by residents, each with a heart to support it once per visit."""

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.flows import CATEGORY_OF
from kiosk.ui.screens.base import KioskScreen


class IdeaCard(BoxLayout):
    """One idea: its pictogram, title, a few words, how many support it, and a heart button."""

    idea_id = StringProperty("")
    """The idea record's id."""

    icon = StringProperty("")
    """Pictogram of the idea's category."""

    title = StringProperty("")
    """What the resident typed as title (shown as typed, never translated)."""

    category_label = StringProperty("")
    """Message id of the category, shown when there is no title."""

    text = StringProperty("")
    """The few words the resident added."""

    support = NumericProperty(0)
    """Number of hearts."""

    supported = BooleanProperty(False)
    """True once this visitor gave a heart."""


class IdeaWallScreen(KioskScreen):
    """Ideas most supported first; the app fills ``ideas`` from the core's ``idea_wall``."""

    ideas = ListProperty()
    """:class:`kiosk.core.ideas.WallIdea` items, in order."""

    def on_ideas(self, *_):
        """Show ``ideas``, reusing the cards already made (making cards is what costs)."""
        box = self.ids.cards
        cards = box.children[::-1]  # top to bottom
        for card in cards[len(self.ideas):]:
            box.remove_widget(card)
        supported = App.get_running_app().supported
        for index, idea in enumerate(self.ideas):
            card = cards[index] if index < len(cards) else None
            if card is None:
                card = IdeaCard()
                box.add_widget(card)  # below the others
            choice = CATEGORY_OF.get(idea.category)
            card.idea_id = idea.id
            card.icon = choice.icon if choice else "idea"
            card.title = idea.title
            card.category_label = choice.label if choice else ""
            card.text = idea.text
            card.support = idea.support
            card.supported = idea.id in supported
        self.ids.scroll.scroll_y = 1

    def heart(self, card: IdeaCard) -> None:
        if App.get_running_app().support_idea(card.idea_id):
            card.support += 1
        card.supported = True
