"""The on-screen keyboard and the text screen, tapped in the real window.

These tests register a test-only flow of two text steps: a required title of at most 80 characters, an
optional story of at most 300. The app shows them on its two text screens in turn.
"""

from __future__ import annotations

import time

import pytest
from conftest import frames, key, press, screen, settle, tap
from visitor_robot import RobotLost

from kiosk.ui.flows import FLOWS, Done, Flow, Step

TITLE = Step("test_title", "text", "Give your idea a title", hint="A few words", max_length=80)
STORY = Step("test_story", "text", "Would you like to tell us more?", max_length=300, optional=True)


@pytest.fixture
def finished(app, monkeypatch):
    """Start the test flow on its first screen; yields the list its ``finish`` appends the answers to."""
    answers: list[dict] = []

    def finish(recorder, given):
        answers.append(dict(given))
        return Done("welcome", "Thank you", "")

    flow = Flow("test_text", (TITLE, STORY), finish)
    monkeypatch.setitem(FLOWS, flow.name, flow)
    app.start_flow(flow.name)
    settle(app)
    assert app.current == TITLE.name
    yield answers
    app.go_home()
    settle(app)


def field(app):
    return screen(app).ids.field


def test_cafe_with_a_capital_and_an_accent_key(app, finished):
    press(app, "shift")
    assert screen(app).keyboard.shift and key(app, "C")  # the keys show capitals now
    press(app, "C", "a", "f", "é")
    assert field(app).text == "Café"
    assert not screen(app).keyboard.shift  # one capital only
    press(app, "space", "ç", "à", "backspace", "backspace")
    assert field(app).text == "Café "
    press(app, "shift", "shift", "ô")  # shift tapped twice is off again
    assert field(app).text == "Café ô"


@pytest.mark.parametrize("window_size", [(800, 480)], indirect=True, ids=["800x480"])
def test_on_the_7_inch_display_the_accents_are_one_tap_away_and_the_field_keeps_two_lines(app, window_size, finished):
    keyboard, text = screen(app).keyboard, field(app)
    assert keyboard.compact and len(keyboard.children) == 4  # no accent row: three rows of letters and one under
    assert text.height >= 2 * text.line_height + text.padding[1] + text.padding[3]
    assert min(row.height for row in keyboard.children) >= 48
    with pytest.raises(RobotLost):
        key(app, "é")
    press(app, "shift", "H", "accents", "é")  # "é à ç" shows the accented letters; one typed, the letters are back
    press(app, "l", "accents", "è", "n", "e")
    assert text.text == "Hélène" and keyboard.layer == "letters"
    press(app, "accents", "accents")  # tapped again: the letters, nothing typed
    assert keyboard.layer == "letters" and text.text == "Hélène"


def test_the_digits_and_symbols_layer(app, finished):
    press(app, "layer")
    assert key(app, "1") and key(app, "€") and key(app, "@")
    press(app, "1", "2", "€", "space", "@", "-", "'", '"', ":", "/")
    press(app, "layer", "o", "k", "é")  # back to the letters; the accents stayed on screen
    assert field(app).text == "12€ @-'\":/oké"


def test_every_text_is_translated_on_the_keys_and_the_counter(app, finished):
    press(app, "h", "o", "i")
    assert screen(app).ids.counter.text == "3 van 80 tekens"
    app.set_language("fr")
    frames(2)
    assert screen(app).ids.counter.text == "3 sur 80 caractères"
    assert "Retirer" in key(app, "backspace").text
    app.set_language("en")
    frames(2)
    assert screen(app).ids.counter.text == "3 of 80 characters"


