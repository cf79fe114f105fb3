"""``kiosk screenshots``: walk through every screen in every language and save a PNG of each.

The tour drives the app through its navigation methods (the UI tests are the ones that tap). It runs on
a throw-away data folder, so no real record is ever written. File names are stable:
``<lang>-<nn>-<screen>.png``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.ui.app import KioskApp

SETTLE_SECONDS = 0.5  # longer than a screen transition


def tour(app: KioskApp) -> Iterator[tuple[str, Callable[[], None]]]:
    """(screen name, action that shows it), in visiting order."""
    yield "home", app.go_home
    yield "checkin-count", lambda: app.start_flow("checkin")
    yield "checkin-first-time", lambda: app.answer((2, 1))
    yield "checkin-reason", lambda: app.answer("yes")
    yield "checkin-welcome", lambda: app.answer("coffee")


def take_screenshots(app: KioskApp, out_dir: Path, langs: list[str], done: Callable[[list[Path]], None]) -> None:
    """Schedule the tour on the Kivy clock; call ``done(paths)`` when every PNG is written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = [(lang, number, name, action)
            for lang in langs
            for number, (name, action) in enumerate(tour(app), start=1)]
    written: list[Path] = []

    def step(index: int) -> None:
        if index == len(plan):
            done(written)
            return
        lang, number, name, action = plan[index]
        app.set_language(lang)
        action()
        Clock.schedule_once(lambda dt: capture(index), SETTLE_SECONDS)

    def capture(index: int) -> None:
        if app.root.transition.is_active:  # the first fade can be slow (shader compile): wait for it
            Clock.schedule_once(lambda dt: capture(index), 0.1)
            return
        lang, number, name, _ = plan[index]
        target = out_dir / f"{lang}-{number:02d}-{name}.png"
        saved = Window.screenshot(name=str(out_dir / ".shot.png"))
        os.replace(saved, target)
        written.append(target)
        step(index + 1)

    Clock.schedule_once(lambda dt: step(0), SETTLE_SECONDS)
