"""A question answered in words: a large text field above the on-screen keyboard."""

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, OptionProperty, StringProperty

from kiosk.core.text import problem_with
from kiosk.ui import theme
from kiosk.i18n import N_
from kiosk.ui.keyboard import LAYERS, OnScreenKeyboard, TextField  # noqa: F401  (text.kv uses them)
from kiosk.ui.screens.base import StepScreen

#: What the line under the field says when what is typed does not fit the step (by the core's code).
PROBLEMS = {
    "bad_phone": N_("This does not look like a phone number. For example 0470 12 34 56, or tap Skip."),
    "bad_name": N_("Please type your first name in letters."),
}


class TextScreen(StepScreen):
    """Shows a step of kind ``text``.

    "Next" answers with the typed text, stripped of spaces and empty lines at either end, once the step's
    check (``Step.check``) finds nothing wrong: else the line under the field says what is expected, in
    red, and the visitor stays with what they typed. "Skip" (only on an optional step) answers with ``""``.
    The text field keeps the keyboard focus while the screen is shown, so a hardware keyboard types into
    it too. A name step starts with a capital.

    One on-screen keyboard serves every text screen: a screen takes it when it is about to be shown.
    (A keyboard is some 60 keys of about 1,300 Python objects each; one per text screen cost ~16 MB each.)
    """

    _keyboard: OnScreenKeyboard | None = None  # shared by all text screens
    _keyboard_owner: "TextScreen | None" = None

    max_length = NumericProperty(0)
    """Most characters the visitor can type (0: no limit)."""

    optional = BooleanProperty(False)
    """The visitor may go on without typing anything ("Skip" is shown)."""

    keys = OptionProperty("letters", options=tuple(LAYERS))
    """The keys the keyboard shows first: letters, or digits and symbols (a phone number)."""

    keyboard = ObjectProperty(None, allownone=True)
    """The on-screen keyboard while this screen holds it (from just before it is shown), else None."""

    text = StringProperty("")
    """What is typed now (follows the text field; read it, set the field through :meth:`reset`)."""

    ready = BooleanProperty(False)
    """True when "Next" can be tapped: something is typed, or the step is optional."""

    guide = StringProperty("")
    """The line beside the hint, above the field, saying what is expected (message id), or empty."""

    problem = StringProperty("")
    """Set when "Next" found what is typed does not fit: what is expected, said in red (message id)."""

    typed_hidden = BooleanProperty(False)
    """True while "Are you still there?" asks: what was typed is not shown (see :meth:`hide_typed`)."""

    def on_kv_post(self, *_):
        fit = Clock.create_trigger(lambda dt: self.fit_keyboard(), -1)
        self.fbind("height", fit)
        for name in ("nav", "title", "hint_row"):
            self.ids[name].fbind("height", fit)
        self.ids.field.fbind("line_height", fit)
        self._fit = fit

    def fit_keyboard(self) -> None:
        """Rows of keys as high as the room left once the text field shows two lines under the hint, and
        "Next" and "Skip" beside them (upright: under them) are 48 dp or more (48 to 70 dp)."""
        keyboard = self.keyboard
        if keyboard is None:
            return
        ids = self.ids
        field = ids.field
        two_lines = 2 * field.line_height + field.padding[1] + field.padding[3] + dp(4)
        lines = ids.hint_row.height + ids.left.spacing + two_lines
        if ids.body.orientation == "vertical":  # upright: the buttons under the field
            body = lines + ids.body.spacing + ids.buttons.height
        else:  # beside it, one above the other
            body = max(lines, 2 * dp(theme.MIN_TOUCH_DP) + ids.buttons.spacing)
        taken = ids.nav.height + ids.title.height + ids.column.spacing * 3 + body
        rows = max(1, len(keyboard.children))
        room = (self.height - taken - keyboard.padding[1] - keyboard.padding[3]) / rows
        keyboard.key_height = max(dp(theme.MIN_TOUCH_DP), min(dp(theme.KEY_HEIGHT_DP), room))

    def show_step(self, step, answers, draft=None) -> None:
        super().show_step(step, answers, draft)
        self.keys = step.keys
        self.reset()  # before the new limit, which would cut the text of the step before
        self.max_length, self.optional, self.guide = step.max_length, step.optional, step.guide
        if draft:
            self.ids.field.text = draft
        self._capital()

    def _capital(self) -> None:
        """A name starts with a capital: shift is on while the field is empty."""
        if self.keyboard is not None and self.step is not None and self.step.capital and not self.text:
            self.keyboard.shift = True

    def hide_typed(self, hidden: bool) -> None:
        self.typed_hidden = hidden

    def draft(self) -> str:
        return self.ids.field.text

    def on_text(self, *_):
        self.ready = self.optional or bool(self.text.strip())
        self.problem = ""
        if not self.text:
            self._capital()

    on_optional = on_text

    def on_ready(self, *_):
        if self.keyboard is not None:
            self.keyboard.allow_done = self.ready

    def submit(self) -> None:
        """Next / done: hand the text to the app, unless a required answer is still empty."""
        if not self.ready:
            return
        problem = problem_with(self.step.check, self.text) if self.step is not None else ""
        if problem:
            self.problem = PROBLEMS.get(problem, N_("Please check what you typed."))
            return
        App.get_running_app().answer(self.text.strip())

    def skip(self) -> None:
        """Go on without a text (optional steps only)."""
        if self.optional:
            App.get_running_app().answer("")

    def on_pre_enter(self, *_):
        self._take_keyboard()

    def _take_keyboard(self) -> None:
        owner = TextScreen._keyboard_owner
        if owner is self:
            return
        keyboard = TextScreen._keyboard or OnScreenKeyboard()
        TextScreen._keyboard = keyboard
        if owner is not None:
            keyboard.unbind(on_done=owner._keyboard_done, children=owner._fit)
            owner.ids.keyboard_slot.remove_widget(keyboard)
            owner.keyboard = None
        keyboard.reset(self.keys)
        keyboard.target = self.ids.field
        keyboard.allow_done = self.ready
        keyboard.bind(on_done=self._keyboard_done, children=self._fit)  # a layer with more or fewer rows
        self.ids.keyboard_slot.add_widget(keyboard)
        TextScreen._keyboard_owner, self.keyboard = self, keyboard
        self.fit_keyboard()
        self._capital()

    def _keyboard_done(self, *_):
        self.submit()

    def on_enter(self, *_):
        self.ids.field.focus = True

    def on_leave(self, *_):
        self.ids.field.focus = False

    def reset(self) -> None:
        """Wipe the typed text (and its undo history), back to the first keys."""
        self.ids.field.clear()
        self.problem, self.typed_hidden = "", False
        if self.keyboard is not None:
            self.keyboard.reset(self.keys)
