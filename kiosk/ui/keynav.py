"""Using the kiosk without seeing the screen: keys (a USB keypad or big button is a keyboard) and a long press.

- The start key (``[speech] start_key``, F12 by default) turns reading aloud on from any screen; on screens
  without a text field any key of a numeric keypad does too. A finger held still for three seconds anywhere
  on the home (attract) screen does the same; while speech works, the home screen says so every few minutes,
  in Dutch, then French, then English.
- Once reading is on, keys move through what can be chosen on the screen, each read aloud as it is
  reached (and drawn as chosen), and choose, go back, go home, repeat, speak louder or softer, slower or
  faster, and ask for more time when "Are you still there?" counts down. Any key or tap stops the words.

The keys are :data:`KEYS` (``kiosk cards --keypad`` prints them). On a screen with a text field the digit
and letter keys type, so there only the keys that do not type steer.
"""

from __future__ import annotations

import time

from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior

from kiosk.speech import screens
from kiosk.speech.keys import KEYS
from kiosk.speech.screens import Phrase
from kiosk.speech.speaker import Part
from kiosk.ui.hold import Hold
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.screens.text import TextScreen
from kiosk.ui.speech import SpeakerButton
from kiosk.ui.widgets import NavBar, Tile

#: Keys that type on a text screen, so they do not steer there.
TYPING = {"right", "left", "spacebar", "tab"} | {f"numpad{n}" for n in range(10)} | {"numpaddecimal"}
#: Seconds a finger stays still on the attract screen to turn reading on.
LONG_PRESS_SECONDS = 3.0
#: The words for a language switch, in that language.
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
_NAMES = {code: name for name, code in Keyboard.keycodes.items()}


