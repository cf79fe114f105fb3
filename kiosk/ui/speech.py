"""Reading aloud in the app: the speaker button, auto-read for the rest of a visit, the idle question.

:class:`ReadAloud` asks :mod:`kiosk.speech.screens` for the words of the screen on display (from what
that screen shows) and hands them to a :class:`kiosk.speech.speaker.Speaker`, whose worker thread speaks
while the UI carries on. Any touch stops the reading at once (a tap on the speaker button while it reads
only stops it); a new screen stops it too, and is read when the visitor turned reading on. The idle reset
turns it off. An engine that is missing or fails hides the button (``available``); ``kiosk doctor`` says why.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty
from kivy.uix.modalview import ModalView

from kiosk.speech import screens
from kiosk.speech.chime import write_chime
from kiosk.speech.clips import RecordedClips
from kiosk.speech.engines import CommandPlayer, SpeechEngine, make_engine
from kiosk.speech.screens import Phrase, spoken_parts
from kiosk.speech.speaker import Part, Speaker
from kiosk.ui.flows import Done
from kiosk.ui.screens.base import StepScreen
from kiosk.ui.widgets import BigButton

log = logging.getLogger(__name__)

#: "Read again" twice within this many seconds also reads a typed name or phone number.
ASK_AGAIN_SECONDS = 3.0


class SpeakerButton(BigButton):
    """The speaker pictogram and "Read aloud", in the same place on every visitor screen (speech.kv)."""


class SpeechPanel(ModalView):
    """The visitor's own controls of the voice, under the top bar: read again, slower, faster, softer, louder.
    Opened by a tap on the speaker button once reading is on (and not speaking); a tap beside it closes it."""


class ReadAloud(EventDispatcher):
    """Speech for one app. ``engine`` replaces the configured one (tests give a recording engine)."""

    available = BooleanProperty(False)
    """True when the engine can speak: the speaker button shows."""

    reading_on = BooleanProperty(False)
    """The visitor turned reading on: each new screen is read, until the visit ends."""

    speaking = BooleanProperty(False)
    """Words are being said now."""

    def __init__(self, app, engine: SpeechEngine | None = None, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.settings = app.services.config.speech
        self.clips = RecordedClips(self.settings.recordings)
        player = CommandPlayer()
        self.player = player if not player.problem() else None
        self.speaker: Speaker | None = None
        self.private_ok = self.settings.private_audio
        self._was_speaking = False
        self._pending_read = None
        self._chime: Path | None = None
        self.keys = None  # the KeyNavigator, from attach()
        self._panel: SpeechPanel | None = None
        self._read_again_at = 0.0
        self.use_engine(engine or make_engine(self.settings))

    def use_engine(self, engine: SpeechEngine) -> None:
        if self.speaker is not None:
            self.speaker.close()
        self.engine = engine
        self.speaker = Speaker(engine, self.player, on_problem=self._failed, on_idle=self._quiet)
        self.available = self.settings.enabled and engine.available()
        if not self.available:
            log.warning("reading aloud is off: %s", engine.problem() or "[speech] enabled = false")
        self.reading_on = self.available and self.settings.auto_read

    def attach(self) -> None:
        """Start listening: touches stop the reading, screen changes read the next screen."""
        from kiosk.ui.keynav import KeyNavigator  # keys and the long press steer with this one

        Window.bind(on_touch_down=self._touched)
        self.app.root.bind(current=lambda *_: self.screen_changed())
        self.app.overlay.bind(on_open=lambda *_: self.still_there())
        self.keys = KeyNavigator(self.app)
        self.keys.attach()

    def close(self) -> None:
        if self.speaker is not None:
            self.speaker.close()

    # -- what is on screen -----------------------------------------------------------------------------
    def phrases(self) -> list[Phrase]:
        """The words of what the visitor sees now (the idle question when it covers the screen)."""
        app = self.app
        if app.overlay is not None and app.overlay.is_open:
            return screens.still_there(int(app.overlay.seconds_left))
        screen = app.root.current_screen
        if isinstance(screen, StepScreen) and screen.step is not None:
            return screens.step(screen.step, app.answers, self._shown_on(screen))
        name = screen.name
        if name == "home":
            return screens.home(app.kiosk_name, screen.tiles)
        if name == "done":
            done = Done(screen.icon, screen.title, screen.message, dict(screen.fields))
            return screens.done(None if screen.error else done, screen.error)
        if name == "activities":
            cards = [(card.badge, card.when, card.occurrence.title, card.places)
                     for card in reversed(screen.ids.cards.children) if getattr(card, "occurrence", None)]
            return screens.activities(screen.week, cards)
        if name == "wall":
            return screens.wall([item["title"] for item in screen.ids.scroll.data])
        if name == "privacy":
            return screens.privacy(screen.points)
        return []  # staff pages are not read aloud

    @staticmethod
    def _shown_on(screen) -> dict:
        if screen.step.kind in ("count", "persons"):
            if screen.single:
                return {"counts": [("Persons", screen.adult_count)]}
            return {"counts": [("Adults", screen.adult_count), ("Children", screen.child_count)]}
        if screen.step.kind == "text":
            return {"typed": screen.text.strip()}
        return {}

    # -- speaking ----------------------------------------------------------------------------------------
    def say(self, phrases: list[Phrase], lang: str | None = None, before: list[Part] = ()) -> None:
        if not self.available:
            return
        lang = lang or self.app.lang
        parts = [*before, *spoken_parts(phrases, lang, self.clips, self.private_ok)]
        if parts:
            self.speaking = True
            self.speaker.say(parts, lang)

    def read_screen(self) -> None:
        """Read what is on screen now, from the start."""
        self._cancel_pending()
        self.say(self.phrases())

    def read_again(self) -> None:
        """Read the screen again; asked twice within :data:`ASK_AGAIN_SECONDS`, a name or phone number typed
        on it is read too (the visitor asked for it)."""
        now = time.monotonic()
        asked_twice = now - self._read_again_at <= ASK_AGAIN_SECONDS
        self._read_again_at = 0.0 if asked_twice else now
        private, self.private_ok = self.private_ok, self.private_ok or asked_twice
        try:
            self.read_screen()
        finally:
            self.private_ok = private

    def stop(self) -> None:
        self._cancel_pending()
        if self.speaker is not None and self.speaker.busy:
            self.speaker.stop()

    def button_pressed(self) -> None:
        """The speaker button: read the screen and keep reading for this visit; while reading, stop. Once
        reading is on, it also opens the panel of voice controls (read again, slower, faster, softer, louder)."""
        if self._was_speaking:
            self._was_speaking = False
            return
        if self.reading_on:
            self.panel.open(animation=False)
        self.reading_on = True
        self.read_screen()

    @property
    def panel(self) -> SpeechPanel:
        if self._panel is None:
            self._panel = SpeechPanel()
        return self._panel

    def control(self, action: str) -> None:
        """A control of the panel or the keypad: again, slower, faster, softer, louder; then the screen is read
        (at the new pace or loudness)."""
        steps = {"slower": -1, "faster": 1}
        if action in steps:
            self.speaker.change_rate(steps[action])
        elif action in ("softer", "louder"):
            self.speaker.change_volume(1 if action == "louder" else -1)
        elif action == "again":
            self.read_again()
            return
        self.read_screen()

    def start(self, announce: bool = False) -> None:
        """Turn reading on without the screen (a key, a long press); ``announce`` says so first."""
        if not self.available:
            return
        self.reading_on = True
        self._cancel_pending()
        self.say((screens.message(screens.SPEECH_ON) if announce else []) + self.phrases())

    # -- events -----------------------------------------------------------------------------------------
    def _touched(self, window, touch) -> bool:
        self._was_speaking = bool(self.speaker is not None and self.speaker.busy)
        self.stop()
        return False

    def screen_changed(self) -> None:
        self.stop()
        if self._panel is not None:
            self._panel.dismiss(animation=False)
        if self.reading_on:  # after the screen has its words (the app sets them around the change)
            self._pending_read = Clock.schedule_once(lambda dt: self.read_screen(), 0)

    def still_there(self) -> None:
        """"Are you still there?" opened: also spoken, after a chime, when reading is on."""
        if self.reading_on:
            self._cancel_pending()
            self.say(self.phrases(), before=self._chime_parts())

    def visit_ended(self) -> None:
        """The idle reset or the end of a flow: reading goes off (or stays on with auto_read) and stops."""
        self.stop()
        self.reading_on = self.available and self.settings.auto_read
        self.private_ok = self.settings.private_audio
        if self.keys is not None:
            self.keys.visit_ended()

    def _chime_parts(self) -> list[Part]:
        if self.player is None:
            return []
        if self._chime is None:
            self._chime = write_chime(Path(tempfile.mkdtemp(prefix="kiosk-chime-")) / "chime.wav")
        return [Part("", self._chime)]

    def _cancel_pending(self) -> None:
        if self._pending_read is not None:
            self._pending_read.cancel()
            self._pending_read = None

    @mainthread
    def _quiet(self) -> None:
        self.speaking = bool(self.speaker is not None and self.speaker.busy)

    @mainthread
    def _failed(self, message: str) -> None:
        log.warning("reading aloud stopped working: %s", message)
        self.available = False
        self.reading_on = False
