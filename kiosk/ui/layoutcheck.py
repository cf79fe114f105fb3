"""``kiosk layout-check``: every visitor and staff screen at one window size, checked as a visitor sees it.

The walk is the screenshot tour (every step of every flow, the done screens, the idle overlay, the staff
pages after the PIN) followed by whatever the tour missed in the app's own lists (``FLOWS``, the visitor
``SCREENS``, the staff pages), so a screen added later is checked without changing this file. Each screen is
shown in the real widget tree at the window's size, the layout settles (no drawing is needed), and every
visible widget is measured:

- a label whose text does not fit its widget (clipped, overflowing or shortened with "…");
- a word wider than its label, which Kivy would break in the middle;
- a widget partly outside the window, or sticking out of the box layout that holds it;
- two touch targets overlapping, a touch target under ``theme.MIN_TOUCH_DP``;
- visitor text under the floor (``theme.text_floor_sp``), a text field showing fewer than two lines;
- a layout that never settles (Kivy's clock warns of too much iteration while the screen is shown).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

from kiosk.ui import theme

#: Below these the kiosk does not promise a usable layout (the official 7" Raspberry Pi display).
SMALLEST_LANDSCAPE = (800, 480)
SMALLEST_PORTRAIT = (720, 960)
#: A pixel of slack for rounding.
SLACK = 1.5


@dataclass(frozen=True)
class Problem:
    screen: str
    lang: str
    widget: str
    problem: str


def too_small(size: tuple[int, int]) -> str | None:
    """Why ``size`` is below the smallest supported window, or None when it is supported."""
    width, height = size
    smallest = SMALLEST_LANDSCAPE if width >= height else SMALLEST_PORTRAIT
    if width < smallest[0] or height < smallest[1]:
        landscape, portrait = ("x".join(map(str, s)) for s in (SMALLEST_LANDSCAPE, SMALLEST_PORTRAIT))
        return (f"{width}x{height} is smaller than the smallest supported window: {landscape} (landscape) "
                f"or {portrait} (portrait)")
    return None


# -- the walk -----------------------------------------------------------------------------------------
def walk(app) -> Iterator[tuple[str, Callable[[], None]]]:
    """(screen name, action that shows it): the screenshot tour, then what the app has that it missed."""
    from kiosk.ui.app import SCREENS
    from kiosk.ui.flows import FLOWS
    from kiosk.ui.screenshots import start_first_signup, tour
    from kiosk.ui.staff import mode

    seen: set[str] = set()
    for name, action in tour(app):
        yield name, action
        seen.add(app.current)
    for flow in FLOWS.values():
        for index, step in enumerate(flow.steps):
            if step.name not in seen:
                yield f"{flow.name}-{step.name}", _show_step(app, flow.name, index, start_first_signup)
    for name in SCREENS:
        if name not in seen:
            yield name, lambda name=name: (app.end_visit(), app.show(name))
    for name in mode.SCREENS:
        if name not in seen:
            yield name, lambda name=name: (app.go_home(), setattr(app.staff, "logged_in", True), app.staff.show(name))


def _show_step(app, flow: str, index: int, start_signup) -> Callable[[], None]:
    def show() -> None:
        app.end_visit()
        if flow == "signup":
            start_signup(app)
        else:
            app.start_flow(flow)
        if app.flow is not None:  # no activity to sign up for in the coming week: nothing more to show
            app.show_step(index)
    return show


# -- measuring ----------------------------------------------------------------------------------------
def check_screen(app, screen: str, lang: str, small: bool) -> list[Problem]:
    """Every problem on what the window shows now (an open overlay, else the current screen)."""
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    overlays = [w for w in Window.children if isinstance(w, ModalView)]
    root = overlays[0] if overlays else app.root.current_screen
    staff = screen.startswith("staff") or root.name.startswith("staff") if hasattr(root, "name") else False
    found: list[Problem] = []
    targets: list[tuple[object, tuple[float, float, float, float]]] = []
    names = _id_names(root)

    def say(widget, problem: str) -> None:
        found.append(Problem(screen, lang, _describe(widget, names), problem))

    window = (0.0, 0.0, float(Window.width), float(Window.height))
    floor = 0 if staff else theme.text_floor_sp(small)
    _visit(root, 1.0, None, window, say, targets, floor)
    for n, (first, a) in enumerate(targets):
        for second, b in targets[n + 1:]:
            if _overlap(a, b) and not _related(first, second):
                say(first, f"touch target overlaps {_describe(second, names)}")
    return found


def _visit(widget, opacity, scroll, window, say, targets, floor) -> None:
    from kivy.metrics import sp
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.textinput import TextInput

    opacity *= widget.opacity
    if opacity < 0.05 or widget.width < 1 or widget.height < 1:
        return
    rect = _window_rect(widget)
    if scroll is None:
        if not _inside(rect, window):
            say(widget, "partly outside the window")
            return  # its children would only repeat it
        parent = widget.parent
        if _is_box(parent) and not _inside(rect, _window_rect(parent)):
            say(widget, "sticks out of its box")
    elif not _overlap(rect, scroll):
        return  # scrolled out of sight
    if isinstance(widget, (ButtonBehavior, TextInput)) and not (widget.disabled and opacity < 0.5):
        min_px = _dp(theme.MIN_TOUCH_DP)
        if widget.width < min_px - SLACK or widget.height < min_px - SLACK:
            say(widget, f"touch target {widget.width:.0f}x{widget.height:.0f} px, under {theme.MIN_TOUCH_DP} dp")
        targets.append((widget, rect if scroll is None else _clip(rect, scroll)))
    if isinstance(widget, Label) and widget.text.strip():
        _check_label(widget, say, floor, sp)
    if isinstance(widget, TextInput) and widget.multiline:
        lines_px = 2 * widget.line_height + widget.padding[1] + widget.padding[3]
        if widget.height < lines_px - SLACK:
            say(widget, "text field shows fewer than 2 lines")
    if isinstance(widget, ScrollView):
        scroll = rect if scroll is None else _clip(rect, scroll)
    for child in widget.children:
        _visit(child, opacity, scroll, window, say, targets, floor)


_MARKUP = re.compile(r"\[/?[a-z_]+(=[^\]]*)?\]")
_SIZE_TAG = re.compile(r"\[size=(\d+(?:\.\d+)?)(?:px)?\]")


def _check_label(label, say, floor_sp, sp) -> None:
    from kivy.core.text import Label as CoreLabel

    text = _MARKUP.sub("", label.text) if label.markup else label.text
    sizes = [label.font_size] + ([float(s) for s in _SIZE_TAG.findall(label.text)] if label.markup else [])
    if floor_sp and min(sizes) < sp(floor_sp) - 0.5:
        say(label, f"text {min(sizes) / sp(1):.0f} sp, under the floor of {floor_sp} sp")
    wrap_width = label.text_size[0]
    pad_x = label.padding[0] + label.padding[2]
    if wrap_width is not None:
        if wrap_width > label.width + SLACK:
            say(label, "text is wrapped wider than its widget")
        room = wrap_width - pad_x
        measure = CoreLabel(font_size=label.font_size, bold=label.bold, font_name=label.font_name)
        for word in text.split():
            if measure.get_extents(word)[0] > room + SLACK:
                say(label, f"the word {word!r} is broken in the middle")
    if label.shorten and wrap_width is not None:
        one_line = CoreLabel(font_size=label.font_size, bold=label.bold, font_name=label.font_name).get_extents(text)[0]
        if one_line > wrap_width - pad_x + SLACK:
            say(label, "text shortened with …")
            return
    needed_w, needed_h = _needed_size(label)
    if needed_w > label.width + SLACK or needed_h > label.height + SLACK:
        how = "shortened with …" if label.shorten and needed_w > label.width + SLACK else "does not fit"
        say(label, f"text {how}: needs {needed_w:.0f}x{needed_h:.0f} px, has {label.width:.0f}x{label.height:.0f}")


def _needed_size(label) -> tuple[float, float]:
    """The size ``label``'s whole text takes, wrapped as the label wraps it, without shortening or clipping."""
    core_class = type(label._label)
    options = dict(label._label.options)
    options.update(text=label.text, text_size=(label.text_size[0], None), shorten=False, max_lines=0)
    options.pop("texture_size", None)
    core = core_class(**options)
    core.refresh()
    return tuple(core.texture.size) if core.texture else (0, 0)