class KeyNavigator:
    """Keys and the long press for ``app`` (its ``read_aloud`` speaks)."""

    def __init__(self, app):
        self.app = app
        self.read_aloud = app.read_aloud
        settings = app.services.config.speech
        self.actions = {key: action for action, keys in KEYS.items() for key in keys}
        self.actions[settings.start_key] = "repeat"
        self.start_key = settings.start_key
        self.more_time_limit = settings.more_time_limit
        self.more_time_used = 0
        self.focus = -1
        self._focused = None
        self._was_selected = False
        self._announced = time.monotonic()
        self._announce_seconds = settings.announce_minutes * 60

    def attach(self) -> None:
        Window.bind(on_key_down=self._key_down, on_touch_down=self._touch_down, on_touch_move=self._touch_move,
                    on_touch_up=self._touch_up)
        self.app.root.bind(current=lambda *_: self._screen_changed())
        self.app.overlay.bind(on_dismiss=lambda *_: self._screen_changed())
        if self._announce_seconds:
            Clock.schedule_interval(self._maybe_announce, 10)

    def visit_ended(self) -> None:
        self.more_time_used = 0
        self._screen_changed()

    # -- keys ---------------------------------------------------------------------------------------------
    def _key_down(self, window, keycode, scancode, codepoint, modifiers) -> bool:
        name = _NAMES.get(keycode, "")
        action = self.actions.get(name)
        typing_here = self._text_screen() is not None
        if action is None or (typing_here and name in TYPING and name != self.start_key):
            self.read_aloud.stop()  # any key stops the words
            return False
        self.read_aloud.stop()
        self.app._on_activity()  # a key handled here goes no further, but it is the visitor's activity
        if not self.read_aloud.available:
            return False
        if not self.read_aloud.reading_on:
            if name == self.start_key or name.startswith("numpad"):
                self.read_aloud.start(announce=True)
                return True
            return False
        return self.do(action)

    def do(self, action: str) -> bool:
        """Do what a key asks; True when it was done (the key goes no further)."""
        app, read_aloud = self.app, self.read_aloud
        if action == "repeat":
            read_aloud.read_again()
        elif action in ("next", "previous"):
            self._move(1 if action == "next" else -1)
        elif action == "choose":
            return self._choose()
        elif action == "back" and not app.overlay.is_open:
            app.go_back()
        elif action == "home" and not app.overlay.is_open:
            app.go_home()
        elif action in ("louder", "softer", "slower", "faster"):
            read_aloud.control(action)
        elif action == "more_time":
            self.more_time()
        return True

    def more_time(self) -> bool:
        """"Are you still there?": the countdown starts again, up to ``[speech] more_time_limit`` times a visit."""
        if not self.app.overlay.is_open or self.more_time_used >= self.more_time_limit:
            return False
        self.more_time_used += 1
        self.app.still_here()
        return True

    # -- moving through the choices ----------------------------------------------------------------------------
    def choices(self) -> list:
        """What can be chosen on screen now, top to bottom and left to right (on the idle question: its button)."""
        root = self.app.overlay if self.app.overlay.is_open else self.app.root.current_screen
        found = []
        for widget in root.walk(restrict=True):
            if isinstance(widget, (OnScreenKeyboard, NavBar)):
                continue
            if (isinstance(widget, ButtonBehavior) and not isinstance(widget, SpeakerButton)
                    and _shown(widget) and _words(widget) and not _inside(widget, (OnScreenKeyboard, NavBar))):
                found.append(widget)
        return sorted(found, key=lambda w: (-round(w.to_window(w.x, w.top)[1] / dp(20)), w.to_window(*w.pos)[0]))

    def _move(self, step: int) -> None:
        choices = self.choices()
        if not choices:
            self.read_aloud.read_screen()
            return
        self.focus = (self.focus + step) % len(choices) if self.focus >= 0 or step > 0 else len(choices) - 1
        self._show_focus(choices[self.focus])
        self.read_aloud.say([Phrase(text=_words(choices[self.focus]))])

    def _choose(self) -> bool:
        choices = self.choices()
        if not 0 <= self.focus < len(choices):
            if self._text_screen() is not None:
                return False  # Enter in the text field
            self.read_aloud.read_screen()
            return True
        widget = choices[self.focus]
        before = self.app.current, self.app.overlay.is_open  # a screen, or a step (steps of a kind share one)
        widget.trigger_action(duration=0)
        if (self.app.current, self.app.overlay.is_open) == before:  # e.g. + on a count: say the new number
            Clock.schedule_once(lambda dt: self.read_aloud.say([Phrase(text=_words(widget))]), 0)
        return True

    def _show_focus(self, widget) -> None:
        """Draw the choice reached as chosen (a tile's border); the one before gets back how it was."""
        if isinstance(self._focused, Tile):
            self._focused.selected = self._was_selected
        self._focused = widget
        if isinstance(widget, Tile):
            self._was_selected, widget.selected = widget.selected, True

    def _screen_changed(self) -> None:
        self.focus = -1
        self._show_focus(None)

    def _text_screen(self):
        screen = self.app.root.current_screen
        return screen if isinstance(screen, TextScreen) and not self.app.overlay.is_open else None

    # -- the long press on the attract screen, and the announcement --------------------------------------------
    def _touch_down(self, window, touch) -> bool:
        if self.read_aloud.available and self.app.current == "home" and not self.app.overlay.is_open:
            touch.ud["speech_hold"] = Hold(touch, LONG_PRESS_SECONDS, lambda: self._held(touch))
        return False

    def _touch_move(self, window, touch) -> bool:
        event = touch.ud.get("speech_hold")
        if event is not None and event.moved_away():
            event.cancel()
            touch.ud["speech_hold"] = None
        return False

    def _touch_up(self, window, touch) -> bool:
        event = touch.ud.get("speech_hold")
        if event is not None:
            event.cancel()
            touch.ud["speech_hold"] = None
        return False

    def _held(self, touch) -> None:
        """Three seconds still on the attract screen: reading on, and the tile under the finger not opened."""
        touch.ud["speech_hold"] = None
        if self.app.current != "home":
            return
        for widget in list(touch.grab_list):
            widget = widget() if callable(widget) else widget
            if isinstance(widget, ButtonBehavior):
                touch.ungrab(widget)
                widget.state = "normal"
        self.read_aloud.start(announce=True)

    def _maybe_announce(self, dt) -> None:
        read_aloud = self.read_aloud
        quiet_for = time.monotonic() - self.app._last_touch
        if (read_aloud.available and self.app.current == "home" and not self.app.overlay.is_open
                and not read_aloud.speaker.busy and quiet_for >= 30
                and time.monotonic() - self._announced >= self._announce_seconds):
            self._announced = time.monotonic()
            self.announce()

    def announce(self) -> None:
        """How to start reading aloud, in every language of the kiosk, the default first."""
        langs = [self.app.services.config.default_language,
                 *(lang for lang in self.app.languages if lang != self.app.services.config.default_language)]
        parts = [Part(screens.Phrase(screens.HOW_TO_START).words(lang), lang=lang) for lang in langs]
        self.read_aloud.speaker.say(parts, langs[0])


def _shown(widget) -> bool:
    return widget.opacity > 0 and not widget.disabled and widget.width > 0 and widget.get_root_window() is not None


def _inside(widget, kinds) -> bool:
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


def _words(widget) -> str:
    """What a choice says: its words; a language switch names its language; a count's + or − its row."""
    if getattr(widget, "lang", ""):
        return LANGUAGE_NAMES.get(widget.lang, widget.lang)
    text = getattr(widget, "text", "")
    row = widget.parent
    if text in ("+", "−") and row is not None and hasattr(row, "label") and hasattr(row, "value"):
        return f"{row.label}: {int(row.value)}. {'plus' if text == '+' else 'min'}"
    return text
