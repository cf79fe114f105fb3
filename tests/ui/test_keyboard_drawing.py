"""How the on-screen keyboard is drawn cheaply: shift swaps the letter keys between faces rendered once
(kiosk.ui.keyboard._FACES), each still showing what it types; the grey panel is drawn around the keys, not
under them."""

from __future__ import annotations

import pytest
from conftest import frames, key, press, screen, settle  # noqa: F401

from kiosk.ui.flows import FLOWS, Done, Flow, Step


@pytest.fixture
def keyboard(app, monkeypatch):
    flow = Flow("test_faces", (Step("test_faces", "text", "Give your idea a title", max_length=80),),
                lambda recorder, given: Done("welcome", "Thank you", ""))
    monkeypatch.setitem(FLOWS, flow.name, flow)
    app.start_flow(flow.name)
    settle(app)
    yield screen(app).keyboard
    app.go_home()
    settle(app)


def test_shift_on_and_off_again_shows_the_very_same_faces_without_rendering_them_again(app, keyboard):
    from kivy.uix.label import Label

    small = {k.symbol: k.texture for k in keyboard.keys() if k.action == "char"}
    pixels = {symbol: texture.pixels for symbol, texture in small.items()}
    press(app, "shift")
    capitals = {k.symbol: k.texture for k in keyboard.keys() if k.action == "char"}
    assert key(app, "A").texture is not small["a"]  # a capital has a face of its own
    assert capitals["A"].pixels != pixels["a"] and capitals["E"].pixels != pixels["e"]
    press(app, "shift")
    # each face still shows its own letter: none was drawn over with another
    assert {symbol: texture.pixels for symbol, texture in small.items()} == pixels

    rendered = []
    original = Label.texture_update

    def counting(self, *args):
        rendered.append(self)
        return original(self, *args)

    Label.texture_update = counting
    try:
        press(app, "shift")
        press(app, "shift")
    finally:
        Label.texture_update = original
    assert not [k for k in rendered if getattr(k, "action", None) == "char"]  # every letter face reused
    assert {k.symbol: k.texture for k in keyboard.keys() if k.action == "char"} == small


def test_the_panel_covers_the_keyboard_around_the_keys_and_never_under_them(app, keyboard):
    from kivy.metrics import dp

    from kiosk.ui import theme
    from test_drawing import close, pixel

    half_gap = dp(theme.KEY_GAP_DP) / 2
    faces = [(k.x + half_gap, k.y + half_gap, k.right - half_gap, k.top - half_gap) for k in keyboard.keys()]
    corners = [keyboard.panel[i:i + 16] for i in range(0, len(keyboard.panel), 16)]
    panel = [(c[0], c[1], c[8], c[9]) for c in corners]

    def overlap(a, b):
        return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))

    assert not [(p, f) for p in panel for f in faces if overlap(p, f) > 0.01]
    area = sum((p[2] - p[0]) * (p[3] - p[1]) for p in panel) + sum((f[2] - f[0]) * (f[3] - f[1]) for f in faces)
    assert abs(area - keyboard.width * keyboard.height) < 1
    a, z = key(app, "a"), key(app, "z")
    between = a.to_window(a.right, a.center_y)
    assert close(pixel(int(between[0]), int(between[1])), theme.KEYBOARD)
    assert close(pixel(*map(int, a.to_window(a.center_x, a.y + a.height * 0.75))), theme.KEY)