def test_done_and_next_answer_with_the_text_skip_with_nothing(app, finished):
    title = screen(app)
    assert title.ids.next.disabled  # a title is required
    press(app, "space", "space")
    tap(app, screen(app).ids.next)
    assert app.current == TITLE.name  # spaces alone are no title
    press(app, "shift", "W", "a", "n", "d", "e", "l", "e", "n")
    tap(app, screen(app).ids.next)
    assert app.current == STORY.name
    assert not screen(app).ids.skip.disabled and not screen(app).ids.next.disabled  # optional
    tap(app, screen(app).ids.nav.ids.back)
    assert app.current == TITLE.name and field(app).text == "  Wandelen"  # back keeps the text
    tap(app, title.ids.next)
    press(app, "o", "k")
    tap(app, screen(app).ids.skip)
    assert app.current == "done"
    assert finished == [{TITLE.name: "Wandelen", STORY.name: ""}]  # trimmed; skip gives ""


def test_a_5_mb_paste_keeps_the_first_characters_and_says_so(app, finished, monkeypatch):
    import kivy.uix.textinput as textinput

    press(app, "o", "k")  # the story allows 300 characters; go there
    tap(app, screen(app).ids.next)
    story = screen(app)
    assert story.ids.cut_message.text == ""

    class FiveMegabytes:
        @staticmethod
        def paste():
            return "Lorem ipsum 😀 " * 400_000

    monkeypatch.setattr(textinput, "Clipboard", FiveMegabytes)
    started = time.perf_counter()
    field(app).paste()  # the TextInput's own paste path (Ctrl+V)
    frames(2)
    assert time.perf_counter() - started < 1
    assert field(app).text == ("Lorem ipsum 😀 " * 30)[:300]
    assert story.ids.cut_message.text == "Alleen de eerste 300 tekens worden bewaard."
    assert story.ids.counter.text == "300 van 300 tekens"
    press(app, "x")  # a key at the limit types nothing
    assert len(field(app).text) == 300 and field(app).cut_off
    press(app, "backspace")
    assert len(field(app).text) == 299 and story.ids.cut_message.text == ""
    field(app).text = "\x00" * 1000 + "é" * 5_000_000  # set directly: cleaned and cut the same way
    frames(2)
    assert field(app).text == "é" * 300 and field(app).cut_off
    tap(app, story.ids.next)
    assert finished == [{TITLE.name: "ok", STORY.name: "é" * 300}]


def test_a_hardware_keyboard_types_into_the_field(app, finished):
    from kivy.core.window import Window

    assert field(app).focus  # the field has the keyboard focus as soon as the screen shows
    Window.dispatch("on_textinput", "Dag ")
    Window.dispatch("on_textinput", "Ieper")
    frames(1)
    Window.dispatch("on_key_down", 8, 42, None, [])  # backspace
    Window.dispatch("on_key_up", 8, 42)
    frames(1)
    assert field(app).text == "Dag Iepe"
    press(app, "r")  # tapping a key keeps the focus on the field
    Window.dispatch("on_key_down", 27, 9, None, [])  # and Esc does not take it away
    Window.dispatch("on_key_up", 27, 9)
    Window.dispatch("on_textinput", "!")
    frames(1)
    assert field(app).text == "Dag Ieper!" and field(app).focus


def test_emoji_right_to_left_and_control_characters_never_crash(app, finished):
    from kivy.core.window import Window

    typed = "👩‍👧 🇧🇪 مرحبا שלום\u200f e\u0301 "
    Window.dispatch("on_textinput", typed)
    Window.dispatch("on_textinput", "\x00\x07\x1b[2J\r\n\ttab")
    frames(3)
    assert field(app).text == typed + "[2J\n tab"
    tap(app, screen(app).ids.next)
    assert app.current == STORY.name
    tap(app, screen(app).ids.skip)
    assert finished[0][TITLE.name] == (typed + "[2J\n tab").strip()  # stored as typed