# -- geometry -----------------------------------------------------------------------------------------
def _window_rect(widget) -> tuple[float, float, float, float]:
    x1, y1 = widget.to_window(widget.x, widget.y)
    x2, y2 = widget.to_window(widget.right, widget.top)
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _inside(rect, outer) -> bool:
    return (rect[0] >= outer[0] - SLACK and rect[1] >= outer[1] - SLACK
            and rect[2] <= outer[2] + SLACK and rect[3] <= outer[3] + SLACK)


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def _clip(rect, outer):
    return (max(rect[0], outer[0]), max(rect[1], outer[1]), min(rect[2], outer[2]), min(rect[3], outer[3]))


def _is_box(widget) -> bool:
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.gridlayout import GridLayout

    return isinstance(widget, (BoxLayout, GridLayout))


def _related(a, b) -> bool:
    """One holds the other (a button inside a button is one target)."""
    for inner, outer in ((a, b), (b, a)):
        widget = inner.parent
        while widget is not None and widget.parent is not widget:  # the window is its own parent
            if widget is outer:
                return True
            widget = widget.parent
    return False


def _dp(value: float) -> float:
    from kivy.metrics import dp

    return dp(value)


def _id_names(root) -> dict[int, str]:
    names: dict[int, str] = {}

    def collect(widget) -> None:
        for key, value in getattr(widget, "ids", {}).items():
            names.setdefault(id(value), key)
        for child in widget.children:
            collect(child)
    collect(root)
    return names


