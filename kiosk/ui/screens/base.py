"""What every kiosk screen shares, and what every screen that shows a flow step shares."""

from typing import Any

from kivy.properties import DictProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.sizes import fit_waiting_before_drawing


class KioskScreen(Screen):
    """A screen of the kiosk. ``reset()`` wipes whatever a visitor left on it (typed text, choices)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # its labels catch up, before it is drawn, on the changes they waited out while it was hidden
        self.fbind("on_pre_enter", fit_waiting_before_drawing)

    def reset(self) -> None:
        pass

    def hide_typed(self, hidden: bool) -> None:
        """Hide (True) or show again what a visitor typed on this screen ("Are you still there?")."""


class StepScreen(KioskScreen):
    """Shows one :class:`kiosk.ui.flows.Step` at a time: the app reuses a screen for every step of its kind.

    ``show_step`` sets the screen up for a step and puts back what the visitor left there (``draft()``, kept
    by the app when they went on or back), so going back and forth keeps what was typed or counted.
    """

    step = ObjectProperty(None, allownone=True)
    """The step shown now."""

    title = StringProperty("")
    """The question (message id)."""

    hint = StringProperty("")
    """A short line under the question (message id)."""

    fields = DictProperty()
    """Values for ``{fields}`` in the title and hint (e.g. the activity of a sign-up)."""

    def show_step(self, step, answers: dict[str, Any], draft: Any = None) -> None:
        """Show ``step`` (``answers`` so far), with ``draft`` from an earlier visit, or fresh (None)."""
        self.fields = step.fields_for(answers)
        self.step, self.title, self.hint = step, step.title, step.hint_for(answers)

    def draft(self) -> Any:
        """What the visitor left on this screen, for :meth:`show_step` when they come back (None: nothing)."""
        return None
