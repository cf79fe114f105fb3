"""A question answered in words: a large text field above the on-screen keyboard."""

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.ui.keyboard import OnScreenKeyboard, TextField  # noqa: F401  (text.kv uses them)
from kiosk.ui.screens.base import KioskScreen


class TextScreen(KioskScreen):
    """Shows one :class:`kiosk.ui.flows.Step` of kind ``text``.

    "Next" (or the keyboard's done key) answers with the typed text, stripped of spaces and empty lines
    at either end; "Skip" (only on an optional step) answers with ``""``. The text field keeps the
    keyboard focus while the screen is shown, so a hardware keyboard types into it too.
    """

    title = StringProperty("")
    """The question (message id)."""

    hint = StringProperty("")
    """A short help line under the question (message id)."""

    max_length = NumericProperty(0)
    """Most characters the visitor can type (0: no limit)."""

    optional = BooleanProperty(False)
    """The visitor may go on without typing anything ("Skip" is shown)."""

    text = StringProperty("")
    """What is typed now (follows the text field; read it, set the field through :meth:`reset`)."""

    ready = BooleanProperty(False)
    """True when "Next" can be tapped: something is typed, or the step is optional."""

    def on_text(self, *_):
        self.ready = self.optional or bool(self.text.strip())

    on_optional = on_text

    def submit(self) -> None:
        """Next / done: hand the text to the app, unless a required answer is still empty."""
        if self.ready:
            App.get_running_app().answer(self.text.strip())

    def skip(self) -> None:
        """Go on without a text (optional steps only)."""
        if self.optional:
            App.get_running_app().answer("")

    def on_enter(self, *_):
        self.ids.field.focus = True

    def on_leave(self, *_):
        self.ids.field.focus = False

    def reset(self) -> None:
        """Wipe the typed text (and its undo history), back to the letters."""
        self.ids.field.clear()
        self.ids.keyboard.reset()
