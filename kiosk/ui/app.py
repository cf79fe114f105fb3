"""The Kivy app: wires screens to the flows and the core. Layout lives in the .kv files.

Navigation: ``start_flow(name)`` → one screen per step → ``answer(value)`` moves on → the flow's
``finish`` stores the record (durably, before anything is shown) → the done screen → home by itself.
``go_back()`` returns one step, ``go_home()`` drops the unfinished answers. Only the main thread
touches widgets; nothing here waits on the network.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import FadeTransition, ScreenManager

from kiosk.errors import KioskError
from kiosk.services import Services
from kiosk.ui.flows import FLOWS, Flow
from kiosk.ui.i18n import N_, format_day, translate
from kiosk.ui.screens.choice import ChoiceScreen
from kiosk.ui.screens.count import CountScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.text import TextScreen

log = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent
KV_FILES = ["widgets.kv", "keyboard.kv", "screens/base.kv", "screens/home.kv", "screens/choice.kv",
            "screens/count.kv", "screens/text.kv", "screens/done.kv"]
SCREEN_CLASSES = {"choice": ChoiceScreen, "count": CountScreen, "text": TextScreen}

#: The home tiles: (flow, pictogram, message id), shown when the flow exists.
HOME_TILES = [
    ("checkin", "checkin", N_("I am here")),
]


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

    def __init__(self, services: Services, **kwargs):
        super().__init__(**kwargs)
        self.services = services
        config = services.config
        self.title = f"{config.name} kiosk"
        self.kiosk_name = config.name
        self.lang = config.default_language
        self.languages = list(config.languages)
        self.location = services.recorder.location
        self.flow: Flow | None = None
        self.answers: dict[str, Any] = {}
        self._step = 0
        self._done_event = None

    # -- Kivy life cycle ---------------------------------------------------------------------------
    def build(self):
        load_kv()
        manager = ScreenManager(transition=FadeTransition(duration=0.15))
        home = HomeScreen(name="home")
        home.languages = self.languages
        home.tiles = [tile for tile in HOME_TILES if tile[0] in FLOWS]
        manager.add_widget(home)
        for flow in FLOWS.values():
            for step in flow.steps:
                screen = SCREEN_CLASSES[step.kind](name=step.name)
                screen.title = step.title
                if step.kind == "choice":
                    screen.choices = list(step.choices)
                else:
                    screen.hint = step.hint
                if step.kind == "text":
                    screen.max_length, screen.optional = step.max_length, step.optional
                manager.add_widget(screen)
        manager.add_widget(DoneScreen(name="done"))
        self.update_today()
        Clock.schedule_interval(lambda dt: self.update_today(), 30)
        Window.bind(on_request_close=self._on_request_close)
        return manager

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

    def start_flow(self, name: str) -> None:
        self.flow, self.answers, self._step = FLOWS[name], {}, 0
        for step in self.flow.steps:
            self.root.get_screen(step.name).reset()
        self.show(self.flow.steps[0].name)

    def answer(self, value: Any) -> None:
        """The visitor answered the current step; go on, or finish the flow."""
        flow = self.flow
        if flow is None or self.current != flow.steps[self._step].name:
            return  # a late tap on a screen that is already going away
        self.answers[flow.steps[self._step].name] = value
        if self._step + 1 < len(flow.steps):
            self._step += 1
            self.show(flow.steps[self._step].name)
        else:
            self._finish(flow)

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
            done_screen.icon, done_screen.title, done_screen.message = done.icon, done.title, done.message
            done_screen.fields = done.fields
        self.answers = {}
        self.show("done")
        self._start_done_countdown()

    def go_back(self) -> None:
        if self.flow is None or self._step == 0:
            self.go_home()
            return
        self._step -= 1
        self.show(self.flow.steps[self._step].name)

    def go_home(self) -> None:
        """Drop whatever is unfinished and show the home screen."""
        self.flow, self.answers, self._step = None, {}, 0
        self._cancel_done_countdown()
        for screen in self.root.screens:
            screen.reset()
        self.show("home")

    # -- the done screen's countdown ------------------------------------------------------------------
    def _start_done_countdown(self) -> None:
        self._cancel_done_countdown()
        self.root.get_screen("done").seconds_left = self.done_seconds
        self._done_event = Clock.schedule_interval(self._tick_done, 1)

    def _tick_done(self, dt) -> None:
        screen = self.root.get_screen("done")
        screen.seconds_left -= 1
        if screen.seconds_left <= 0:
            self.go_home()

    def _cancel_done_countdown(self) -> None:
        if self._done_event is not None:
            self._done_event.cancel()
            self._done_event = None
