"""The Kivy app: wires screens to the flows and the core. Layout lives in the .kv files.

Navigation: ``open(target)`` starts a flow or shows a screen. In a flow, one screen per step;
``answer(value)`` moves on (skipping steps whose ``when`` says no); the flow's ``finish`` stores the
record (durably, before anything is shown); the done screen goes home by itself. ``go_back()`` returns
one step, ``go_home()`` drops the unfinished answers, ``end_visit()`` also forgets the visitor's
language and hearts (for the next visitor). Idle care: after ``idle_timeout`` seconds without a touch
away from home, "Are you still there?" counts down ``idle_countdown`` seconds, then ends the visit.
Only the main thread touches widgets; nothing here waits on the network.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager

from kiosk.core import ideas
from kiosk.core.feedback import FeedbackDesk
from kiosk.core.records import RecordType
from kiosk.errors import KioskError
from kiosk.services import Services
from kiosk.ui.flows import FLOWS, Flow, Step
from kiosk.ui import theme
from kiosk.ui.i18n import N_, fill, format_day, translate
from kiosk.ui.idle import StillThereOverlay
from kiosk.ui import memory
from kiosk.ui.screens.choice import ChoiceScreen
from kiosk.ui.screens.count import CountScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.privacy import PrivacyScreen
from kiosk.ui.screens.text import TextScreen
from kiosk.ui.screens.wall import IdeaWallScreen
from kiosk.ui.widgets import LightFade

log = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent
KV_FILES = ["widgets.kv", "idle.kv", "keyboard.kv", "screens/base.kv", "screens/home.kv", "screens/choice.kv",
            "screens/count.kv", "screens/text.kv", "screens/done.kv", "screens/wall.kv", "screens/privacy.kv"]
SCREEN_CLASSES = {"choice": ChoiceScreen, "count": CountScreen, "text": TextScreen}

#: The home tiles: (flow or screen, pictogram, message id), shown when the target exists.
HOME_TILES = [
    ("checkin", "checkin", N_("I am here")),
    ("activities", "activities", N_("What is on today?")),
    ("question", "question", N_("I have a question")),
    ("wall", "idea", N_("I have an idea")),
]

#: How far back the idea wall looks (ideas older than this leave the kiosk with retention anyway).
WALL_DAYS = 60
#: How many ideas the wall shows, the most supported first: nobody scrolls past a few dozen, and each
#: card is some ten widgets (with 200 ideas, opening the wall took over a second on a slow machine).
WALL_SIZE = 30
#: Seconds the "thank you" after a smiley stays.
THANKS_SECONDS = 4
#: Seconds on the home screen without a touch after which the kiosk rests (gives freed memory back).
REST_SECONDS = 5


def load_kv() -> None:
    """Load the kv files once (idempotent: a second call changes nothing)."""
    for name in KV_FILES:
        path = str(UI_DIR / name)
        if path not in Builder.files:
            Builder.load_file(path)


class KioskApp(App):
    """The check-in kiosk. ``services`` come from :func:`kiosk.services.open_services`."""

    lang = StringProperty("nl")
    """The visitor's language; every text in kv is bound to it."""

    kiosk_name = StringProperty("")
    """The kiosk's name from the configuration."""

    location = StringProperty("")
    """Today's place."""

    today_text = StringProperty("")
    """Today's date in words, in the visitor's language."""

    languages = ListProperty()
    """Languages offered on the home screen."""

    done_seconds = NumericProperty(10)
    """Seconds a finished flow's last screen stays before the kiosk goes home by itself."""

    idle_timeout = NumericProperty(60)
    """Seconds without a touch (away from home) before "Are you still there?"."""

    idle_countdown = NumericProperty(20)
    """Seconds "Are you still there?" waits before the visit ends."""

    feedback_thanks = StringProperty("")
    """Message id shown after a smiley was tapped (empty: nothing)."""

    def __init__(self, services: Services, **kwargs):
        super().__init__(**kwargs)
        self.services = services
        config = services.config
        self.title = f"{config.name} kiosk"
        self.kiosk_name = config.name
        self.lang = config.default_language
        self.languages = list(config.languages)
        self.location = services.recorder.location
        self.idle_timeout = config.idle_timeout
        self.idle_countdown = config.idle_countdown
        self.feedback = FeedbackDesk(services.recorder)
        self.flow: Flow | None = None
        self.answers: dict[str, Any] = {}
        self.supported: set[str] = set()  # ideas this visitor gave a heart
        self._step = 0
        self._done_event = None
        self._thanks_event = None
        self._last_touch = time.monotonic()
        self._rested = False
        self.overlay: StillThereOverlay | None = None

    # -- Kivy life cycle ---------------------------------------------------------------------------
    def build(self):
        load_kv()
        Window.clearcolor = theme.rgba(theme.BACKGROUND)  # every screen's background
        manager = ScreenManager(transition=LightFade(duration=0.15))
        home = HomeScreen(name="home")
        manager.add_widget(home)
        # Step screens are made when a flow first needs them: a text screen's keyboard alone has some
        # 90 widgets, and making them all before the first frame tripled the start-up time.
        for screen in (DoneScreen(name="done"), IdeaWallScreen(name="wall"), PrivacyScreen(name="privacy")):
            manager.add_widget(screen)
        home.languages = self.languages
        home.tiles = [tile for tile in HOME_TILES if tile[0] in FLOWS or manager.has_screen(tile[0])]
        self.overlay = StillThereOverlay()
        self.update_today()
        Clock.schedule_interval(lambda dt: self.update_today(), 30)
        Clock.schedule_interval(self._check_idle, 1)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity,
                    on_request_close=self._on_request_close)
        return manager

    def _show_step(self, index: int) -> None:
        """Show step ``index`` of the current flow, making its screen the first time."""
        step = self.flow.steps[index]
        self._step = index
        if not self.root.has_screen(step.name):
            self.root.add_widget(self._step_screen(step))
        self.show(step.name)

    def _reset_steps(self, flow: Flow) -> None:
        for step in flow.steps:
            if self.root.has_screen(step.name):  # a screen not made yet holds nothing to wipe
                self.root.get_screen(step.name).reset()

    @staticmethod
    def _step_screen(step: Step):
        screen = SCREEN_CLASSES[step.kind](name=step.name)
        screen.title = step.title
        if step.kind == "choice":
            screen.hint = step.hint
            screen.choices = list(step.choices)
        elif step.kind == "count":
            screen.hint = step.hint
        else:
            screen.hint, screen.max_length, screen.optional = step.hint, step.max_length, step.optional
        return screen

    def open_settings(self, *args):
        """No settings panel for visitors (F1): kiosk settings live in the config file."""
        return False

    def _on_request_close(self, *args, **kwargs):
        return self.services.config.kiosk_mode  # True blocks closing (Alt+F4, Esc) in kiosk mode

    def on_stop(self):
        self.services.close()

    # -- texts -------------------------------------------------------------------------------------
    def tr(self, msgid: str, lang: str) -> str:
        """Translate for kv: ``app.tr("Back", app.lang)`` re-evaluates when the language changes."""
        return translate(msgid, lang)

    def trf(self, msgid: str, lang: str, fields: dict) -> str:
        """Translate and fill in ``{fields}``, for kv."""
        return fill(translate(msgid, lang), fields)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.update_today()

    def update_today(self) -> None:
        self.today_text = format_day(self.services.clock.now().date(), self.lang)

    # -- navigation --------------------------------------------------------------------------------
    @property
    def current(self) -> str:
        return self.root.current

    def show(self, name: str) -> None:
        self.root.current = name

    def open(self, target: str) -> None:
        """A home tile was tapped: start a flow, or show a screen."""
        if target in FLOWS:
            self.start_flow(target)
        elif target == "wall":
            self.show_wall()
        else:
            self.show(target)

    def start_flow(self, name: str) -> None:
        self.flow, self.answers = FLOWS[name], {}
        self._reset_steps(self.flow)
        self._show_step(0)

    def answer(self, value: Any) -> None:
        """The visitor answered the current step; go on, or finish the flow."""
        flow = self.flow
        if flow is None or self.current != flow.steps[self._step].name:
            return  # a late tap on a screen that is already going away
        self.answers[flow.steps[self._step].name] = value
        following = self._next_shown(self._step + 1, +1)
        if following is None:
            self._finish(flow)
        else:
            self._show_step(following)

    def _next_shown(self, index: int, direction: int) -> int | None:
        steps = self.flow.steps
        while 0 <= index < len(steps):
            if steps[index].when(self.answers):
                return index
            index += direction
        return None

    def _finish(self, flow: Flow) -> None:
        done_screen = self.root.get_screen("done")
        self.flow = None  # a second tap can never store twice
        try:
            done = flow.finish(self.services.recorder, self.answers)
        except KioskError as error:
            log.error("saving a %s failed: %s", flow.name, error)
            done_screen.error = N_("This did not work.")
        else:
            done_screen.error = ""
            done_screen.fields = done.fields
            done_screen.icon, done_screen.title, done_screen.message = done.icon, done.title, done.message
        self._wipe_flow_screens(flow)
        self.show("done")
        self._start_done_countdown()

    def _wipe_flow_screens(self, flow: Flow) -> None:
        self.answers = {}
        self._reset_steps(flow)

    def go_back(self) -> None:
        previous = None if self.flow is None else self._next_shown(self._step - 1, -1)
        if previous is None:
            self.go_home()
            return
        self._show_step(previous)

    def go_home(self) -> None:
        """Drop whatever is unfinished and show the home screen."""
        self.flow, self.answers, self._step = None, {}, 0
        self._cancel_done_countdown()
        for screen in self.root.screens:
            screen.reset()
        self.show("home")

    def end_visit(self) -> None:
        """The visitor has gone: home, the default language, no trace of them on screen."""
        if self.overlay is not None:
            self.overlay.dismiss(animation=False)
        self.supported.clear()
        self.feedback_thanks = ""
        self.set_language(self.services.config.default_language)
        self.go_home()

    # -- ideas -------------------------------------------------------------------------------------
    def show_wall(self) -> None:
        since = self.services.clock.now().date() - timedelta(days=WALL_DAYS)
        records = self.services.repo.records_since(since, types=(RecordType.IDEA, RecordType.VOTE))
        self.root.get_screen("wall").ideas = ideas.idea_wall(records)[:WALL_SIZE]
        self.show("wall")

    def support_idea(self, idea_id: str) -> bool:
        """One heart per idea per visit; returns whether this tap counted."""
        if idea_id in self.supported:
            return False
        try:
            ideas.support(self.services.recorder, idea_id)
        except KioskError as error:
            log.error("saving a vote failed: %s", error)
            return False
        self.supported.add(idea_id)
        return True

    # -- how was it today? -----------------------------------------------------------------------------
    def give_feedback(self, score: int, where: str) -> None:
        try:
            counted = self.feedback.give(score, where)
        except KioskError as error:
            log.error("saving feedback failed: %s", error)
            return
        if counted:
            self.feedback_thanks = N_("Thank you!")
            if self._thanks_event is not None:
                self._thanks_event.cancel()
            self._thanks_event = Clock.schedule_once(lambda dt: setattr(self, "feedback_thanks", ""),
                                                     THANKS_SECONDS)

    # -- the done screen's countdown ------------------------------------------------------------------
    def _start_done_countdown(self) -> None:
        self._cancel_done_countdown()
        self.root.get_screen("done").seconds_left = self.done_seconds
        self._done_event = Clock.schedule_interval(self._tick_done, 1)

    def _tick_done(self, dt) -> None:
        screen = self.root.get_screen("done")
        screen.seconds_left -= 1
        if screen.seconds_left <= 0:
            self.end_visit()

    def _cancel_done_countdown(self) -> None:
        if self._done_event is not None:
            self._done_event.cancel()
            self._done_event = None

    # -- idle care ---------------------------------------------------------------------------------
    def _on_activity(self, *args) -> bool:
        self._last_touch = time.monotonic()
        self._rested = False
        return False  # never swallow the touch or key

    def _check_idle(self, dt) -> None:
        overlay = self.overlay
        if overlay.is_open:
            overlay.seconds_left -= 1
            if overlay.seconds_left <= 0:
                self.end_visit()
            return
        if self.current in ("home", "done"):  # done goes home by itself
            if self.current == "home" and not self._rested and time.monotonic() - self._last_touch >= REST_SECONDS:
                self._rested = True  # between two visitors: a good moment to tidy up
                memory.rest()
            return
        if time.monotonic() - self._last_touch >= self.idle_timeout:
            overlay.seconds_left = self.idle_countdown
            overlay.open()

    def still_here(self) -> None:
        """The visitor answered "Yes, I'm still here"."""
        self._last_touch = time.monotonic()
        self.overlay.dismiss(animation=False)
