"""The real ``kiosk run --windowed`` (kiosk mode as configured), with one visitor checking in by touch.

    python tests/reliability/checked_in_app.py [kiosk run options]

Touches go through the window as in tests/visitor_robot.py, but one per frame from Kivy's clock, so that
the app runs its own main loop (``kiosk.cli.main``), exactly as on a kiosk. Prints ``CHECKED-IN`` once
the done screen shows (the record is stored before it shows), then runs on until something stops it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS.parent), str(TESTS)]
os.environ.setdefault("KIVY_NO_ARGS", "1")

import visitor_robot as robot  # noqa: E402

MARKER = "CHECKED-IN"


def check_in_by_touch(app):
    """What to touch, one after another: the widget each step shows (worked out when it is shown)."""
    yield lambda: robot.tile(app, "checkin")
    yield lambda: robot.screen(app).ids.next  # one adult, no children
    yield lambda: robot.tile(app, "no")  # not the first time here
    yield lambda: robot.tile(app, robot.screen(app).choices[0].key)  # why they came


def drive(steps) -> None:
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.tests import UnitTestTouch

    app = App.get_running_app()
    plan = steps(app)

    def next_touch(_dt):
        if app.root.transition.is_active:
            Clock.schedule_once(next_touch, 0.05)
            return
        target = next(plan, None)
        if target is None:
            if app.current != "done":
                raise SystemExit(f"the visitor ended on {app.current}, not on the done screen")
            print(MARKER, flush=True)
            return
        widget = target()
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        touch.touch_down()
        Clock.schedule_once(lambda _dt: touch.touch_up(), 0)
        Clock.schedule_once(next_touch, 0.3)

    Clock.schedule_once(next_touch, 0.5)


def main() -> int:
    from kiosk.ui import launch

    configure = launch.configure_kivy

    def configure_then_drive(*args, **kwargs):
        configure(*args, **kwargs)
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: drive(check_in_by_touch), 0)

    launch.configure_kivy = configure_then_drive
    from kiosk.cli import main as kiosk_main

    return kiosk_main(["run", "--windowed", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