def _describe(widget, names: dict[int, str]) -> str:
    label = type(widget).__name__
    if id(widget) in names:
        label += f"#{names[id(widget)]}"
    text = getattr(widget, "text", "")
    if isinstance(text, str) and text.strip():
        text = _MARKUP.sub("", text).replace("\n", " ").strip()
        label += f" {text[:40]!r}"
    return label


# -- the run ------------------------------------------------------------------------------------------
def run_check(app, langs: list[str], sizes: list[tuple[int, int]], done: Callable[[dict], None]) -> None:
    """Check every screen in every language at each window size; ``done(report)`` with a report per size."""
    from kivy.clock import Clock
    from kivy.core.window import Window

    from kiosk.ui.widgets import Cut

    app.root.transition = Cut(duration=0)  # no wait for touches: the check taps nothing
    Clock._max_fps = 0.0  # nothing is drawn: no need to keep to a frame rate between layout passes
    app.idle_timeout = 10**6  # a slow machine must not end a visit halfway through a flow
    restless = _RestlessLayouts()
    reports = {}
    for size in sizes:
        Window.size = size
        _settle(40)  # every screen made so far lays itself out again
        small = theme.size_class(*_dp_size(size)).small
        problems: list[Problem] = []
        screens = 0
        for lang in langs:
            for name, action in walk(app):
                try:
                    action()
                    app.set_language(lang)
                    restless.seen = 0
                    _settle()
                    problems.extend(check_screen(app, name, lang, small))
                    if restless.seen:
                        problems.append(Problem(name, lang, "", "the layout never settles (a size that sets itself "
                                                                "back and forth)"))
                except Exception as error:  # noqa: BLE001 - a screen that cannot be shown is a problem too
                    problems.append(Problem(name, lang, "", f"could not be shown: {error}"))
                screens += 1
            if app.overlay.is_open:
                app.overlay.dismiss(animation=False)
            app.end_visit()
        reports[f"{size[0]}x{size[1]}"] = {"size": f"{size[0]}x{size[1]}", "screens": screens,
                                            "problems": [asdict(p) for p in problems]}
    restless.close()
    done(reports)


class _RestlessLayouts:
    """Counts Kivy's "too much iteration" warnings: layouts that keep laying each other out, frame after frame."""

    def __init__(self):
        import logging

        from kivy.logger import Logger

        self.seen = 0
        outer = self

        class Handler(logging.Handler):
            def emit(self, record):
                if "too much iteration" in record.getMessage():
                    outer.seen += 1

        self._handler, self._logger = Handler(), Logger
        Logger.addHandler(self._handler)

    def close(self) -> None:
        self._logger.removeHandler(self._handler)


def _dp_size(size: tuple[int, int]) -> tuple[float, float]:
    return size[0] / _dp(1), size[1] / _dp(1)


def _settle(rounds: int = 12) -> None:
    """Let layouts, kv bindings and label textures catch up, without drawing a frame."""
    from kivy.base import EventLoop
    from kivy.clock import Clock
    from kivy.lang import Builder

    for _ in range(rounds):
        Clock.tick()
        EventLoop.dispatch_input()
        Builder.sync()
        Clock.tick_draw()
        Builder.sync()
