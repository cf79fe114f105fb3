"""Download to a phone: a QR code with a one-time link, how long it still works, and whether it was used."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage

#: What the link's state means, for staff.
STATE_WORDS = {
    "waiting": N_("Scan the code with your phone's camera and open the link."),
    "downloaded": N_("Done: your phone has the day's log. The link no longer works."),
    "expired": N_("The link has expired. Make a new one if you still need it."),
    "stopped": N_("The link no longer works."),
}


class PhoneScreen(StaffPage):
    """Shows the QR code of :attr:`url` while the link works."""

    url = StringProperty("")
    """The one-time link (empty: no link)."""

    state = StringProperty("waiting")
    """``waiting``, ``downloaded``, ``expired`` or ``stopped`` (see :class:`kiosk.export.phone.DownloadState`)."""

    seconds_left = NumericProperty(0)
    """Seconds the link still works."""

    day_label = StringProperty("")
    """The day whose log the link holds, in words."""

    personal = BooleanProperty(False)
    """The link's page holds names and phone numbers (staff chose so for this download)."""

    @staticmethod
    def countdown(seconds: float) -> str:
        seconds = max(0, int(seconds))
        return f"{seconds // 60}:{seconds % 60:02d}"

    def reset(self) -> None:
        super().reset()
        self.url, self.state, self.seconds_left, self.day_label = "", "waiting", 0, ""
        self.personal = False
