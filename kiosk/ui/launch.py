"""Start the Kivy app: configure Kivy *before* it is imported, then open the window.

Kiosk hardening (docs/architecture.md#starting-the-kiosk): fullscreen, no Esc-to-quit, no F1 settings panel, cursor hidden on a
touchscreen, and Kivy's own files under the data folder, never in the user's global ``~/.kivy``.
"""

from __future__ import annotations

import logging
import os

from kiosk import resources
from kiosk.config import Config

FONT_DIR = resources.FONT_DIR


def configure_kivy(config: Config, windowed: bool = False, size: tuple[int, int] | None = None) -> None:
    """Set Kivy's configuration for this run (nothing is written to any config.ini)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_HOME", str(config.data_dir / ".kivy"))
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
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


def run_app(config: Config, windowed: bool = False, size: tuple[int, int] | None = None) -> None:
    from kiosk.services import open_services

    services = open_services(config)  # a data-folder problem is said before any window opens
    configure_kivy(config, windowed, size)
    from kiosk.ui.app import KioskApp

    KioskApp(services).run()
