"""What we keep, and for how long, in plain words: said from the kiosk's own settings."""

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen


class PrivacyScreen(KioskScreen):
    """A short plain-language privacy notice; "back" and "home" as everywhere. What it says about keeping,
    sending and the idea wall follows ``[data] retention_days``, ``[office] url`` and ``[ideas] wall``."""

    retention_days = NumericProperty(30)
    """Days an uploaded record stays on the kiosk."""

    uploads = BooleanProperty(False)
    """True when the kiosk sends its records to the office."""

    idea_wall = StringProperty("after_review")
    """When ideas show on the idea wall (``[ideas] wall``)."""

    def on_pre_enter(self, *_):
        config = App.get_running_app().services.config
        self.retention_days, self.uploads, self.idea_wall = config.retention_days, bool(config.office_url), config.idea_wall
