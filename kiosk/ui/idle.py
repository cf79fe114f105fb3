""""Are you still there?": the overlay of idle care (the app decides when it opens and what follows)."""

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView


class StillThereOverlay(ModalView):
    """Covers the screen with a question, a big "Yes, I'm still here" and a visible countdown."""

    seconds_left = NumericProperty(20)
    """Seconds before the visit ends by itself."""

    def __init__(self, **kwargs):
        super().__init__(auto_dismiss=False, **kwargs)

    @property
    def is_open(self) -> bool:
        return self._window is not None
