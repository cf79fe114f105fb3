"""Shapes drawn without blending (kiosk.ui.drawing) look exactly as blended ones, and only opaque ones go
without; the window draws one sample per pixel: read back from the real window's pixels."""

from __future__ import annotations

import pytest

from conftest import frames
from kiosk.ui import theme


def pixel(x: int, y: int) -> tuple[int, int, int]:
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

    return tuple(glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE)[:3])


def close(seen, expected, slack: int = 2) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(seen, expected))


@pytest.fixture
def button(app):
    """A plain BigButton in NAV colour on top of the window at (100, 100), 300x120; a translucent square
    drawn after it overlaps its right half."""
    from kivy.core.window import Window
    from kivy.graphics import Color, Rectangle
    from kivy.uix.widget import Widget

    from kiosk.ui.widgets import BigButton

    shown = BigButton(colour=theme.rgba(theme.NAV), size_hint=(None, None), pos=(100, 100), size=(300, 120))
    veil = Widget()
    with veil.canvas:
        Color(*theme.rgba(theme.ACCENT, 0.5))
        Rectangle(pos=(250, 100), size=(150, 120))
    Window.add_widget(shown)
    Window.add_widget(veil)
    frames(3)
    yield shown
    Window.remove_widget(veil)
    Window.remove_widget(shown)
    frames(2)


def mix(top, bottom, alpha):
    return tuple(round(t * alpha + b * (1 - alpha)) for t, b in zip(top, bottom))


def test_an_opaque_button_shows_its_own_colour_and_what_is_drawn_after_it_still_blends(button):
    assert close(pixel(150, 160), theme.NAV)
    assert close(pixel(350, 160), mix(theme.ACCENT, theme.NAV, 0.5))


def test_a_faded_button_is_blended_with_what_is_under_it(button):
    button.opacity = 0.4
    frames(2)
    assert close(pixel(150, 160), mix(theme.NAV, theme.BACKGROUND, 0.4))


def test_blending_is_on_again_after_every_frame(button):
    from kivy.graphics.opengl import GL_BLEND, glIsEnabled

    assert glIsEnabled(GL_BLEND)


def test_the_window_draws_one_sample_per_pixel(app):
    """Multisampling made a software renderer (Mesa llvmpipe) fill every pixel four times (kiosk.ui.launch)."""
    from kivy.graphics.opengl import GL_SAMPLES, glGetIntegerv

    assert glGetIntegerv(GL_SAMPLES)[0] == 0
