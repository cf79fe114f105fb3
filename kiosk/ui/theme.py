"""The one visual theme of the kiosk: colours, text sizes, touch-target sizes. Kivy-free.

Chosen for elderly visitors with reading glasses: body text 28 sp (never below 24), titles 44 sp,
touch targets of at least 80 dp (main tiles far larger), and every text/background pair at a contrast
of 4.5:1 or more (tests/unit/test_theme.py computes it).
"""

from __future__ import annotations

# -- colours (r, g, b) in 0..255 ---------------------------------------------------------------------
BACKGROUND = (255, 248, 238)     # warm off-white
SURFACE = (255, 255, 255)        # cards, the text field
TEXT = (31, 41, 55)              # near-black slate
TEXT_MUTED = (75, 85, 99)        # secondary text, still 7:1 on the background
ACCENT = (15, 118, 110)          # teal: the main action colour
ON_ACCENT = (255, 255, 255)
NAV = (71, 85, 105)              # back / home and other second buttons: dark slate, 7:1 on the background
ON_NAV = (255, 255, 255)
#: The ring of a light control (a white choice tile) on the background: 3:1 or more against both.
CONTROL_BORDER = (100, 116, 139)
SELECTED = (254, 243, 199)       # a chosen tile: soft yellow with dark text and a thick border
BORDER = (31, 41, 55)
DANGER = (153, 27, 27)           # "this did not work" text
OVERLAY = (17, 24, 39)           # the dim layer behind "Are you still there?" (used at 85% opacity)
ON_OVERLAY = (255, 255, 255)

#: Staff mode: a dark bar and menu, so nobody mistakes it for a visitor screen.
STAFF_BAR = (55, 65, 81)
ON_STAFF_BAR = (255, 255, 255)
STAFF_CURRENT = SELECTED         # the menu item of the page shown (dark text)
HELPED = (21, 128, 61)           # "helped": a green button with white text
ON_DANGER = (255, 255, 255)      # "erase" once confirmed: white on dark red
CHART_BAR = ACCENT

#: The on-screen keyboard: white letter keys on a grey panel, pale blue accent keys, grey function keys.
KEYBOARD = (203, 213, 225)
KEY = SURFACE
KEY_ACCENT = (219, 234, 254)
KEY_FUNCTION = (226, 232, 240)
ON_KEY = TEXT
#: A key's (background, text) by its look (see kiosk.ui.keyboard.Key.look); shift on and done are teal.
KEY_LOOKS = {
    "letter": (KEY, ON_KEY),
    "accent": (KEY_ACCENT, ON_KEY),
    "function": (KEY_FUNCTION, ON_KEY),
    "on": (ACCENT, ON_ACCENT),
    "done": (ACCENT, ON_ACCENT),
}

#: The home tiles, one colour each, all with white text.
TILE_COLOURS = {
    "checkin": (15, 118, 110),    # teal
    "activities": (29, 78, 216),  # blue
    "question": (126, 34, 206),   # purple
    "idea": (180, 83, 9),         # dark orange
}
ON_TILE = (255, 255, 255)

#: Text/background pairs that appear on screen; each must reach MIN_CONTRAST.
TEXT_PAIRS = {
    "body": (TEXT, BACKGROUND),
    "muted": (TEXT_MUTED, BACKGROUND),
    "surface": (TEXT, SURFACE),
    "accent button": (ON_ACCENT, ACCENT),
    "nav button": (ON_NAV, NAV),
    "selected tile": (TEXT, SELECTED),
    "error": (DANGER, BACKGROUND),
    "overlay": (ON_OVERLAY, OVERLAY),
    "staff bar": (ON_STAFF_BAR, STAFF_BAR),
    "staff menu, current page": (TEXT, STAFF_CURRENT),
    "helped button": (ON_ACCENT, HELPED),
    "danger button": (ON_DANGER, DANGER),
    "chart numbers": (TEXT, SURFACE),
    "muted on a card": (TEXT_MUTED, SURFACE),
    **{f"{look} key": (text, background) for look, (background, text) in KEY_LOOKS.items()},
    **{f"{name} tile": (ON_TILE, colour) for name, colour in TILE_COLOURS.items()},
}
MIN_CONTRAST = 4.5

#: Where a control meets what is around it (WCAG 1.4.11, non-text contrast): each must reach MIN_CONTROL_CONTRAST.
CONTROL_PAIRS = {
    "choice tile ring on the background": (CONTROL_BORDER, BACKGROUND),
    "choice tile ring on the tile": (CONTROL_BORDER, SURFACE),
    "selected tile ring": (BORDER, BACKGROUND),
    "back / home button": (NAV, BACKGROUND),
    "main button": (ACCENT, BACKGROUND),
    "PIN key": (NAV, BACKGROUND),
    "staff bar's close button": (SURFACE, STAFF_BAR),
    "staff menu button": (NAV, BACKGROUND),
    "helped button": (HELPED, SURFACE),
    "danger button": (DANGER, SURFACE),
    "text field border": (BORDER, BACKGROUND),
    "supported heart on an idea card": (ACCENT, SURFACE),
    "heart not given yet on an idea card": (NAV, SURFACE),
    **{f"{name} tile": (colour, BACKGROUND) for name, colour in TILE_COLOURS.items()},
}
MIN_CONTROL_CONTRAST = 3.0

