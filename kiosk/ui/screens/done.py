"""The last screen of a flow: welcome, thank you, your ticket number; goes home by itself."""

from kivy.properties import DictProperty, NumericProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen


class DoneScreen(KioskScreen):
    """Shows a :class:`kiosk.ui.flows.Done`. The app counts ``seconds_left`` down to going home."""

    icon = StringProperty("welcome")
    """Pictogram name."""

    title = StringProperty("")
    """Big title (message id)."""

    message = StringProperty("")
    """Message id with ``{fields}``."""

    fields = DictProperty()
    """Values for the message's ``{fields}``."""

    seconds_left = NumericProperty(0)
    """Seconds until the kiosk goes home by itself."""

    error = StringProperty("")
    """Set when saving failed: a kind message replaces the title (message id)."""