def test_going_home_wipes_the_text_and_its_undo_history(app, finished):
    press(app, "g", "e", "h", "e", "i", "m", "backspace", "backspace")  # undo would bring "i", "m" back
    press(app, "layer")
    tap(app, screen(app).ids.nav.ids.home)
    assert app.current == "home"
    app.start_flow("test_text")
    settle(app)
    title = screen(app)
    assert field(app).text == "" and title.text == "" and title.ids.counter.text == "0 van 80 tekens"
    assert title.keyboard.layer == "letters"
    for _ in range(3):
        field(app).do_undo()  # Ctrl+Z on a USB keyboard must not bring the last visitor's text back
    assert field(app).text == ""
    assert finished == []


def test_a_second_tap_during_the_screen_change_is_harmless(app, finished):
    from kivy.tests import UnitTestTouch

    press(app, "j", "a")
    for widget in (screen(app).ids.next, screen(app).ids.next, key(app, "x")):
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
    settle(app)
    assert app.current == STORY.name  # one step further, not two
    assert field(app).text == ""
    tap(app, screen(app).ids.nav.ids.back)
    assert field(app).text == "ja"


def test_keys_are_big_and_the_keyboard_takes_under_half_the_screen(app, finished):
    from kivy.core.window import Window
    from kivy.metrics import dp, sp

    from kiosk.ui import theme

    keyboard = screen(app).keyboard
    assert 0.40 <= keyboard.height / Window.height <= 0.45
    for layer in ("letters", "symbols"):
        keyboard.layer = layer
        frames(2)
        keys = keyboard.keys()
        assert len(keys) >= 40
        for each in keys:
            assert each.height - dp(theme.KEY_GAP_DP) >= dp(64) and each.width >= dp(72), each.symbol
            assert each.get_root_window() is not None
    assert field(app).font_size >= sp(28)


def test_typing_leaves_no_pile_of_line_textures_behind(app, finished):
    from kivy.cache import Cache

    for _ in range(40):
        press(app, "a", "z")  # every key draws the line again, as a new texture
    assert len(field(app).text) == 80
    assert len(Cache._objects["textinput.label"]) <= 40


def test_what_was_typed_stays_when_the_visitor_goes_back_and_on_again(app, finished):
    press(app, "j", "a")
    tap(app, screen(app).ids.next)
    press(app, "n", "o", "g")  # on the story, not sent yet
    tap(app, screen(app).ids.nav.ids.back)
    assert app.current == TITLE.name and field(app).text == "ja"
    press(app, "!")
    tap(app, screen(app).ids.next)
    assert app.current == STORY.name and field(app).text == "nog"
    assert screen(app).ids.counter.text == "3 van 300 tekens"  # the story's own limit, not the title's
    tap(app, screen(app).ids.next)
    assert finished == [{TITLE.name: "ja!", STORY.name: "nog"}]


def test_a_key_s_word_is_measured_with_the_font_other_labels_use(app, monkeypatch):
    """Kivy opens a font per size as written: ``[size=24]`` (the int 24) is another open font than 24.0, with
    its own glyphs in memory. Every label's size is a whole number of pixels, a key's word too, and a
    width measured at 24.0 is measured with font 24."""
    from kivy.core.text import Label as CoreLabel
    from kivy.core.text.markup import MarkupLabel
    from kivy.metrics import sp

    from kiosk.ui import theme
    from kiosk.ui.keyboard import key_face
    from kiosk.ui.sizes import FitLabel, word_width

    used = []
    measure = CoreLabel.get_extents
    monkeypatch.setattr(CoreLabel, "get_extents", lambda self, text: used.append(self._get_font_id()) or measure(self, text))
    floor_label = FitLabel(text="Klaar", max_font_size=sp(24), min_font_size=sp(24), bold=True, size=(300, 60))
    MarkupLabel(text=key_face("", "Klaar", sp(24.0), room=200.0), font_size=int(sp(theme.KEY_SP)), markup=True).refresh()
    word_width("Volgende", 24.0, bold=True)
    floor = CoreLabel(font_size=floor_label.font_size, bold=True)._get_font_id()
    assert floor_label.font_size == 24 and floor in used
    assert all(font.split("|")[0] in ("24", str(int(sp(theme.KEY_SP)))) for font in used)
