"""The on-screen keyboard (Belgian AZERTY) and the text field it types into. Styling lives in keyboard.kv.

:class:`OnScreenKeyboard` shows a row of accented letters that is always there (é è ê ë à â ç ù û ï î ô:
one tap each, no long press), the AZERTY letters, and a digits/symbols layer behind the "123" key; a phone
number gets a number pad of big keys instead (``digits``: 0-9, space, +, backspace). Each
key types into :attr:`OnScreenKeyboard.target`, a :class:`TextField`, which keeps the keyboard focus so
that a USB keyboard or a scanner types into it as well (Kivy's own virtual keyboard is never used:
``configure_kivy`` sets ``keyboard_mode`` to ``system``).

:class:`TextField` keeps at most :attr:`TextField.max_length` characters of whatever arrives (keys,
hardware typing, a paste, ``text = ...``), drops control characters (see :mod:`kiosk.core.text`), and
says so through :attr:`TextField.cut_off`.

Keys act when the finger lifts on them (a finger that slides off types nothing); the drawn keys leave a
small gap, but every pixel of a row belongs to a key, so a shaky tap between two keys still lands.
"""

from __future__ import annotations

from kivy.cache import Cache
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.core.text import limit_text, strip_controls
from kiosk.i18n import N_
from kiosk.ui import theme

#: Accented letters, always visible (French and Dutch).
ACCENTS = "éèêëàâçùûïîô"

#: A row is a list of keys; a key is a character, or ``(action or character, units)``; ``None`` is one
#: unit of space. Every row is 12 units wide.
LAYERS = {
    "letters": [
        list("azertyuiop") + [("backspace", 2)],
        list("qsdfghjklm") + ["'", "-"],
        [("shift", 2)] + list("wxcvbn,.?!"),
    ],
    "symbols": [
        list("1234567890") + [("backspace", 2)],
        list("@-'\":;/€()+&"),
        [None] + list("#%*=_°<>§$") + [None],
    ],
    # the accented letters as big keys, behind the "é à ç" key of a compact keyboard
    "accents": [
        [(letter, 2) for letter in ACCENTS[:6]],
        [(letter, 2) for letter in ACCENTS[6:]],
        [("shift", 2)] + [None] * 8 + [("backspace", 2)],
    ],
    # a telephone's number pad, keys three units wide; shown alone (no accents, no layer key)
    "digits": [
        [("1", 3), ("2", 3), ("3", 3), ("backspace", 3)],
        [("4", 3), ("5", 3), ("6", 3), ("space", 3)],
        [("7", 3), ("8", 3), ("9", 3), ("+", 3)],
        [None, None, None, ("0", 3), None, None, None, None, None, None],
    ],
}
#: Under the letters and symbols. (No "done" key: the screen's own "Next" does that, one button for one thing.)
BOTTOM_ROW = [("layer", 2), ("space", 10)]
#: Under the letters of a compact keyboard, which has no accent row.
COMPACT_BOTTOM_ROW = [("layer", 2), ("accents", 2), ("space", 8)]
#: The rows around a layer: the accent row above, a bottom row under it.
ROWS_AROUND = {"accent_row": [list(ACCENTS)], "bottom": [BOTTOM_ROW], "compact_bottom": [COMPACT_BOTTOM_ROW]}
#: Layers shown without the accent row and the bottom row.
PADS = ("digits",)

#: What a function key shows: a symbol and a word (message id).
FUNCTION_KEYS = {
    "backspace": ("⌫", N_("Remove last")),  # not "Erase": staff's "Erase" wipes a whole record
    "shift": ("⇧", N_("Capital")),
    "space": ("", N_("space")),
    "done": ("✓", N_("Done")),
    "accents": ("é à ç", ""),
}
#: The layer key shows the layer it leads to: the symbols from the letters, else the letters.
LAYER_SYMBOLS = {"letters": "123 @€", "symbols": "abc", "accents": "abc", "digits": ""}

# Kivy's TextInput keeps the texture of every line it has drawn for 60 s, and typing draws the line
# again at every key: a minute of typing left some 150 textures (~10 MB) behind. It reuses only the
# lines on screen, so a few dozen are plenty. (Registered again here, after TextInput registered it.)
Cache.register("textinput.label", limit=40, timeout=60)


