"""What every kiosk screen shares."""

from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A screen of the kiosk. ``reset()`` wipes whatever a visitor left on it (typed text, choices)."""

    def reset(self) -> None:
        pass
