"""Canvas instructions that make the kiosk cheaper to draw on a software renderer (Mesa llvmpipe).

There every pixel of a filled shape costs CPU, and most of it is blending: reading the pixel under it and
mixing. A shape in an opaque colour hides what is under it anyway, so blending it changes nothing but the
cost: llvmpipe fills it in less than half the time without (a 1200x700 rectangle: 19 ms with, 8 ms
without, on one core). In kv, around such shapes (after their ``Color``)::

    Color:
        rgba: self.colour
    OpaqueBegin
    RoundedRectangle:
        ...
    OpaqueEnd

Blending goes off only while the colour and the opacity of every widget above are whole (alpha 1): a
disabled button drawn at 40 % and a screen fading in are blended as before. The pixels are the same.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.factory import Factory
from kivy.graphics import Callback
from kivy.graphics.opengl import GL_BLEND, glDisable, glEnable


def _blend_off_if_opaque(_instruction) -> None:
    context = Window.render_context
    if context["color"][3] >= 1 and context["opacity"] >= 1:
        glDisable(GL_BLEND)


def _blend_on(_instruction) -> None:
    glEnable(GL_BLEND)


class OpaqueBegin(Callback):
    """Blending off for the shapes that follow, when they are drawn opaque (see the module)."""

    def __init__(self, **kwargs):
        super().__init__(_blend_off_if_opaque, **kwargs)


class OpaqueEnd(Callback):
    """Blending on again (Kivy draws everything else blended)."""

    def __init__(self, **kwargs):
        super().__init__(_blend_on, **kwargs)


Factory.register("OpaqueBegin", cls=OpaqueBegin)
Factory.register("OpaqueEnd", cls=OpaqueEnd)
