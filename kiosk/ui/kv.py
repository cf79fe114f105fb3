"""Loading the layout rules (.kv files) that live beside the widgets in ``kiosk/ui``."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

UI_DIR = Path(__file__).resolve().parent


def load_kv(names: list[str]) -> None:
    """Load kv files (named from ``kiosk/ui``) once: a second call changes nothing."""
    for name in names:
        path = str(UI_DIR / name)
        if path not in Builder.files:
            Builder.load_file(path)
