"""The sizes of the window shown now, by size class (see ``theme.SIZES``), and a label whose text always fits.

kv files read sizes from ``ui`` (``#:import ui kiosk.ui.sizes.ui``, then ``font_size: int(sp(ui.body_sp))``):
they follow the window when it changes size, so every screen, and any widget added later, takes the sizes
of the window it is on. ``ui.small`` and ``ui.portrait`` let a layout change shape (two rows of tiles, a
keyboard under the field). A font size is a whole number of pixels: Kivy opens a font for each size as
written, and 24.0 next to 24 would be the same font opened twice.
"""

from __future__ import annotations

import collections
import copy
import math
import re
import weakref

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.event import EventDispatcher
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from kiosk.ui import theme

SOFT_HYPHEN = "\u00ad"
#: A space before ? ! : ; » (French) is kept with the word before it.
_FRENCH_SPACE = re.compile(r" ([?!:;»])")
#: Where Kivy may wrap a line: spaces and line ends (not the no-break space).
_BREAKS = re.compile(r"[ \n\t]+")


class WindowSizes(EventDispatcher):
    """The size class of the window and the sizes that go with it."""

    level = OptionProperty("large", options=("small", "medium", "large"))
    portrait = BooleanProperty(False)
    small = BooleanProperty(False)
    """The 7" 800x480 class: tighter spacing, and a visitor-text floor of ``theme.SMALL_TEXT_FLOOR_SP``."""
    floor_sp = NumericProperty(theme.TEXT_FLOOR_SP)
    """The smallest visitor text on this window."""

    title_sp = NumericProperty(theme.TITLE_SP)
    body_sp = NumericProperty(theme.BODY_SP)
    small_sp = NumericProperty(theme.SMALL_SP)
    tile_label_sp = NumericProperty(theme.TILE_LABEL_SP)
    number_sp = NumericProperty(64)
    nav_dp = NumericProperty(theme.NAV_HEIGHT_DP)
    nav_button_dp = NumericProperty(280)
    padding_dp = NumericProperty(theme.PADDING_DP)
    gap_dp = NumericProperty(24)
    target_dp = NumericProperty(theme.MIN_TARGET_DP)
    row_dp = NumericProperty(130)
    pictogram_dp = NumericProperty(120)
    key_dp = NumericProperty(theme.KEY_HEIGHT_DP)
    width_dp = NumericProperty(1280)
    height_dp = NumericProperty(800)

    def follow(self, window) -> None:
        """Take the sizes of ``window`` now and whenever it changes size."""
        window.bind(size=lambda _, size: self.update(*size))
        self.update(*window.size)

    def update(self, width_px: float, height_px: float) -> None:
        width, height = width_px / dp(1), height_px / dp(1)
        kind = theme.size_class(width, height)
        self.width_dp, self.height_dp = width, height
        self.level, self.portrait, self.small = kind.level, kind.portrait, kind.small
        self.floor_sp = theme.text_floor_sp(kind.small)
        for name, value in theme.SIZES[kind.level].items():
            setattr(self, name, value)


ui = WindowSizes()


#: What FitLabel.fit found, by everything it depends on: the same few dozen texts come back on every visit
#: (a screen is reused for each step of its kind, and its words change at every step).
_fitted: dict[tuple, tuple[int, str]] = {}
FITTED_KEPT = 2048

#: Text already rendered, by its words and everything that shapes its pixels (the renderer that drew it,
#: which keeps its texture): a step, a screen or a language that comes back shows its words without drawing
#: them again. Up to RENDERED_KEPT_BYTES of texture, the least recently shown let go first.
_rendered: collections.OrderedDict[tuple, CoreLabel] = collections.OrderedDict()
_rendered_bytes = 0
RENDERED_KEPT_BYTES = 16 * 1024 * 1024


#: FitLabels on a screen that is not shown whose words changed meanwhile (a language switch changes every
#: screen's): fitted and drawn when their screen is shown again (:func:`fit_waiting`), not all at once in
#: the frame after the tap.
_waiting: weakref.WeakSet[FitLabel] = weakref.WeakSet()


def fit_waiting(*_) -> None:
    """Fit and draw the labels that waited while their screen was hidden and is about to be shown."""
    for label in list(_waiting):
        if not label._hidden():
            _waiting.discard(label)
            label.fit()
            label._trigger_texture()


#: :func:`fit_waiting` before the next frame is drawn: after whatever the screen being shown changes in
#: its own ``on_pre_enter`` (a text screen takes the keyboard there).
fit_waiting_before_drawing = Clock.create_trigger(fit_waiting, -1)


class CentredText(CoreLabel):
    """Kivy's text renderer, with a texture only as wide as the widest line when the text is centred.

    Kivy makes the texture as wide as ``text_size``: for a title across a 1280 px window, mostly transparent
    pixels, kept in memory and blended on every frame. Label draws its texture in its middle, so centred
    text stays exactly where it was.
    """

    def render(self, real=False):
        size = super().render(real)
        if real or self.options["halign"] != "center" or not self._cached_lines:
            return size
        padding = self.options["padding"]
        widest = max(line.w for line in self._cached_lines) + padding[0] + padding[2]
        return min(size[0], math.ceil(widest)), size[1]


