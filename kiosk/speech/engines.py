"""Speech engines behind one small interface: ``speak(text, lang)``, ``stop()``, ``available()``.

``speak`` blocks until the words are spoken (the :class:`kiosk.speech.speaker.Speaker` calls it on its
worker thread, never on the UI thread); ``stop`` may be called from any thread and cuts the words off
mid-word: the engines speak through a process that is killed. After a ``stop`` an engine speaks nothing
until ``resume()`` (the speaker calls it when it hands over new words), so a stop that comes just before
a process starts is not lost.

- :class:`EspeakEngine`: espeak-ng (Debian package ``espeak-ng``), speaking straight to the audio output.
- :class:`PiperEngine`: piper (``pip install piper-tts``) with a voice model file per language, played
  through a :class:`CommandPlayer`.
- :class:`AndroidEngine`: the tablet's own text-to-speech through ``plyer.tts``.
- :class:`RecordingEngine`: speaks nothing, keeps what it was asked to say (tests, screenshots).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.speech.settings import RATE_DEFAULT, VOLUME_DEFAULT, SpeechSettings

#: espeak-ng's voice for each language when the configuration names none.
ESPEAK_VOICES = {"nl": "nl", "fr": "fr-be", "en": "en-gb"}
#: Longest a synthesis may take before it counts as broken (seconds).
SYNTHESIS_TIMEOUT = 60


class SpeechError(KioskError):
    """An engine cannot speak: ``str()`` says why in plain words."""


class SpeechEngine:
    """The interface. ``rate`` (words per minute) and ``volume`` (percent) apply to the next words."""

    name = "none"

    def __init__(self, rate: int = RATE_DEFAULT, volume: int = VOLUME_DEFAULT):
        self.rate, self.volume = rate, volume
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._halted = False

    def speak(self, text: str, lang: str) -> None:
        raise NotImplementedError

    def available(self) -> bool:
        return not self.problem()

    def problem(self) -> str:
        """Why this engine cannot speak, in plain words ("" when it can)."""
        return ""

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        """Write ``text`` spoken in ``lang`` to the WAV file ``out``."""
        raise SpeechError(f"the {self.name} engine cannot write sound files")

    def stop(self) -> None:
        """Cut off what is being said (any thread); nothing more is said until :meth:`resume`."""
        with self._lock:
            self._halted = True
            process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def resume(self) -> None:
        with self._lock:
            self._halted = False

    @property
    def halted(self) -> bool:
        return self._halted

    def _run(self, argv: list[str], stdin: str | None = None) -> int | None:
        """Run ``argv`` to its end or until :meth:`stop`; None when stopped before or while it ran."""
        with self._lock:
            if self._halted:
                return None
            try:
                process = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as error:
                raise SpeechError(f"{argv[0]} could not start: {error.strerror or error}") from None
            self._process = process
        try:
            _, errors = process.communicate(stdin.encode("utf-8") if stdin is not None else None)
        finally:
            with self._lock:
                self._process = None
        if self._halted:
            return None
        if process.returncode != 0:
            detail = errors.decode("utf-8", "replace").strip().splitlines()
            raise SpeechError(f"{argv[0]} failed: {detail[-1] if detail else f'exit code {process.returncode}'}")
        return process.returncode


class EspeakEngine(SpeechEngine):
    """espeak-ng: small, every language, speaks straight to the sound card; plain but clear."""

    name = "espeak-ng"

    def __init__(self, voices: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.voices = {**ESPEAK_VOICES, **(voices or {})}
        self.command = shutil.which("espeak-ng")

    def problem(self) -> str:
        if self.command is None:
            return "espeak-ng is not installed (Debian: apt-get install espeak-ng)"
        return ""

    def _argv(self, text: str, lang: str) -> list[str]:
        if self.command is None:
            raise SpeechError(self.problem())
        voice = self.voices.get(lang, lang)
        amplitude = max(0, min(200, self.volume))
        return [self.command, "-v", voice, "-s", str(self.rate), "-a", str(amplitude), "--", text]

    def speak(self, text: str, lang: str) -> None:
        self._run(self._argv(text, lang))

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        argv = self._argv(text, lang)
        argv[1:1] = ["-w", str(out)]
        try:
            subprocess.run(argv, check=True, capture_output=True, timeout=SYNTHESIS_TIMEOUT)
        except subprocess.CalledProcessError as error:
            raise SpeechError(f"espeak-ng failed: {error.stderr.decode('utf-8', 'replace').strip()}") from None
        except subprocess.TimeoutExpired:
            raise SpeechError("espeak-ng took too long") from None


class CommandPlayer(SpeechEngine):
    """Plays WAV files with the first of pw-play, paplay, aplay found (a process, so it can be killed)."""

    name = "player"
    COMMANDS = ("pw-play", "paplay", "aplay")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.command = next((found for found in map(shutil.which, self.COMMANDS) if found), None)

    def problem(self) -> str:
        if self.command is None:
            return "no sound player is installed (Debian: apt-get install alsa-utils, for aplay)"
        return ""

    def play(self, path: Path) -> None:
        if self.command is None:
            raise SpeechError(self.problem())
        self._run([self.command, str(path)])

    def speak(self, text: str, lang: str) -> None:
        raise SpeechError("a player plays sound files, it does not speak")


class PiperEngine(SpeechEngine):
    """piper: a natural voice from a model file per language (``[speech] voice_nl = ".../nl_BE-....onnx"``)."""

    name = "piper"
    #: piper's own pace, in words per minute at length_scale 1 (roughly).
    NATURAL_RATE = 170

    def __init__(self, voices: dict[str, str] | None = None, player: CommandPlayer | None = None, **kwargs):
        super().__init__(**kwargs)
        self.voices = dict(voices or {})
        self.player = player or CommandPlayer()
        self.command = shutil.which("piper") or _beside_python("piper")

    def problem(self) -> str:
        if self.command is None:
            return "piper is not installed (pip install piper-tts)"
        missing = [lang for lang, model in self.voices.items() if not Path(model).is_file()]
        if not self.voices:
            return "no piper voice is configured ([speech] voice_nl = \"/path/to/voice.onnx\")"
        if missing:
            return f"the piper voice for {missing[0]} is not there: {self.voices[missing[0]]}"
        return self.player.problem()

    def _argv(self, lang: str, out: Path) -> list[str]:
        model = self.voices.get(lang)
        if self.command is None or not model:
            raise SpeechError(self.problem() or f"no piper voice for {lang}")
        scale = self.NATURAL_RATE / max(1, self.rate)
        return [self.command, "--model", model, "--length_scale", f"{scale:.2f}", "--output_file", str(out)]

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        if self._run(self._argv(lang, out), stdin=text) is None:
            raise SpeechError("stopped")

    def speak(self, text: str, lang: str) -> None:
        with tempfile.TemporaryDirectory(prefix="kiosk-piper-") as scratch:
            out = Path(scratch) / "words.wav"
            if self._run(self._argv(lang, out), stdin=text) is None:
                return
            self.player.resume()
            self.player.play(out)

    def stop(self) -> None:
        super().stop()
        self.player.stop()


class AndroidEngine(SpeechEngine):
    """A tablet's own text-to-speech (``plyer.tts``): speaks in the tablet's language and cannot be cut off."""

    name = "android"

    def problem(self) -> str:
        if not hasattr(sys, "getandroidapilevel"):
            return "the android engine works only on an Android tablet"
        try:
            import plyer  # noqa: F401
        except ImportError:
            return "plyer is not in the tablet app (add it to the requirements in buildozer.spec)"
        return ""

    def speak(self, text: str, lang: str) -> None:
        from plyer import tts

        if not self._halted:
            tts.speak(text)


class RecordingEngine(SpeechEngine):
    """Speaks nothing and keeps every text it was asked to say, in order (for tests and screenshots).

    ``seconds_per_word`` makes ``speak`` last as long as real speech would (until ``stop``), so a test can
    see speech being interrupted: :attr:`interrupted` lists the texts cut off.
    """

    name = "recording"

    def __init__(self, seconds_per_word: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.spoken: list[tuple[str, str]] = []
        self.interrupted: list[str] = []
        self.seconds_per_word = seconds_per_word
        self._cut = threading.Event()
        self.speaking = threading.Event()

    def speak(self, text: str, lang: str) -> None:
        with self._lock:
            if self._halted:
                return
            self._cut.clear()
            self.spoken.append((text, lang))
            self.speaking.set()
        try:
            if self.seconds_per_word and self._cut.wait(self.seconds_per_word * len(text.split())):
                self.interrupted.append(text)
        finally:
            self.speaking.clear()

    def stop(self) -> None:
        super().stop()
        self._cut.set()

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.spoken]


def _beside_python(name: str) -> str | None:
    """A command installed in this Python's environment (a virtual environment's ``bin``)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def make_engine(settings: SpeechSettings) -> SpeechEngine:
    """The configured engine (it may not be :meth:`~SpeechEngine.available`: ask before using it)."""
    common = {"rate": settings.rate, "volume": settings.volume}
    if settings.engine == "piper":
        return PiperEngine(settings.voices, **common)
    if settings.engine == "android":
        return AndroidEngine(**common)
    if settings.engine == "none":
        return _Disabled(**common)
    return EspeakEngine({k: v for k, v in settings.voices.items() if not v.endswith(".onnx")}, **common)


class _Disabled(SpeechEngine):
    name = "none"

    def problem(self) -> str:
        return "speech is switched off ([speech] engine = \"none\")"

    def speak(self, text: str, lang: str) -> None:
        pass
