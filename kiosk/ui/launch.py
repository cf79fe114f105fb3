"""Start the Kivy app: configure Kivy *before* it is imported, then open the window.

Kiosk hardening (docs/architecture.md#starting-the-kiosk): fullscreen, no Esc-to-quit, no F1 settings panel, cursor hidden on a
touchscreen, and Kivy's own files under the data folder, never in the user's global ``~/.kivy``.
"""

from __future__ import annotations

import logging
import os
import signal

from kiosk import resources
from kiosk.config import Config

FONT_DIR = resources.FONT_DIR


def configure_kivy(config: Config, windowed: bool = False, size: tuple[int, int] | None = None) -> None:
    """Set Kivy's configuration for this run (nothing is written to any config.ini)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_HOME", str(config.data_dir / ".kivy"))
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # SDL would turn SIGTERM and SIGINT into a window-close request, which kiosk mode refuses (as Esc):
    # the stop signals are ours (stop_on_signals).
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    from kivy.config import Config as KivyConfig

    fullscreen = config.fullscreen and not windowed
    width, height = size or config.size
    KivyConfig.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    KivyConfig.set("graphics", "width", str(width))
    KivyConfig.set("graphics", "height", str(height))
    KivyConfig.set("graphics", "show_cursor", "0" if fullscreen and config.kiosk_mode else "1")
    KivyConfig.set("kivy", "exit_on_escape", "0" if config.kiosk_mode else "1")
    KivyConfig.set("kivy", "keyboard_mode", "system")  # our own on-screen keyboard, never Kivy's
    KivyConfig.set("input", "mouse", "mouse,disable_multitouch")  # no red dots on right-click
    # No multisampling (Kivy asks for 2 samples, Mesa llvmpipe gives 4): a software renderer then fills every
    # pixel four times and averages them at each frame. Without, the home screen draws in 9 ms, not 27
    # (1280x800). The kiosk's edges are straight lines, 1 px rings and text: the screens look the same.
    KivyConfig.set("graphics", "multisamples", "0")

    from kivy.core.text import LabelBase

    # DejaVu Sans carries the accented letters, Greek, Cyrillic and many symbols visitors may type.
    LabelBase.register("Roboto", str(FONT_DIR / "DejaVuSans.ttf"), fn_bold=str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    _free_rendered_text()
    _keep_running_on_errors()


def _free_rendered_text() -> None:
    """Kivy's SDL2 text renderer keeps the pixels of every label's text after copying them into the
    label's texture (``LabelSDL2._surface``): a second copy of all text on every screen (12 MB of this
    app's memory with every screen made). Each label now lets go of it once its texture is filled."""
    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:  # another text provider: nothing kept
        return

    def _render_end(self):
        data = self._surface.get_data()  # a copy (bytes)
        self._surface = None
        return data

    LabelSDL2._render_end = _render_end


def _keep_running_on_errors() -> None:
    """An unexpected error in a callback is logged; the kiosk keeps running for the next visitor."""
    from kivy.base import ExceptionHandler, ExceptionManager

    class LogAndContinue(ExceptionHandler):
        def handle_exception(self, exception):
            if isinstance(exception, (KeyboardInterrupt, SystemExit)):
                return ExceptionManager.RAISE
            logging.getLogger("kiosk").exception("unexpected error; the kiosk keeps running")
            return ExceptionManager.PASS

    ExceptionManager.add_handler(LogAndContinue())


#: What a service manager, a shutdown, a closed terminal and Ctrl+C send: each ends the app cleanly.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def stop_on_signals() -> None:
    """SIGTERM, SIGHUP and SIGINT end the app cleanly, in kiosk mode too (where Esc and the window's
    close button are refused): Kivy's main loop ends after the frame in progress (so a record being written
    is written), then the app's ``on_stop`` stops the workers and closes the data folder, and ``kiosk run``
    exits 0. The handler only sets flags (it may interrupt any line of the main thread); a signal before the
    loop runs is acted on in its first frame."""
    from kivy.base import EventLoop, stopTouchApp
    from kivy.clock import Clock

    requested = []

    def request_stop(signum, _frame):
        if not requested:
            logging.getLogger("kiosk").info("%s received: stopping", signal.Signals(signum).name)
        requested.append(signum)
        EventLoop.quit = True

    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)
    Clock.schedule_once(lambda _dt: requested and stopTouchApp(), 0)


def run_app(config: Config, windowed: bool = False, size: tuple[int, int] | None = None) -> None:
    from kiosk.services import open_services

    services = open_services(config)  # a data-folder problem is said before any window opens
    configure_kivy(config, windowed, size)
    from kiosk.ui.app import KioskApp

    stop_on_signals()
    app = KioskApp(services)
    app.run()
    if app.workers.left_running:
        _exit_now()


def _exit_now() -> None:
    """Exit 0 at once, without Python's final clean-up: a worker left behind at shutdown (an upload
    waiting for a silent office) can hold a lock that the clean-up would wait for. Everything of ours is
    closed by now (records are fsync'd as written); only the logs and the output still need flushing."""
    import sys

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)
