"""What every staff page shares."""

from kivy.factory import Factory
from kivy.properties import DictProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen

#: The widgets the staff pages' kv uses, by name; their module is imported when a rule first needs one.
STAFF_WIDGETS = ("StaffMenuButton", "StaffMenu", "StaffBar", "HourBar", "HourChart", "QrCode")
for _name in STAFF_WIDGETS:
    Factory.register(_name, module="kiosk.ui.staff.widgets")


def phone_on_one_line(phone: str) -> str:
    """``phone`` with no-break spaces: staff read a number to call on one line, never split over two."""
    return phone.replace(" ", "\u00a0")


class StaffPage(KioskScreen):
    """A staff page and its controller: :meth:`refresh` fills it from the kiosk's records before it is
    shown (and every few seconds on live pages); its actions are methods beside it. ``reset()`` (on
    every return to the visitor home) empties it, so no visitor ever sees what staff saw."""

    staff = None
    """The :class:`kiosk.ui.staff.mode.StaffMode` that made the page: the services, the app, the session."""

    message = StringProperty("")
    """Message id of a line telling how the last action went (empty: none)."""

    fields = DictProperty()
    """Values for the message's ``{fields}``."""

    message_kind = StringProperty("info")
    """``info`` or ``problem`` (drawn in red)."""

    def say(self, message: str, kind: str = "info", **fields) -> None:
        self.message, self.message_kind, self.fields = message, kind, fields

    def refresh(self) -> None:
        """Fill the page with what it shows (a page that shows nothing changing needs nothing)."""

    def reset(self) -> None:
        self.message, self.fields, self.message_kind = "", {}, "info"
