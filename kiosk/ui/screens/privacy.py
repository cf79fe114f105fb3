"""What we keep, and for how long, in plain words: said from the kiosk's own settings."""

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import ListProperty

from kiosk.ui.notice import privacy_points
from kiosk.ui.screens.base import KioskScreen


class PrivacyScreen(KioskScreen):
    """A short plain-language privacy notice; "back" and "home" as everywhere. What it says about keeping,
    sending and the idea wall follows ``[data] retention_days``, ``[office] url`` and ``[ideas] wall``
    (:func:`kiosk.ui.notice.privacy_points`, which the speaker button reads too)."""

    points = ListProperty()
    """The :class:`kiosk.ui.notice.Point` items shown, in order."""

    def on_pre_enter(self, *_):
        config = App.get_running_app().services.config
        self.points = privacy_points(config.retention_days, bool(config.office_url), config.idea_wall)

    def on_points(self, *_):
        box = self.ids.points
        box.clear_widgets()
        for point in self.points:
            label = Factory.PrivacyPoint()  # a kv class: its properties exist once it is made
            label.msgid, label.plural, label.n = point.msgid, point.plural, point.n
            box.add_widget(label)

    def point_labels(self) -> list:
        """The points' labels, top to bottom."""
        return list(reversed(self.ids.points.children))
