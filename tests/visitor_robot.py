"""A robot visitor: the real kiosk app in this process, tapped through with real touch events.

For the long runs that need the whole app: the memory and frame benchmarks (tests/bench) and the soak,
full-disk and power-cut tests (tests/reliability). Kivy has one window per process, so each of them runs
the app in a process of its own (a script that imports this module); tests/ui keeps its one app per
pytest session. Touches go through the window and the whole widget tree, as in tests/ui/conftest.py:
a touch (:func:`finger`, as ``kivy.tests.UnitTestTouch``) at a widget's centre, then frames stepped with
``EventLoop.idle()``.

    app = open_app(config)             # windowed 1280x800, embedded: the caller steps the frames
    robot = Visitor(app, random.Random(1))
    robot.visit()                      # one visitor: a check-in, a question, an idea, hearts, a smiley...
    close_app(app)

Needs a display (``scripts/with-display``) and ``KIVY_NO_ARGS=1`` (set here, before Kivy is imported).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import random
import resource
import time
from typing import Any, Callable

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")

#: Letters the robot types (and what a phone number is made of).
LETTERS = "azertyuiopqsdfghjklmwxcvbn"
DIGITS = "0123456789"


# -- the app ----------------------------------------------------------------------------------------------
def open_app(config, clock=None, size: tuple[int, int] = (1280, 800), maxfps: int | None = None):
    """The real KioskApp on ``config`` (its data folder), windowed, built and showing its first frame."""
    from kiosk.services import open_services
    from kiosk.ui.launch import configure_kivy

    config = dataclasses.replace(config, fullscreen=False, kiosk_mode=False)
    services = open_services(config, clock)
    configure_kivy(config, windowed=True, size=size)
    if maxfps is not None:
        from kivy.config import Config as KivyConfig

        KivyConfig.set("graphics", "maxfps", str(maxfps))
    from kivy.base import runTouchApp

    from kiosk.ui.app import KioskApp

    app = KioskApp(services)
    app._run_prepare()
    runTouchApp(embedded=True)
    settle(app)
    return app


def close_app(app) -> None:
    from kivy.base import EventLoop

    app.stop()
    EventLoop.close()


def set_maxfps(fps: int) -> None:
    """Frames per second the Kivy clock keeps to (0: as fast as possible)."""
    from kivy.clock import Clock

    Clock._max_fps = float(fps)


# -- touching and stepping ----------------------------------------------------------------------------------
#: Draw one frame in this many (1: every frame, as the real app). Long runs that only count memory
#: draw less: a software renderer takes ~40 ms a frame, and layout, text and touches need no drawing.
draw_every = 1
_frame_count = 0


def frames(count: int = 2) -> None:
    """Step Kivy's main loop ``count`` times (``EventLoop.idle()``, drawing one in ``draw_every``)."""
    global _frame_count
    from kivy.base import EventLoop

    for _ in range(count):
        _frame_count += 1
        if draw_every <= 1 or _frame_count % draw_every == 0:
            EventLoop.idle()
        else:  # idle() without the drawing
            from kivy.clock import Clock
            from kivy.lang import Builder

            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Step frames until ``condition()`` holds (a worker's answer arrives through the clock)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited in vain")
        frames(1)
        time.sleep(0.01)


def settle(app, timeout: float = 5.0) -> None:
    """Step frames until no screen transition is running."""
    deadline = time.monotonic() + timeout
    frames(2)
    while app.root.transition.is_active and time.monotonic() < deadline:
        frames(1)
    frames(2)


#: When a list, the tap's own work (ms) is added to it for every tap and key press: the touch handlers and
#: the layout of the next frame, without its drawing (see ``_timed``).
tap_work_ms: list[float] | None = None


def _timed(action: Callable[[], Any]) -> float:
    """Milliseconds of ``action`` (a touch going down or up) with what it sets off before the next frame is
    drawn: callbacks due now, then the layout (kv rules and triggered layouts, as ``EventLoop.idle()``
    runs them before drawing)."""
    from kivy.clock import Clock
    from kivy.lang import Builder

    began = time.perf_counter()
    action()
    Clock._process_events()
    Builder.sync()
    Clock.tick_draw()
    Builder.sync()
    return (time.perf_counter() - began) * 1000


def _touch(action: Callable[[], Any]) -> None:
    if tap_work_ms is None:
        action()
    else:
        tap_work_ms.append(_timed(action))


def tap(app, widget) -> None:
    """A real touch at the widget's centre, through the window and the whole widget tree."""
    if widget.get_root_window() is None or not in_window(widget):
        raise RobotLost(f"{widget} is not on screen ({app.current})")
    touch = finger(*widget.to_window(*widget.center))
    if tap_work_ms is None:
        touch.touch_down()
        frames(1)
        touch.touch_up()
    else:  # the finger down and up are one tap; the frame drawn between them is not its work
        down = _timed(touch.touch_down)
        frames(1)
        tap_work_ms.append(down + _timed(touch.touch_up))
    settle(app)


_Finger = None


def finger(x: float, y: float):
    """A touch at window position (x, y): ``touch_down()``, ``touch_move(x, y)``, ``touch_up()`` go through
    the window and the whole widget tree, as ``kivy.tests.UnitTestTouch`` does. Not that one itself:
    importing ``kivy.tests`` imports pytest, pygments and unittest (some 140 modules, ~6 MB), and the
    benchmarks would count them as the kiosk's memory."""
    global _Finger
    if _Finger is None:
        from kivy.base import EventLoop
        from kivy.input.motionevent import MotionEvent

        class Finger(MotionEvent):
            def __init__(self, x, y):
                super().__init__("Finger", 99, self._where(x, y), is_touch=True, type_id="touch")
                self.profile = ["pos"]

            @staticmethod
            def _where(x, y):
                window = EventLoop.window
                return {"x": x / (window.width - 1.0), "y": y / (window.height - 1.0)}

            def depack(self, args):
                self.sx, self.sy = args["x"], args["y"]
                super().depack(args)

            def touch_down(self):
                EventLoop.post_dispatch_input("begin", self)

            def touch_move(self, x, y):
                self.move(self._where(x, y))
                EventLoop.post_dispatch_input("update", self)

            def touch_up(self):
                EventLoop.post_dispatch_input("end", self)

        _Finger = Finger
    return _Finger(x, y)


def in_window(widget) -> bool:
    """Whether the centre of ``widget`` is inside the window, where a finger can reach it."""
    from kivy.core.window import Window

    x, y = widget.to_window(*widget.center)
    return 0 <= x <= Window.width and 0 <= y <= Window.height


def in_sight(widget, viewport) -> bool:
    """Whether the centre of ``widget`` shows inside ``viewport`` (a scroll view), where a finger can tap it."""
    x, y = widget.to_window(*widget.center)
    left, bottom = viewport.to_window(*viewport.pos)
    return left <= x <= left + viewport.width and bottom <= y <= bottom + viewport.height


def press(app, *names: str) -> None:
    """Real touches on keys of the on-screen keyboard: characters, or the function keys by name."""
    for name in names:
        pressed = key(app, name)
        if pressed.get_root_window() is None or not in_window(pressed):
            raise RobotLost(f"{name!r} is not on screen ({app.current})")
        touch = finger(*pressed.to_window(*pressed.center))
        _touch(lambda: (touch.touch_down(), touch.touch_up()))
        frames(1)


def key(app, name: str):
    """The key on the current screen that types ``name``, or the function key called ``name``."""
    for candidate in screen(app).keyboard.keys():
        if candidate.action == name or (candidate.action == "char" and candidate.symbol == name):
            return candidate
    raise RobotLost(f"no key {name!r} on {app.current}")


def screen(app):
    return app.root.current_screen


def tile(app, key: str):
    """The tile for an answer on the current choice screen, or a home tile by flow name."""
    current = screen(app)
    grid = current.ids.get("grid") or current.ids.get("tiles")
    for child in grid.children:
        if getattr(child, "key", None) == key or getattr(child, "target", None) == key:
            return child
    raise RobotLost(f"no tile {key!r} on {current.name}")


class RobotLost(AssertionError):
    """The app is not where the robot expected it to be."""


def expect(app, name: str) -> None:
    if app.current != name:
        raise RobotLost(f"expected the {name} screen, the app shows {app.current}")


# -- measuring ----------------------------------------------------------------------------------------------
def rss_mb() -> float:
    """Resident memory of this process now, in MB (after a garbage collection)."""
    gc.collect()
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def rest(app) -> None:
    """Stay on the home screen without a touch until the kiosk rests (as between two visitors)."""
    from kiosk.ui.app import REST_SECONDS

    expect(app, "home")
    deadline = time.monotonic() + REST_SECONDS + 2
    while time.monotonic() < deadline and not app._rested:
        frames(1)
        time.sleep(0.01)
    if not app._rested:
        raise RobotLost("the kiosk did not rest on the home screen")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class FrameTimer:
    """Intervals (ms) between frames while recording: the time from one pass of Kivy's main loop to the
    next, drawn or not, with whatever the app did in between (touch handlers, storing a record)."""

    def __init__(self):
        from kivy.clock import Clock

        self.intervals: list[float] = []
        self._last: float | None = None
        self.recording = False
        Clock.schedule_interval(self._tick, 0)  # once per frame

    def _tick(self, _dt):
        now = time.perf_counter()
        if self.recording and self._last is not None:
            self.intervals.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last, self.recording = None, True

    def stop(self) -> list[float]:
        self.recording = False
        return self.intervals


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


# -- the visitors -------------------------------------------------------------------------------------------
class Visitor:
    """Taps through the app as visitors do, at random (seeded); every visit ends on the home screen."""

    def __init__(self, app, rng: random.Random):
        self.app = app
        self.rng = rng
        self.saved: dict[str, int] = {}  # what the app should have stored, by record type

    #: What one visitor does, with how often.
    def visit(self, walk_away: bool = False) -> str:
        """One visitor. ``walk_away``: leave in the middle of a flow and let idle care end the visit."""
        if walk_away:
            self.walk_away()
            return "walk_away"
        kinds: list[tuple[Callable[[], Any], int]] = [
            (self.check_in, 10), (self.ask_question, 4), (self.propose_idea, 2), (self.support_ideas, 2),
            (self.smiley_at_home, 2), (self.privacy, 1), (self.switch_language, 1),
        ]
        action = self.rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
        action()
        expect(self.app, "home")
        return action.__name__

    def _count(self, rtype: str) -> None:
        self.saved[rtype] = self.saved.get(rtype, 0) + 1

    def _done_then_home(self) -> None:
        expect(self.app, "done")
        if screen(self.app).error:
            raise RobotLost(f"saving failed: {screen(self.app).error}")
        if self.rng.random() < 0.3 and screen(self.app).feedback:  # smileys only when a visitor leaves
            self._tap_smiley(screen(self.app))
        tap(self.app, screen(self.app).ids.home)

    def _tap_smiley(self, where) -> None:
        smileys = [w for w in where.ids.smileys.ids.smileys.children if hasattr(w, "score")]
        day = self.app.services.clock.now().date()
        before = self.app.services.repo.count_for_day(day)
        tap(self.app, self.rng.choice(smileys))
        if self.app.services.repo.count_for_day(day) > before:  # thanked always, stored once in a while
            self._count("feedback")

    def _type(self, text: str) -> None:
        for char in text:
            if char in DIGITS and screen(self.app).keyboard.layer in ("symbols", "digits"):
                press(self.app, char)
            elif char in DIGITS:
                press(self.app, "layer", char, "layer")
            elif char == " ":
                press(self.app, "space")
            elif char.isupper() and not screen(self.app).keyboard.shift:  # a name starts with shift on
                press(self.app, "shift", char)
            elif char.isupper():
                press(self.app, char)
            else:
                press(self.app, char)

    def _word(self, low: int = 3, high: int = 10) -> str:
        word = "".join(self.rng.choice(LETTERS) for _ in range(self.rng.randint(low, high)))
        return word.capitalize() if self.rng.random() < 0.5 else word

    def check_in(self) -> None:
        app = self.app
        tap(app, tile(app, "checkin"))
        expect(app, "checkin_count")
        count = screen(app)
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            tap(app, count.ids.adult_count.children[0])
        for _ in range(self.rng.choice([0, 0, 0, 1, 2])):
            tap(app, count.ids.child_count.children[0])
        tap(app, count.ids.next)
        if self.rng.random() < 0.1:  # back once, then on again
            tap(app, screen(app).ids.nav.ids.back)
            tap(app, screen(app).ids.next)
        tap(app, tile(app, self.rng.choice(["yes", "no", "skip"])))
        tap(app, tile(app, self.rng.choice([c.key for c in screen(app).choices])))  # today's activities vary
        self._count("checkin")
        self._done_then_home()

    def every_kind(self, walk_away: bool = True) -> None:
        """One visitor of each kind, every screen shown at least once (a warm-up before measuring), in
        each language in turn."""
        for button in screen(self.app).ids.languages.children:
            tap(self.app, button)
            self.every_kind_once(walk_away=False)
        if walk_away:
            self.walk_away()

    def every_kind_once(self, walk_away: bool = True) -> None:
        """One visitor of each kind, in the language shown."""
        self.check_in()
        self.ask_question(contact=True)
        self.ask_question(contact=False)
        self.propose_idea()
        self.support_ideas()
        self.smiley_at_home()
        self.privacy()
        self.switch_language()
        if walk_away:
            self.walk_away()

    def ask_question(self, contact: bool | None = None) -> None:
        app = self.app
        tap(app, tile(app, "question"))
        tap(app, tile(app, self.rng.choice(["paperwork", "homehelp", "digital", "money", "housing", "health"])))
        tap(app, tile(app, self.rng.choice(["yes", "no"])))
        expect(app, "q_text")
        if self.rng.random() < 0.5:
            self._type(f"{self._word()} {self._word()}")
            tap(app, screen(app).ids.next)
        else:
            tap(app, screen(app).ids.skip)
        if contact is None:
            contact = self.rng.random() < 0.3
        tap(app, tile(app, "yes" if contact else "no"))
        if contact:
            self._type(self._word(3, 8).capitalize())
            tap(app, screen(app).ids.next)
            self._type("04" + self.rng.choice("789") + "".join(self.rng.choice(DIGITS) for _ in range(7)))  # a mobile
            tap(app, screen(app).ids.next)
        self._count("question")
        self._done_then_home()

    def propose_idea(self) -> None:
        app = self.app
        tap(app, tile(app, "wall"))
        tap(app, screen(app).ids.new_idea)
        tap(app, tile(app, self.rng.choice(["walking", "cooking", "making", "trip", "learning", "other"])))
        expect(app, "i_title")
        if self.rng.random() < 0.7:
            self._type(f"{self._word()} {self._word()}")
            tap(app, screen(app).ids.next)
        else:
            tap(app, screen(app).ids.skip)
        tap(app, screen(app).ids.skip)  # no longer text
        tap(app, tile(app, "no"))
        self._count("idea")
        self._done_then_home()

    def support_ideas(self) -> None:
        app = self.app
        tap(app, tile(app, "wall"))
        expect(app, "wall")
        wall = screen(app)
        cards = [card for card in wall.ids.cards.children if in_sight(card.ids.heart, wall.ids.scroll)]
        for card in self.rng.sample(cards, min(len(cards), self.rng.randint(0, 2))):
            before = card.support
            tap(app, card.ids.heart)
            if card.support > before:
                self._count("vote")
        tap(app, screen(app).ids.nav.ids.home)

    def smiley_at_home(self) -> None:
        self._tap_smiley(screen(self.app))

    def privacy(self) -> None:
        tap(self.app, screen(self.app).ids.privacy)
        expect(self.app, "privacy")
        tap(self.app, screen(self.app).ids.nav.ids.back)

    def switch_language(self) -> None:
        buttons = list(screen(self.app).ids.languages.children)
        tap(self.app, self.rng.choice(buttons))

    def walk_away(self, timeout: float = 30.0) -> None:
        """Start a check-in, leave; idle care asks "still there?", counts down and ends the visit."""
        app = self.app
        timeout_before = app.idle_timeout, app.idle_countdown
        app.idle_timeout, app.idle_countdown = 1, 1  # seconds, not the configured minute
        try:
            tap(app, tile(app, "checkin"))
            tap(app, screen(app).ids.next)
            deadline = time.monotonic() + timeout
            opened = False
            while app.current != "home" or app.overlay.is_open:
                opened = opened or app.overlay.is_open
                if time.monotonic() > deadline:
                    raise RobotLost("idle care did not end the visit")
                frames(1)
            settle(app)
        finally:
            app.idle_timeout, app.idle_countdown = timeout_before
        if not opened:
            raise RobotLost("the visit ended without asking \"are you still there?\"")
