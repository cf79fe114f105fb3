"""Member cards at the kiosk: a USB QR scanner types the card's code fast and ends with Enter.

The scanner is a keyboard to the kiosk. On the home screen (and the welcome screen that follows a scan)
:class:`CardReader` collects the keys of one quick burst (:class:`kiosk.core.cards.ScanBuffer`) and, on
Enter, checks the card holder in with one scan. Anything else (another system's code, a misread card)
gets a friendly word and no record. Key-down events are used (not text input): they arrive whether or
not a text field asked for the keyboard, and a letter's case does not matter to a card id.
"""

from __future__ import annotations

import logging
import time

from kivy.core.window import Window

from kiosk.core.cards import ScanBuffer, check_in_card, parse_card
from kiosk.errors import KioskError, ValidationError
from kiosk.ui.flows import Done
from kiosk.i18n import N_

log = logging.getLogger(__name__)

ENTER_KEYS = (13, 271)  # Return, and Enter on the number pad
#: Screens where a scan checks in.
LISTENING_ON = ("home", "done")

WELCOME = Done("welcome", N_("Welcome!"), N_("You are checked in. Enjoy your coffee and feel at home."))
WELCOME_BACK = Done("welcome", N_("Welcome back!"), N_("You are checked in. Enjoy your coffee and feel at home."))
ALREADY = Done("welcome", N_("Welcome!"), N_("You were already checked in a moment ago. Enjoy your visit."))
NOT_OURS = Done("card", N_("This card is not a Ter Plekke card"),
                N_("Tap “I am here” on the start screen to check in."))
MISREAD = Done("card", N_("The card could not be read"),
               N_("Hold the card still under the scanner and try again."))


class CardReader:
    """Listens to the keyboard for card scans; ``app`` is the running KioskApp."""

    def __init__(self, app, buffer: ScanBuffer | None = None):
        self.app = app
        self.buffer = buffer or ScanBuffer()
        #: A steady clock in seconds (tests give their own).
        self.now = time.monotonic
        Window.bind(on_key_down=self._on_key_down)

    def listening(self) -> bool:
        overlay = self.app.overlay
        return (self.app.current in LISTENING_ON and not self.app.staff_logged_in
                and not (overlay is not None and overlay.is_open))

    def _on_key_down(self, window, key, scancode, codepoint, modifiers) -> bool:
        if not self.listening():
            self.buffer.clear()
            return False
        now = self.now()
        if key in ENTER_KEYS:
            code = self.buffer.enter(now)
            if code is None:
                return False
            self.scanned(code)
            return True
        char = codepoint if isinstance(codepoint, str) and len(codepoint) == 1 else None
        if char is None and 32 <= key < 127:
            char = chr(key)
        if char is not None and char.isprintable():
            self.buffer.type(char, now)
        return False

    def scanned(self, code: str) -> None:
        """A whole scan: check the holder in, or say kindly why not."""
        try:
            card = parse_card(code)
        except ValidationError as error:
            log.info("a scan that is not a member card (%s)", error.code)
            self.app.show_done(NOT_OURS if error.code == "not_our_card" else MISREAD)
            return
        try:
            visit = check_in_card(self.app.services.recorder, self.app.services.repo, card)
        except KioskError as error:
            log.error("a card check-in failed: %s", error)
            self.app.show_done(None)
            return
        if visit.record is None:
            self.app.show_done(ALREADY)
        else:
            self.app.show_done(WELCOME_BACK if visit.returning else WELCOME)
