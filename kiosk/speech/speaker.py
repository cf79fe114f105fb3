"""The speaker: one worker thread that says what it is given, cut off at once by the next words or a stop.

The UI calls :meth:`Speaker.say` and :meth:`Speaker.stop` (they return at once); the worker calls the
engine, which blocks while it speaks. Each part of an utterance is a recorded clip when one exists
(played by the player), else words for the engine; consecutive words are spoken in one go.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from kiosk.speech.engines import CommandPlayer, SpeechEngine, SpeechError
from kiosk.speech.settings import (RATE_MAX, RATE_MIN, RATE_STEP, VOLUME_MAX, VOLUME_MIN, VOLUME_STEP,
                                   bounded)

log = logging.getLogger(__name__)

#: Where a translation lets a long word break on screen ("Volwas\u00adsenen").
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Part:
    """Words to speak, or (``clip``) a recording of them."""

    text: str
    clip: Path | None = None
    #: Its language, when not the utterance's (the announcement in every language).
    lang: str = ""


class Speaker:
    """Speaks :class:`Part` lists in a language on a worker thread. ``on_problem(message)`` hears about an
    engine that fails while speaking, ``on_idle()`` that all is said; both are called on the worker thread."""

    def __init__(self, engine: SpeechEngine, player: CommandPlayer | None = None,
                 on_problem: Callable[[str], None] | None = None, on_idle: Callable[[], None] | None = None):
        self.engine = engine
        self.player = player
        self.on_problem = on_problem
        self.on_idle = on_idle
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._generation = 0
        self._pending = 0
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._work, name="speaker", daemon=True)
        self._thread.start()

    # -- from the UI thread --------------------------------------------------------------------------
    def say(self, parts: list[Part], lang: str) -> None:
        """Stop what is being said and say ``parts`` instead."""
        parts = [replace(part, text=part.text.replace(SOFT_HYPHEN, "")) for part in parts]  # a place to break, not a sound
        with self._lock:
            self._generation += 1
            self._halt()
            self._pending += 1
            self._idle.clear()
            self._queue.put((self._generation, parts, lang))

    def stop(self) -> None:
        """Stop speaking now."""
        with self._lock:
            self._generation += 1
            self._halt()

    def close(self) -> None:
        self.stop()
        self._queue.put(None)

    @property
    def busy(self) -> bool:
        """True from :meth:`say` until its words are said or stopped."""
        return not self._idle.is_set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything given is said or stopped (for tests and the ``say`` command)."""
        return self._idle.wait(timeout)

    def change_rate(self, steps: int) -> int:
        """Faster (steps > 0) or slower, within bounds; the new rate in words per minute."""
        self.engine.rate = bounded(self.engine.rate + steps * RATE_STEP, RATE_MIN, RATE_MAX)
        return self.engine.rate

    def change_volume(self, steps: int) -> int:
        """Louder (steps > 0) or softer, within bounds; the new volume in percent."""
        self.engine.volume = bounded(self.engine.volume + steps * VOLUME_STEP, VOLUME_MIN, VOLUME_MAX)
        return self.engine.volume

    def _halt(self) -> None:
        self.engine.stop()
        if self.player is not None:
            self.player.stop()

    # -- on the worker thread --------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            generation, parts, lang = item
            with self._lock:
                current = generation == self._generation
                if current:
                    self.engine.resume()
                    if self.player is not None:
                        self.player.resume()
            if current:
                try:
                    self._speak(parts, lang, generation)
                except SpeechError as error:
                    log.warning("speech failed: %s", error)
                    if self.on_problem is not None:
                        self.on_problem(str(error))
                except Exception:  # a speaker that dies would leave the kiosk mute: keep it alive
                    log.exception("speech failed")
            with self._lock:
                self._pending -= 1
                idle = self._pending == 0
                if idle:
                    self._idle.set()
            if idle and self.on_idle is not None:
                self.on_idle()

    def _speak(self, parts: list[Part], lang: str, generation: int) -> None:
        words: list[str] = []
        words_lang = lang
        for part in [*parts, None]:
            part_lang = (part.lang or lang) if part is not None else ""
            if words and part_lang != words_lang:
                self.engine.speak(" ".join(words), words_lang)
                words = []
            if generation != self._generation:
                return
            if part is not None and (part.clip is None or self.player is None):
                words.append(part.text)
                words_lang = part_lang
                continue
            if words:
                self.engine.speak(" ".join(words), words_lang)
                words = []
            if generation != self._generation:
                return
            if part is not None:
                try:
                    self.player.play(part.clip)
                except SpeechError as error:  # a clip that does not play: its words are synthesized
                    log.warning("a recorded clip did not play: %s", error)
                    if part.text:
                        self.engine.speak(part.text, lang)
