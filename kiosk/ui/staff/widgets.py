"""Widgets of the staff pages: the staff bar and menu, the hourly chart and the QR code. Styling lives
in widgets.kv. (The hidden door to staff mode is part of the home screen: kiosk/ui/screens/home.py.)"""

from __future__ import annotations

import qrcode
from kivy.app import App
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.widget import Widget

from kiosk.ui.widgets import BigButton


class StaffMenuButton(BigButton):
    """One entry of the staff menu; drawn as "current" on the page it opens."""

    page = StringProperty("")
    """The staff page it opens (a screen name)."""

    label = StringProperty("")
    """Message id of its word."""

    badge = StringProperty("")
    """A number shown after the word (open questions), or empty."""


class StaffMenu(GridLayout):
    """The staff pages, one button each, down the left side (three in a row above the page in portrait)."""

    current = StringProperty("")
    """The page shown now."""

    def on_kv_post(self, base_widget):
        for page, icon, label in App.get_running_app().staff.menu:
            self.add_widget(StaffMenuButton(page=page, icon=icon, label=label))
        self.add_widget(Widget())  # the buttons start at the top (a GridLayout gives the rest to it)


class StaffBar(BoxLayout):
    """The dark bar on top of every staff page: what the page is, today's place, and "Close"."""

    title = StringProperty("")
    """Message id of the page's title."""


class HourBar(BoxLayout):
    """One hour of the chart: the number of persons above a bar of height :attr:`fraction`."""

    hour = NumericProperty(0)
    persons = NumericProperty(0)
    fraction = NumericProperty(0)
    """Bar height as a part of the tallest possible bar (0..1)."""


class HourChart(BoxLayout):
    """Persons checked in per hour, as bars drawn with Kivy graphics. Give it :attr:`hours`."""

    hours = ListProperty()
    """``(hour, persons)`` pairs, in order."""

    def on_hours(self, *_):
        self.clear_widgets()
        top = max((persons for _, persons in self.hours), default=0) or 1
        for hour, persons in self.hours:
            self.add_widget(HourBar(hour=hour, persons=persons, fraction=persons / top))


class QrCode(Image):
    """A QR code of :attr:`data`, drawn from ``qrcode``'s matrix into a texture (one texel per module,
    scaled up without blurring)."""

    data = StringProperty("")
    """What the code holds (a link); empty: nothing is drawn."""

    quiet = NumericProperty(4)
    """Light modules around the code (scanners need a quiet zone)."""

    drawn = BooleanProperty(False)
    """True once a code is on screen."""

    def on_data(self, *_):
        if not self.data:
            self.texture, self.drawn = None, False
            return
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=int(self.quiet))
        code.add_data(self.data)
        code.make(fit=True)
        matrix = code.get_matrix()
        size = len(matrix)
        dark, light = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"
        # Textures start at the bottom row: the matrix's last row comes first.
        pixels = b"".join(dark if module else light for row in reversed(matrix) for module in row)
        texture = Texture.create(size=(size, size), colorfmt="rgba")
        texture.mag_filter = texture.min_filter = "nearest"
        texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
        self.texture, self.drawn = texture, True

    def modules(self) -> list[list[bool]]:
        """The modules as drawn (dark = True), top row first: what a phone's camera sees."""
        texture = self.texture
        if texture is None:
            return []
        size = texture.width
        pixels = texture.pixels
        rows = [[pixels[(y * size + x) * 4] < 128 for x in range(size)] for y in range(size)]
        return list(reversed(rows))