# -- sizes (sp for text, dp for targets) ------------------------------------------------------------
TITLE_SP = 44
BODY_SP = 30
SMALL_SP = 24           # the smallest text anywhere
TILE_LABEL_SP = 34
TICKET_SP = 120         # a question's ticket number, read from a seat across the room (at least 96)
MIN_TARGET_DP = 80      # 48 dp is the floor for any target (docs/architecture.md); we give more
NAV_HEIGHT_DP = 96
PADDING_DP = 24
FIELD_SP = 30           # what a visitor types (at least 28)
KEY_SP = 32             # a letter on a key
KEY_WORD_SP = 24        # the word on a function key ("Delete", "space", "Done")
KEY_HEIGHT_DP = 70      # a row of keys: the whole height is touchable...
KEY_GAP_DP = 6          # ...the drawn key leaves this gap, so each key shows 64 dp high
SPEAKER_MIN_DP = 64     # the speaker button ("Read aloud") on every visitor screen is at least this high
KEY_UNIT_DP = 104       # a letter key's width on a 1280 px screen; the words on wider keys fit it


def rgba(colour: tuple[int, int, int], alpha: float = 1.0) -> tuple[float, float, float, float]:
    """Kivy's 0..1 RGBA from 0..255 RGB."""
    r, g, b = colour
    return (r / 255, g / 255, b / 255, alpha)


def darker(rgba_colour, amount: float) -> tuple[float, float, float, float]:
    """``rgba_colour`` as it looks under black at ``amount`` opacity (a pressed button), still opaque.

    Drawing the colour once costs a fraction of drawing it and then a translucent layer on top.
    """
    r, g, b, a = rgba_colour
    keep = 1 - amount
    return (r * keep, g * keep, b * keep, a)


def contrast(foreground: tuple[int, int, int], background: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio between two sRGB colours (1 to 21)."""

    def luminance(colour: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# -- size classes: the layout changes shape with the window, sizes stay in dp and sp ------------------
#: Touch targets are never smaller than this (9 mm), on any screen.
MIN_TOUCH_DP = 48
#: Visitor text is never smaller than this; on a small screen (the 7" 800x480 display) the floor is lower.
TEXT_FLOOR_SP = 24
SMALL_TEXT_FLOOR_SP = 20
#: Staff pages (not for visitors) may go this small where a column is narrow.
STAFF_FLOOR_SP = 16
#: Pictograms on tiles are at least this big.
MIN_PICTOGRAM_DP = 64


class SizeClass:
    """What kind of window this is: ``level`` small, medium or large by its shorter side, and portrait or not.

    small: the 800x480 7" display; medium: 1024x600, 1280x720, a 720 wide portrait; large: 1280x800 and up.
    """

    def __init__(self, width_dp: float, height_dp: float):
        self.width_dp, self.height_dp = width_dp, height_dp
        self.portrait = height_dp > width_dp
        short = min(width_dp, height_dp)
        self.level = "small" if short < 600 else "medium" if short < 790 else "large"

    @property
    def small(self) -> bool:
        return self.level == "small"

    def __repr__(self) -> str:
        return f"SizeClass({self.level}, {'portrait' if self.portrait else 'landscape'})"


#: Sizes by size class (sp for text, dp for the rest); kiosk.ui.sizes.ui holds the ones of the window now.
SIZES = {
    "small": {"title_sp": 28, "body_sp": 24, "small_sp": 20, "tile_label_sp": 26, "number_sp": 44, "nav_dp": 60,
              "nav_button_dp": 190, "padding_dp": 10, "gap_dp": 10, "target_dp": 64, "row_dp": 84, "pictogram_dp": 72,
              "key_dp": 48},
    "medium": {"title_sp": 36, "body_sp": 26, "small_sp": 24, "tile_label_sp": 30, "number_sp": 56, "nav_dp": 80,
               "nav_button_dp": 240, "padding_dp": 16, "gap_dp": 16, "target_dp": 72, "row_dp": 104,
               "pictogram_dp": 96, "key_dp": 56},
    "large": {"title_sp": TITLE_SP, "body_sp": BODY_SP, "small_sp": SMALL_SP, "tile_label_sp": TILE_LABEL_SP,
              "number_sp": 64, "nav_dp": NAV_HEIGHT_DP, "nav_button_dp": 280, "padding_dp": PADDING_DP, "gap_dp": 24,
              "target_dp": MIN_TARGET_DP, "row_dp": 130, "pictogram_dp": 120, "key_dp": KEY_HEIGHT_DP},
}


def size_class(width_dp: float, height_dp: float) -> SizeClass:
    return SizeClass(width_dp, height_dp)


def text_floor_sp(small: bool) -> int:
    """The smallest visitor text allowed on a window of this size class."""
    return SMALL_TEXT_FLOOR_SP if small else TEXT_FLOOR_SP
