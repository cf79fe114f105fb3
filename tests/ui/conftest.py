"""A real Kivy window (Xvfb in CI) with the real app; tests tap real widgets with touch events.

Kivy runs one window per process, so the app is built once per test session, on its own data folder.
Tests look at the records they create (``new_records``), not at the whole folder.
"""

from __future__ import annotations

import dataclasses
import time

import pytest

from kiosk.config import load_config


#: A calendar for whatever day the tests run: one activity on all day long, one that needs sign-up
#: (3 places) late in the evening, and one tomorrow.
TEST_CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Ter Plekke//tests//NL
BEGIN:VEVENT
UID:meeting@test
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Brussels:{today}T000000
DTEND;TZID=Europe/Brussels:{today}T235900
SUMMARY:Ontmoetingsmoment
LOCATION:Cafetaria OC In 't Riet
END:VEVENT
BEGIN:VEVENT
UID:meal@test
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Brussels:{today}T235800
DTEND;TZID=Europe/Brussels:{today}T235900
SUMMARY:Samen Tafelen
X-TERPLEKKE-SIGNUP:TRUE
X-TERPLEKKE-CAPACITY:3
END:VEVENT
BEGIN:VEVENT
UID:walk@test
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Brussels:{tomorrow}T140000
DTEND;TZID=Europe/Brussels:{tomorrow}T160000
SUMMARY:Gezondheidswandeling
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from datetime import timedelta

    from kiosk.clock import SystemClock

    data_dir = tmp_path_factory.mktemp("kiosk-ui-data")
    today = SystemClock().now().date()
    calendar = data_dir.parent / "test-calendar.ics"
    calendar.write_text(TEST_CALENDAR.format(today=f"{today:%Y%m%d}",
                                             tomorrow=f"{today + timedelta(days=1):%Y%m%d}").replace("\n", "\r\n"))
    config = dataclasses.replace(load_config(), data_dir=data_dir, fullscreen=False, kiosk_mode=False,
                                 calendar_source=str(calendar))
    from kiosk.services import open_services
    from kiosk.ui.launch import configure_kivy

    services = open_services(config)
    services.calendar.refresh()
    configure_kivy(config, windowed=True, size=(1280, 800))
    from kivy.base import EventLoop, runTouchApp

    from kiosk.ui.app import KioskApp

    kiosk_app = KioskApp(services)
    kiosk_app._run_prepare()
    runTouchApp(embedded=True)
    settle(kiosk_app)
    yield kiosk_app
    kiosk_app.stop()
    EventLoop.close()


@pytest.fixture(autouse=True)
def start_home(request):
    if "app" in request.fixturenames:
        kiosk_app = request.getfixturevalue("app")
        kiosk_app.set_language("nl")
        kiosk_app.go_home()
        settle(kiosk_app)


def frames(count: int = 2) -> None:
    from kivy.base import EventLoop

    for _ in range(count):
        EventLoop.idle()


def settle(app, timeout: float = 5.0) -> None:
    """Step frames until no screen transition is running."""
    deadline = time.monotonic() + timeout
    frames(2)
    while app.root.transition.is_active and time.monotonic() < deadline:
        frames(1)
    frames(2)


def tap(app, widget) -> None:
    """A real touch at the widget's centre, through the window and the whole widget tree."""
    from kivy.tests import UnitTestTouch

    assert widget.get_root_window() is not None, f"{widget} is not on screen"
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    frames(1)
    touch.touch_up()
    settle(app)


def screen(app):
    return app.root.current_screen


def tile(app, key: str):
    """The tile for an answer on the current choice screen, or a home tile by flow name."""
    current = screen(app)
    grid = current.ids.get("grid") or current.ids.get("tiles")
    for child in grid.children:
        if getattr(child, "key", None) == key or getattr(child, "target", None) == key:
            return child
    raise AssertionError(f"no tile {key!r} on {current.name}")


def new_records(app, before: int) -> list[dict]:
    day = app.services.clock.now().date()
    return app.services.repo.records_for_day(day)[before:]


def record_count(app) -> int:
    return app.services.repo.count_for_day(app.services.clock.now().date())


def key(app, name: str):
    """The key on the current screen that types ``name``, or the function key called ``name``."""
    for candidate in screen(app).keyboard.keys():
        if candidate.action == name or (candidate.action == "char" and candidate.symbol == name):
            return candidate
    raise AssertionError(f"no key {name!r} on screen")


def press(app, *names: str) -> None:
    """Real touches on the keys, one after the other (a key changes no screen: one frame each is enough)."""
    from kivy.tests import UnitTestTouch

    for name in names:
        pressed = key(app, name)
        assert pressed.get_root_window() is not None, f"{name!r} is not on screen"
        touch = UnitTestTouch(*pressed.to_window(*pressed.center))
        touch.touch_down()
        touch.touch_up()
        frames(1)