class FitLabel(Label):
    """A label whose text fits its width, and its height when ``fit_height``: wrapped at spaces only; while a
    word (or, with ``fit_height``, the whole text) does not fit, the font gets smaller, down to ``min_font_size``;
    a word still too wide is then broken where its translation allows (a soft hyphen, U+00AD, from the
    .po catalogue) and shows a hyphen there. Never a cut inside a word elsewhere.

    Set ``text`` and ``max_font_size`` as on any label (the text as given is kept in ``full_text``).
    """

    full_text = StringProperty("")
    max_font_size = NumericProperty(sp(theme.BODY_SP))
    min_font_size = NumericProperty(sp(theme.TEXT_FLOOR_SP))
    fit_height = BooleanProperty(False)
    max_lines_fit = NumericProperty(0)
    """When more than 0: the font gets smaller (down to the floor) until the text takes at most this many lines."""

    font_role = OptionProperty("body", options=("body", "small", "title"))
    """Which of the window's text sizes a SizedLabel (BigLabel, Title, StaffText) starts from (``ui.body_sp``,
    ...), plus ``font_step`` sp. Set these, not ``max_font_size``, on one: the rule's own binding to the
    window's sizes would win over the instance's whenever only the rule's size changes with the window."""

    font_step = NumericProperty(0)

    def __init__(self, **kwargs):
        self._fitting, self._ready = False, False
        self._fit_trigger = Clock.create_trigger(lambda dt: self.fit(), -1)
        super().__init__(**kwargs)
        self.text_size = (self.width, None)
        for name in ("max_font_size", "min_font_size", "fit_height", "max_lines_fit", "width", "bold", "padding"):
            self.fbind(name, self._fit_trigger)
        self.fbind("height", self._height_changed)
        self.full_text = self.text
        self._ready = True
        self.fit()

    def _create_label(self):
        super()._create_label()
        if type(self._label) is CoreLabel:  # not markup: the same renderer, with a narrower texture
            self._label.__class__ = CentredText

    def _hidden(self) -> bool:
        """On a screen of the screen manager that is not shown now (a screen being made is not hidden)."""
        widget = self.parent
        while widget is not None and not isinstance(widget, Screen):
            widget = None if widget.parent is widget else widget.parent  # the window is its own parent
        return widget is not None and widget.manager is not None and widget.parent is None

    def texture_update(self, *largs):
        """Kivy's, but text rendered before with the same looks shows the texture it got then (``_rendered``).
        On a hidden screen, not until it is shown."""
        if self._hidden():
            _waiting.add(self)
            return
        renderer = self._label
        if type(renderer) is not CentredText or not renderer.text:  # markup, or nothing to draw: as Kivy does
            super().texture_update(*largs)
            return
        looks = (renderer.text, tuple(renderer.text_size), repr(renderer.options))
        done = _rendered.get(looks)
        if done is not None:
            _rendered.move_to_end(looks)
            self.texture, self.texture_size = done.texture, list(done.texture.size)
            self.is_shortened = done.is_shortened
        else:
            super().texture_update(*largs)
            if renderer.texture is None or renderer.texture is renderer.texture_1px:
                return
            # The renderer stays with its texture: it fills it when first drawn, and again should the GPU lose
            # it (Android). The label renders its next text with a renderer of its own.
            done = _keep_rendered(looks, renderer)
            self._label = copy.copy(renderer)
            self._label.options = {k: list(v) if isinstance(v, list) else v for k, v in renderer.options.items()}
            self._label.texture = None
        self._shown = done  # whatever the cache lets go, the text shown keeps its renderer

    def on_text(self, _, text):
        if not self._ready:
            self.full_text = text
        elif not self._fitting:
            self.full_text = text
            # fitted before the next frame: text set again inside its own change is lost for the drawing
            self._fit_trigger()

    def _height_changed(self, *_):
        if self.fit_height:
            self._fit_trigger()

    def fit(self) -> None:
        if self._hidden():
            _waiting.add(self)
            return
        width = max(1.0, self.width - self.padding[0] - self.padding[2])
        looks = (self.full_text, width, self.max_font_size, self.min_font_size, self.max_lines_fit, self.bold,
                 self.font_name, self.halign, self.line_height,
                 self.fit_height and self.height - self.padding[1] - self.padding[3])
        fitted = _fitted.get(looks)
        if fitted is None:
            fitted = _fitted[looks] = self._fitted(width)
            if len(_fitted) > FITTED_KEPT:
                _fitted.clear()
        size, text = fitted
        self._fitting = True
        try:
            self.font_size = size
            self.text = text.replace(SOFT_HYPHEN, "")
            self.text_size = (self.width, None)
        finally:
            self._fitting = False

    def _fitted(self, width: float) -> tuple[int, str]:
        """The font size and the text (wrapped where it must) at which the text fits."""
        source = self._source = _FRENCH_SPACE.sub("\u00a0\\1", self.full_text)  # "aujourd'hui ?": "?" stays
        words = _BREAKS.split(source.replace(SOFT_HYPHEN, "").strip())
        size = largest_fitting(self.max_font_size, self.min_font_size, lambda size: self._fits(words, size, width))
        text = source
        if any(self._width(word, size) > width for word in words):
            text = hyphenate(text, lambda piece: self._width(piece, size), width)
        return size, text

    def _fits(self, words, size, width) -> bool:
        if any(self._width(word, size) > width for word in words):
            return False
        if not self.fit_height and not self.max_lines_fit:
            return True
        core = CoreLabel(text=self._source.replace(SOFT_HYPHEN, ""), font_size=size, bold=self.bold,
                         font_name=self.font_name, text_size=(width, None), halign=self.halign,
                         line_height=self.line_height)
        height = core.render()[1]
        if self.max_lines_fit and height > self.max_lines_fit * core.get_extents("Ag")[1] * self.line_height + 2:
            return False
        return not self.fit_height or height <= self.height - self.padding[1] - self.padding[3]

    def _width(self, word: str, size: float) -> float:
        return _word_width(word, size, self.bold, self.font_name)


