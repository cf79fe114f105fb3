"""What we keep, and for how long, in plain words."""

from kiosk.ui.screens.base import KioskScreen


class PrivacyScreen(KioskScreen):
    """A short plain-language privacy notice; "back" and "home" as everywhere."""
