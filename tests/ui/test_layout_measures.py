"""The layout checker (``kiosk layout-check``) sees what a visitor would see wrong: shown here on the real
home screen with widgets made wrong on purpose, so each check is known to be able to fail."""

import pytest
from conftest import settle

from kiosk.ui.layoutcheck import check_screen, too_small


def problems_with(app, widget):
    """The checker's problems on the home screen with ``widget`` added to it (taken away again after)."""
    home = app.root.current_screen
    home.add_widget(widget)
    settle(app)
    try:
        return [p.problem for p in check_screen(app, "home", "nl", small=False)]
    finally:
        home.remove_widget(widget)
        settle(app)


def test_the_home_screen_as_it_is_has_no_problem(app):
    assert check_screen(app, "home", "nl", small=False) == []


def test_a_deliberately_overflowing_label_is_caught(app):
    from kivy.uix.label import Label

    label = Label(text="Gezondheidswandeling in de buurt", font_size=40, size_hint=(None, None), size=(200, 40),
                  text_size=(200, None), pos=(300, 300))
    found = problems_with(app, label)
    assert any(p.startswith("text does not fit") for p in found), found
    assert "the word 'Gezondheidswandeling' is broken in the middle" in found


def test_small_text_overlapping_targets_and_a_widget_off_the_window_are_caught(app):
    from kivy.uix.button import Button
    from kivy.uix.floatlayout import FloatLayout

    box = FloatLayout()
    box.add_widget(Button(text="a", font_size=12, size_hint=(None, None), size=(30, 30), pos=(400, 400)))
    box.add_widget(Button(text="b", font_size=30, size_hint=(None, None), size=(100, 100), pos=(410, 410)))
    box.add_widget(Button(text="c", font_size=30, size_hint=(None, None), size=(100, 100), pos=(1250, 100)))
    found = problems_with(app, box)
    assert "touch target 30x30 px, under 48 dp" in found
    assert "text 12 sp, under the floor of 24 sp" in found
    assert any(p.startswith("touch target overlaps") for p in found)
    assert "partly outside the window" in found


@pytest.mark.parametrize("size, supported", [((800, 480), True), ((799, 480), False), ((1024, 400), False),
                                             ((720, 1280), True), ((600, 1024), False), ((1920, 1080), True)])
def test_the_smallest_supported_windows(size, supported):
    assert (too_small(size) is None) == supported


def test_tiles_take_the_shape_that_keeps_them_biggest():
    from kiosk.ui.sizes import best_columns

    assert best_columns(4, 1200, 400, 20) == 4  # a wide screen: four in a row
    assert best_columns(4, 690, 900, 20) == 2  # upright: two rows of two
    assert best_columns(7, 760, 340, 20) == 4  # 800x480: seven choices in two rows
    assert best_columns(1, 500, 500, 20) == 1


def test_a_label_draws_the_fitted_text_after_its_text_changes(app):
    """A new text (a language switch, a new value) is drawn as fitted: the French space before ":" kept
    with its word (a text set again inside its own change used to be drawn as it was before fitting)."""
    from kiosk.ui.sizes import FitLabel

    label = FitLabel(text="Vandaag", size_hint=(None, None), size=(400, 60))
    home = app.root.current_screen
    home.add_widget(label)
    try:
        label.text = "Inscription : Samen Tafelen"
        settle(app)
        label.texture_update()
        assert label.text == label._label.text == "Inscription\u00a0: Samen Tafelen"
    finally:
        home.remove_widget(label)


def test_a_layout_that_never_settles_is_caught(app):
    """A size bound to itself against its layout (the phone page's QR square did this upright) is laid out
    again and again: the checker hears Kivy's clock warn about it."""
    from kivy.lang import Builder

    from kiosk.ui.layoutcheck import _RestlessLayouts, _settle

    restless = _RestlessLayouts()
    home = app.root.current_screen
    fighting = None
    try:
        _settle()
        assert restless.seen == 0  # the home screen settles
        fighting = Builder.load_string(
            "BoxLayout:\n"
            "    orientation: 'vertical'\n"
            "    size_hint_x: None\n"
            "    width: 700\n"
            "    AnchorLayout:\n"
            "        size_hint: 1, None\n"
            "        width: min(dp(440), self.height, self.parent.width * 0.45)\n"
            "        height: min(dp(440), self.width)\n")
        home.add_widget(fighting)
        _settle()
        assert restless.seen > 0
    finally:
        if fighting is not None:
            home.remove_widget(fighting)
            fighting.children[0].size_hint = (None, None)  # stops its fight
        restless.close()
        settle(app)