def largest_fitting(largest: float, smallest: float, fits) -> int:
    """The largest whole pixel size from ``largest`` down to ``smallest`` for which ``fits(size)`` holds (a
    smaller size fits whatever a larger one fits), else the smallest. A binary search: a label tries some
    4 sizes instead of up to 14, and every size tried is a font opened and text measured (or laid out)."""
    high, low = math.floor(largest + 1e-6), math.ceil(smallest - 1e-6)
    if high <= low or fits(high):
        return high
    if not fits(low):
        return low
    good, bad = low, high
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(middle):
            good = middle
        else:
            bad = middle
    return good


_widths: dict = {}


def word_width(word: str, size_px: float, bold: bool = False, font_name: str = "Roboto") -> float:
    """How wide ``word`` is at ``size_px``: measured, not drawn (cached)."""
    return _word_width(word, size_px, bold, font_name)


def _word_width(word: str, size: float, bold: bool, font_name: str) -> float:
    size = int(size)  # the size Kivy opens the font at: 24.0 and 24.6 are font 24, measured and opened once
    key = (word, size, bold, font_name)
    if key not in _widths:
        if len(_widths) > 4096:
            _widths.clear()
        _widths[key] = CoreLabel(font_size=size, bold=bold, font_name=font_name).get_extents(word)[0]
    return _widths[key]


def _keep_rendered(looks: tuple, renderer: CoreLabel) -> CoreLabel:
    global _rendered_bytes
    _rendered[looks] = renderer
    _rendered_bytes += _texture_bytes(renderer)
    while _rendered_bytes > RENDERED_KEPT_BYTES and len(_rendered) > 1:
        _rendered_bytes -= _texture_bytes(_rendered.popitem(last=False)[1])
    return renderer


def _texture_bytes(renderer: CoreLabel) -> int:
    return renderer.texture.width * renderer.texture.height * 4


def hyphenate(text: str, width_of, room: float) -> str:
    """``text`` with each word wider than ``room`` broken over lines at its soft hyphens (shown as "-")."""
    lines = []
    for line in text.split("\n"):
        words = []
        for word in line.split(" "):
            plain = word.replace(SOFT_HYPHEN, "")
            if SOFT_HYPHEN not in word or width_of(plain) <= room:
                words.append(word)
                continue
            pieces, parts, current = word.split(SOFT_HYPHEN), [], ""
            for piece in pieces:
                if current and width_of(current + piece + "-") > room:
                    parts.append(current + "-")
                    current = piece
                else:
                    current += piece
            parts.append(current)
            words.append("\n".join(parts))
        lines.append(" ".join(words))
    return "\n".join(lines)


def best_columns(count: int, width: float, height: float, spacing: float) -> int:
    """How many columns a grid of ``count`` tiles in ``width`` x ``height`` should have: the one that makes
    the tiles' shorter side longest (four in a row on a wide screen, two rows of two on a small or tall one)."""
    if count <= 1 or width <= 0 or height <= 0:
        return max(1, count)

    def shorter_side(cols: int) -> float:
        rows = -(-count // cols)
        return min((width - spacing * (cols - 1)) / cols, (height - spacing * (rows - 1)) / rows)

    return max(range(1, count + 1), key=lambda cols: (shorter_side(cols), -cols))


class TileGrid(GridLayout):
    """A grid of tiles that takes the number of columns that suits its size (see :func:`best_columns`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cols = 1
        self._shape_trigger = Clock.create_trigger(lambda dt: self.reshape(), -1)
        self.fbind("size", self._shape_trigger)

    def on_children(self, *_):
        self._shape_trigger()

    def reshape(self) -> None:
        inner_w = self.width - self.padding[0] - self.padding[2]
        inner_h = self.height - self.padding[1] - self.padding[3]
        self.cols = best_columns(len(self.children), inner_w, inner_h, self.spacing[0])
