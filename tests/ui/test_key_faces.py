"""Shift swaps the letter keys between faces rendered once (kiosk.ui.keyboard._FACES), and each key still
shows what it types."""

from __future__ import annotations

import pytest
from conftest import key, press, screen, settle

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
