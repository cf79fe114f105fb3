"""The keys that steer the kiosk without the screen (Kivy's key names), and their names on the keypad card.

A USB numeric keypad or a "big button" is a keyboard to the system; :mod:`kiosk.ui.keynav` acts on these
keys, ``kiosk cards --keypad`` prints them. Kivy-free.
"""

from __future__ import annotations

from kiosk.i18n import N_

#: What each key does (Kivy's key names). The start key from the configuration is added to "repeat".
KEYS: dict[str, tuple[str, ...]] = {
    "next": ("down", "right", "numpad2", "numpad6", "tab"),
    "previous": ("up", "left", "numpad8", "numpad4"),
    "choose": ("enter", "numpad5", "numpadenter", "spacebar"),
    "back": ("numpad1", "f9"),
    "home": ("numpad7", "f10"),
    "repeat": ("numpad0",),
    "louder": ("numpadadd",),
    "softer": ("numpadsubstract",),
    "slower": ("numpaddivide",),
    "faster": ("numpadmul",),
    "more_time": ("numpad9", "f11"),
    "stop": ("numpaddecimal",),
}
#: What each action is called on the keypad card (message ids).
ACTION_NAMES = {
    "repeat": N_("Read aloud / read again"), "next": N_("Next choice"), "previous": N_("Previous choice"),
    "choose": N_("Choose"), "back": N_("Back"), "home": N_("Home"), "louder": N_("Louder"),
    "softer": N_("Softer"), "slower": N_("Slower"), "faster": N_("Faster"), "more_time": N_("More time"),
    "stop": N_("Stop reading"),
}
#: How a key is printed on the card.
KEY_LABELS = {
    **{f"numpad{n}": str(n) for n in range(10)},
    "numpadadd": "+", "numpadsubstract": "−", "numpadmul": "*", "numpaddivide": "/", "numpaddecimal": ".",
    "numpadenter": "Enter", "enter": "Enter", "down": "↓", "up": "↑", "right": "→", "left": "←", "tab": "Tab",
    "spacebar": "Space", **{f"f{n}": f"F{n}" for n in range(1, 13)},
}
#: The order of the card, the way a visitor learns them.
CARD_ORDER = ("repeat", "next", "previous", "choose", "back", "home", "louder", "softer", "slower", "faster",
              "more_time", "stop")


def card_rows(start_key: str = "f12") -> list[tuple[str, str, str]]:
    """(keypad key, keyboard key, action message id) for each action, in :data:`CARD_ORDER`."""
    rows = []
    for action in CARD_ORDER:
        keys = KEYS[action] + ((start_key,) if action == "repeat" else ())
        pad = next((KEY_LABELS[k] for k in keys if k.startswith("numpad")), "")
        other = " ".join(dict.fromkeys(KEY_LABELS.get(k, k.upper()) for k in keys if not k.startswith("numpad")))
        rows.append((pad, other, ACTION_NAMES[action]))
    return rows
