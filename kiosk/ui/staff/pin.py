"""The PIN pad: big digits, dots for what is typed, "clear", "OK" and "cancel"; says why it waits."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from kiosk.core.staff_pin import PIN_MAX
from kiosk.ui.screens.base import KioskScreen


class PinScreen(KioskScreen):
    """Collects up to 8 digits and hands them to ``app.staff.try_pin``. The digits are never shown."""

    entered = StringProperty("")
    """The digits typed so far (shown only as dots)."""

    message = StringProperty("")
    """Message id under the dots: wrong PIN, wait, no PIN set yet (empty: the invitation)."""

    fields = DictProperty()
    """Values for the message's ``{fields}``."""

    wait_seconds = NumericProperty(0)
    """Seconds before a PIN may be tried again (the pad is closed meanwhile)."""

    checking = BooleanProperty(False)
    """True while the PIN is being checked (a slow hash, on purpose): the keys wait."""

    no_pin = BooleanProperty(False)
    """True when no PIN has been set on this kiosk: the keys are of no use."""

    def press(self, digit: str) -> None:
        if not self.checking and len(self.entered) < PIN_MAX:
            self.entered += digit

    def clear(self) -> None:
        self.entered = ""

    def submit(self) -> None:
        if self.entered and not self.checking and not self.wait_seconds:
            App.get_running_app().staff.try_pin(self.entered)

    def reset(self) -> None:
        self.entered, self.message, self.fields, self.checking = "", "", {}, False