class TextField(TextInput):
    """A multi-line text field that keeps at most :attr:`max_length` clean characters."""

    max_length = NumericProperty(0)
    """Most characters kept (0: no limit). Lowering it cuts the text already there."""

    cut_off = BooleanProperty(False)
    """True once something typed or pasted did not fit; False again when there is room."""

    def insert_text(self, substring, from_undo=False):
        if isinstance(substring, bytes):
            substring = substring.decode("utf-8", "replace")
        room = int(self.max_length) - len(self.text)
        if not self.max_length:
            kept, cut = strip_controls(substring), False
        elif room > 0:
            kept, cut = limit_text(substring, room)
        else:  # full: anything visible is refused, and the visitor is told
            kept, cut = "", bool(limit_text(substring, 1)[0])
        if kept:
            super().insert_text(kept, from_undo=from_undo)
        if cut:
            self.cut_off = True

    def _set_limited_text(self, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        kept, cut = limit_text(text, int(self.max_length))
        TextInput._set_text(self, kept)
        if cut:
            self.cut_off = True

    text = AliasProperty(TextInput._get_text, _set_limited_text, bind=("_lines",), cache=True)
    """The text, as in TextInput; setting it (a paste, a program) is cleaned and cut like typing."""

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        if keycode[0] == 27:
            return True  # Esc keeps the focus: a USB keyboard or scanner goes on typing here
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def on_text(self, _, text):
        if not self.max_length or len(text) < self.max_length:
            self.cut_off = False

    def on_max_length(self, *_):
        self.text = self.text

    def clear(self) -> None:
        """Wipe the text and its undo history (nothing of a visitor may be left for the next one)."""
        self.cancel_selection()
        self.text = ""
        self.reset_undo()
        self.cut_off = False


def key_face(symbol: str, word: str, word_px: float, room: float = 0, symbol_px: float = 0) -> str:
    """What a key shows, in Kivy markup: its symbol in bold, then (function keys) a word in a smaller size.

    On a key narrower than ``room`` pixels needs (a small window), the word stays and the symbol goes; words
    still too wide go on a line each (broken at a soft hyphen if need be), in regular weight where bold
    would not fit, rather than smaller than the text floor. Sizes are whole pixels (``[size=24]``, the int 24),
    as every label's font size is: Kivy opens a font for each size as written, and 24.0 would be a second
    copy of font 24.
    """
    from kiosk.ui.sizes import SOFT_HYPHEN, hyphenate, word_width

    plain = word.replace(SOFT_HYPHEN, "")
    if plain and room and symbol and word_width(f"{symbol} ", symbol_px, True) + word_width(plain, word_px, True) > room:
        symbol = ""
    parts = []
    if symbol:
        symbol_face = f"[b]{escape_markup(symbol)}[/b]"
        if not plain and room and word_width(symbol, symbol_px, True) > room:  # e.g. "123 @€" on a narrow key
            symbol_face = f"[size={int(max(word_px, symbol_px * room / word_width(symbol, symbol_px, True)))}]{symbol_face}[/size]"
        parts.append(symbol_face)
    if plain:
        if room and word_width(plain, word_px) > room:  # a line per word, broken where the translation allows it
            plain = "\n".join(hyphenate(part, lambda piece: word_width(piece, word_px), room)
                              for part in word.split(" ")).replace(SOFT_HYPHEN, "")
        bold = not room or all(word_width(line, word_px, True) <= room for line in plain.split("\n"))
        face = f"[b]{escape_markup(plain)}[/b]" if bold else escape_markup(plain)
        parts.append(f"[size={int(word_px)}]{face}[/size]")
    return " ".join(parts)


#: Rendered key faces, by everything that decides their pixels: shift turns some 30 letters into capitals
#: and back, and rendering them again was most of the work of such a tap (~8 ms); a few hundred small
#: textures (a letter is some 30x40 pixels) are kept instead.
_FACES: dict[tuple, object] = {}
FACES_KEPT = 400


class Key(ButtonBehavior, Label):
    """One key of :class:`OnScreenKeyboard`: a symbol, and a word on function keys. It acts on release.

    A key is one label (its text is :func:`key_face`): some 50 keys are on screen, and a widget per part
    of a key made the keyboard cost 19 MB of memory.
    """

    action = OptionProperty("char", options=("char", "backspace", "shift", "layer", "accents", "space", "done"))
    """What the key does; ``char`` types :attr:`symbol`."""

    symbol = StringProperty("")
    """What the key shows first: the character it types (a capital while shift is on), or a sign."""

    label = StringProperty("")
    """Message id of a word shown after the symbol (function keys), or empty."""

    look = OptionProperty("letter", options=("letter", "accent", "function", "on", "done"))
    """The key's colours: a letter, an accented letter, a function key, shift switched on, done."""

    units = NumericProperty(1)
    """Width in twelfths of the keyboard."""

    def texture_update(self, *largs):
        """The face rendered before for the same text and looks (see ``_FACES``), else rendered now. (The
        properties a key sets; the others are Label's defaults, the same for every key.)"""
        face = (self.text, tuple(self.disabled_color if self.disabled else self.color), self.font_size,
                self.font_name, self.bold, self.halign, tuple(self.text_size), tuple(self.padding))
        texture = _FACES.get(face)
        if texture is None:
            super().texture_update(*largs)
            if self.texture is not None:
                if len(_FACES) >= FACES_KEPT:
                    _FACES.clear()
                _FACES[face] = self.texture
                self._label.texture = None  # the next face gets a texture of its own, not drawn over this one
            return
        self.texture = texture
        self.texture_size = list(texture.size)


class OnScreenKeyboard(BoxLayout):
    """Belgian AZERTY keys that type into :attr:`target`; the done key fires ``on_done``."""

    target = ObjectProperty(None, allownone=True)
    """The :class:`TextField` (or any TextInput) the keys type into."""

    layer = OptionProperty("letters", options=tuple(LAYERS))
    """The keys shown under the accent row: letters, digits and symbols, a number pad (or, compact, the accents)."""

    compact = BooleanProperty(False)
    """No accent row: the accented letters are a layer behind an "é à ç" key (set by keyboard.kv on a short
    landscape window). An accented letter typed there brings the letters back."""

    shift = BooleanProperty(False)
    """The next letter is a capital (one letter only; tap shift again to cancel)."""

    allow_done = BooleanProperty(True)
    """False greys out the done key (e.g. nothing typed yet where text is required)."""

    key_height = NumericProperty(0)
    """Height of a row of keys in pixels (0: ``theme.KEY_HEIGHT_DP``); a text screen gives the keyboard
    what room its window has left (see ``TextScreen.fit_keyboard``)."""

    panel = ListProperty()
    """The grey panel as a mesh (x, y, u, v per corner; two triangles a rectangle): the keyboard's rectangle
    less the faces of its keys, which are opaque and would hide it anyway. A panel under the keys was
    drawn again by them on every frame: ~4 ms of a frame's CPU (1280x800, Mesa llvmpipe)."""

    panel_indices = ListProperty()

    __events__ = ("on_done",)

    def __init__(self, **kwargs):
        self._rows: dict[str, list[KeyRow]] = {}
        self._panel_trigger = Clock.create_trigger(lambda dt: self.shape_panel(), -1)
        super().__init__(**kwargs)
        self.fbind("pos", self._panel_trigger)
        self.fbind("size", self._panel_trigger)
        self._show_layer()

    def shape_panel(self) -> None:
        """Cut the panel (:attr:`panel`) around the keys where they are now."""
        half_gap = dp(theme.KEY_GAP_DP) / 2
        rects, below = [], self.y
        for row in sorted(self.children, key=lambda row: row.y):
            faces = sorted((key for key in row.children if isinstance(key, Key) and key.opacity >= 1),
                           key=lambda key: key.x)
            if not faces:
                continue
            low, high = row.y + half_gap, row.top - half_gap
            rects.append((self.x, below, self.width, low - below))
            left = self.x
            for key in faces:
                rects.append((left, low, key.x + half_gap - left, high - low))
                left = key.right - half_gap
            rects.append((left, low, self.right - left, high - low))
            below = high
        rects.append((self.x, below, self.width, self.top - below))
        vertices, indices = [], []
        for x, y, width, height in rects:
            if width > 0 and height > 0:
                first = len(vertices) // 4
                vertices += [x, y, 0, 0, x + width, y, 0, 0, x + width, y + height, 0, 0, x, y + height, 0, 0]
                indices += [first, first + 1, first + 2, first, first + 2, first + 3]
        self.panel, self.panel_indices = vertices, indices

    # -- building ----------------------------------------------------------------------------------
    def _row(self, keys, look: str = "letter") -> BoxLayout:
        row = KeyRow()
        for key in keys:
            if key is None:
                row.add_widget(Widget(size_hint_x=1))
            elif isinstance(key, str):
                row.add_widget(self._key(action="char", symbol=key, look=look, units=1))
            elif len(key[0]) == 1:  # a wide character key (the number pad)
                row.add_widget(self._key(action="char", symbol=key[0], look=look, units=key[1]))
            else:
                action, units = key
                symbol, label = FUNCTION_KEYS.get(action, ("", ""))
                row.add_widget(self._key(action=action, symbol=symbol, label=label, units=units,
                                         look="done" if action == "done" else "function"))
        return row

    def _key(self, **kwargs) -> Key:
        key = Key(**kwargs)
        key.size_hint_x = key.units
        key.bind(on_release=self.press)
        return key

    def _made(self, name: str) -> list[KeyRow]:
        """The rows of a layer, or of the rows around one (ROWS_AROUND): made when first shown (most
        keyboards never need digits)."""
        if name not in self._rows:
            look = "accent" if name in ("accent_row", "accents") else "letter"
            self._rows[name] = [self._row(keys, look) for keys in ROWS_AROUND.get(name) or LAYERS[name]]
        return self._rows[name]

    def _show_layer(self) -> None:
        layer = "letters" if self.layer == "accents" and not self.compact else self.layer
        self.clear_widgets()
        if layer in PADS:
            rows = self._made(layer)
        elif self.compact:
            rows = [*self._made(layer), *self._made("compact_bottom")]
        else:
            rows = [*self._made("accent_row"), *self._made(layer), *self._made("bottom")]
        for row in rows:
            self.add_widget(row)
        for key in self.keys():
            if key.action == "layer":
                key.symbol = LAYER_SYMBOLS[layer]
        self._show_shift()

    def _show_shift(self) -> None:
        for key in self.keys():
            if key.action == "char":
                key.symbol = key.symbol.upper() if self.shift else key.symbol.lower()
            elif key.action == "shift":
                key.look = "on" if self.shift else "function"
            elif key.action == "accents":
                key.look = "on" if self.layer == "accents" else "function"

    def keys(self) -> list[Key]:
        """The keys on screen now, row by row from the top, left to right."""
        return [key for row in self.children[::-1] for key in row.children[::-1] if isinstance(key, Key)]

    def on_layer(self, *_):
        self._show_layer()

    def on_compact(self, *_):
        if not self.compact and self.layer == "accents":
            self.layer = "letters"  # shows the layer again, the accent row included
        else:
            self._show_layer()

    def on_shift(self, *_):
        self._show_shift()

    def on_allow_done(self, *_):
        for key in self.keys():
            if key.action == "done":
                key.disabled = not self.allow_done

    # -- typing ------------------------------------------------------------------------------------
    def press(self, key: Key) -> None:
        """What a key does when a finger lifts from it."""
        if key.action == "char":
            self.type_text(key.symbol)
            self.shift = False
            if self.layer == "accents":
                self.layer = "letters"
        elif key.action == "space":
            self.type_text(" ")
        elif key.action == "backspace":
            self.backspace()
        elif key.action == "shift":
            self.shift = not self.shift
        elif key.action == "layer":
            self.layer = "symbols" if self.layer == "letters" else "letters"
        elif key.action == "accents":
            self.layer = "letters" if self.layer == "accents" else "accents"
        elif key.action == "done" and self.allow_done:
            self.dispatch("on_done")

    def type_text(self, text: str) -> None:
        """Type ``text`` at the cursor of the target, replacing a selection."""
        target = self.target
        if target is None:
            return
        if target.selection_text:
            target.delete_selection()
        target.insert_text(text)
        target.focus = True  # keeps the cursor visible and a hardware keyboard typing here

    def backspace(self) -> None:
        """Delete the selection, or the character before the cursor."""
        target = self.target
        if target is None:
            return
        if target.selection_text:
            target.delete_selection()
        else:
            target.do_backspace()
        target.focus = True

    def reset(self, layer: str = "letters") -> None:
        """Back to ``layer`` (the letters, or the digits for a phone number), shift off."""
        self.shift = False
        self.layer = layer

    def on_done(self):
        """The visitor tapped the done key."""


class KeyRow(BoxLayout):
    """One row of keys: the full width, one key height (styled in keyboard.kv)."""

    def do_layout(self, *args):
        super().do_layout(*args)
        if isinstance(self.parent, OnScreenKeyboard):
            self.parent._panel_trigger()  # the keys moved: the panel's holes follow
