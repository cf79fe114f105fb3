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
NAV = (229, 231, 235)            # back / home buttons
ON_NAV = TEXT
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

# -- sizes (sp for text, dp for targets) ------------------------------------------------------------
TITLE_SP = 44
BODY_SP = 30
SMALL_SP = 24           # the smallest text anywhere
TILE_LABEL_SP = 34
MIN_TARGET_DP = 80      # DESIGN asks 48 dp at the very least; we give more
NAV_HEIGHT_DP = 96
PADDING_DP = 24
FIELD_SP = 30           # what a visitor types (at least 28)
KEY_SP = 32             # a letter on a key
KEY_WORD_SP = 24        # the word on a function key ("Delete", "space", "Done")
KEY_HEIGHT_DP = 70      # a row of keys: the whole height is touchable...
KEY_GAP_DP = 6          # ...the drawn key leaves this gap, so each key shows 64 dp high
SPEAKER_WIDTH_DP = 250  # the speaker button ("Read aloud") in the top bar of every visitor screen
SPEAKER_HEIGHT_DP = 80  # at least 64
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
