"""A real Kivy window (Xvfb in CI) with the real app; tests tap real widgets with touch events.

Kivy runs one window per process, so the app is built once per test session, on its own data folder.
Tests look at the records they create (``new_records``), not at the whole folder.
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The touch helpers are the visitor robot's (tests/visitor_robot.py), shared with the benchmarks.
from visitor_robot import frames, key, press, screen, settle, tap, tile  # noqa: E402,F401
from clocks import RunningClock  # noqa: E402

from kiosk.clock import TIMEZONE  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.ui.launch import configure_kivy  # noqa: E402

# Test modules import kiosk.ui modules, and some of those open Kivy's window as they load (at collection,
# before any fixture): Kivy is configured as the kiosk configures it first, once, so the window is the kiosk's.
_KIVY_HOME = tempfile.mkdtemp(prefix="kiosk-ui-kivy-")
atexit.register(shutil.rmtree, _KIVY_HOME, ignore_errors=True)
configure_kivy(dataclasses.replace(load_config(), data_dir=Path(_KIVY_HOME), fullscreen=False, kiosk_mode=False),
               windowed=True, size=(1280, 800))


#: The app's clock starts here, whatever the wall clock says, and runs on with real time.
APP_START = datetime(2027, 4, 20, 10, 0, tzinfo=TIMEZONE)

#: A calendar for the day the app lives in: one activity on all day long, one that needs sign-up
#: (3 places) late in the evening (hours after the tests), and one tomorrow.
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
    data_dir = tmp_path_factory.mktemp("kiosk-ui-data")
    clock = RunningClock(APP_START)
    today = clock.now().date()
    calendar = data_dir.parent / "test-calendar.ics"
    calendar.write_text(TEST_CALENDAR.format(today=f"{today:%Y%m%d}",
                                             tomorrow=f"{today + timedelta(days=1):%Y%m%d}").replace("\n", "\r\n"))
    config = dataclasses.replace(load_config(), data_dir=data_dir, fullscreen=False, kiosk_mode=False,
                                 calendar_source=str(calendar))
    from kiosk.services import open_services

    services = open_services(config, clock)
    services.calendar.refresh()
    from kivy.base import EventLoop, runTouchApp

    from kiosk.ui.app import KioskApp

    kiosk_app = KioskApp(services)
    kiosk_app._run_prepare()
    runTouchApp(embedded=True)
    settle(kiosk_app)
    yield kiosk_app
    kiosk_app.stop()
    EventLoop.close()


def bring_into_sight(app, scroll, find):
    """Scroll ``scroll`` (a ScrollView) as a finger would, from the top down, until the widget ``find()`` gives
    (found again at each step: a live page may refill itself meanwhile) shows in it; that widget. Each step
    moves the content by half the view, so a long page (records of earlier tests) cannot be jumped over."""
    from visitor_robot import in_sight

    offset = 0.0
    while True:
        room = scroll.children[0].height - scroll.height  # how far the content can move
        scroll.scroll_y = 1 - min(1.0, offset / room) if room > 0 else 1
        settle(app)
        widget = find()
        if in_sight(widget, scroll):
            return widget
        if room <= 0 or offset >= room:
            break
        offset += scroll.height / 2
    raise AssertionError(f"{widget} at {widget.to_window(*widget.center)} never shows in the scroll view at "
                         f"{scroll.to_window(*scroll.pos)} {scroll.size} (content {scroll.children[0].size})")


#: The window sizes the main flows are also tapped through at: the default, the 7" Raspberry Pi display, portrait.
WINDOW_SIZES = [(1280, 800), (800, 480), (720, 1280)]
#: Runs a test once at each of WINDOW_SIZES (the test takes the ``window_size`` fixture).
at_every_window_size = pytest.mark.parametrize("window_size", WINDOW_SIZES, indirect=True,
                                               ids=[f"{w}x{h}" for w, h in WINDOW_SIZES])


@pytest.fixture
def window_size(request, app):
    """The app's window at ``request.param`` for one test (the layout follows), then back to 1280x800."""
    from kivy.core.window import Window

    size = getattr(request, "param", (1280, 800))
    Window.size = size
    for _ in range(5):  # every screen made so far lays itself out again
        settle(app)
    app.go_home()
    settle(app)
    assert tuple(Window.size) == size
    yield size
    Window.size = (1280, 800)
    settle(app)


@pytest.fixture(autouse=True)
def start_home(request):
    if "app" in request.fixturenames:
        kiosk_app = request.getfixturevalue("app")
        kiosk_app.set_language("nl")
        kiosk_app.go_home()
        settle(kiosk_app)


def new_records(app, before: int) -> list[dict]:
    day = app.services.clock.now().date()
    return app.services.repo.records_for_day(day)[before:]


def record_count(app) -> int:
    return app.services.repo.count_for_day(app.services.clock.now().date())


