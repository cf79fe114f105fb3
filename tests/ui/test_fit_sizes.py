"""FitLabel picks the largest whole pixel size at which its text fits (found by a binary search)."""

from __future__ import annotations

from kiosk.ui.sizes import largest_fitting


def test_the_search_finds_the_largest_size_that_fits_or_the_smallest_allowed():
    tried = []

    def fits_up_to(limit):
        def fits(size):
            tried.append(size)
            return size <= limit
        return fits

    assert largest_fitting(34, 24, fits_up_to(29)) == 29
    assert len(tried) <= 6  # not every size from 34 down
    for limit in range(20, 40):
        assert largest_fitting(34, 24, fits_up_to(limit)) == min(34, max(24, limit))
    assert largest_fitting(34.0, 24.0, fits_up_to(100)) == 34 and isinstance(largest_fitting(34.0, 24.0, fits_up_to(100)), int)
    assert largest_fitting(20, 24, fits_up_to(0)) == 20  # a maximum under the floor: the maximum


def test_a_long_word_gets_the_largest_size_at_which_it_fits_its_width(app):
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel, word_width

    label = FitLabel(text="Gezondheidswandeling", max_font_size=sp(34), min_font_size=sp(20), bold=True,
                     size=(330, 100))
    size = label.font_size
    assert size == int(size) and sp(20) < size < sp(34)
    assert word_width("Gezondheidswandeling", size, True) <= 330 < word_width("Gezondheidswandeling", size + 1, True)


def test_a_text_that_must_fit_its_height_gets_the_largest_size_whose_lines_fit(app):
    from kivy.core.text import Label as CoreLabel
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel

    words = "Ik wil graag iemand spreken over mijn papieren en de post"
    label = FitLabel(text=words, max_font_size=sp(40), min_font_size=sp(16), fit_height=True, size=(400, 120))
    size = label.font_size

    def height_at(font_size):
        return CoreLabel(text=words, font_size=font_size, text_size=(400, None)).render()[1]

    assert sp(16) < size < sp(40)
    assert height_at(size) <= 120 < height_at(size + 1)


def test_a_text_fitted_before_is_not_measured_again_and_comes_out_the_same(app):
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel

    words = "Wilt u dat iemand u terugbelt over uw vraag?"
    first = FitLabel(text=words, max_font_size=sp(40), min_font_size=sp(16), fit_height=True, size=(300, 100))
    measured = []
    second = FitLabel(text="Ja", max_font_size=sp(40), min_font_size=sp(16), fit_height=True, size=(300, 100))
    second._fits = lambda *args: measured.append(args) or True
    second.text = words
    second.fit()
    assert not measured  # the same text, width, height and sizes: what was found before
    assert (second.font_size, second.text) == (first.font_size, first.text)
    second.height = 60  # another height: measured again, and smaller
    second.fit()
    assert measured


def test_centred_text_gets_a_texture_only_as_wide_as_its_widest_line(app):
    from kivy.core.text import Label as CoreLabel
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel

    def texture_of(label):
        label.texture_update()
        return label.texture.size, label._label._cached_lines

    title = FitLabel(text="Welkom!", max_font_size=sp(40), halign="center", size=(1200, 80))
    (width, height), lines = texture_of(title)
    assert width < 400 and lines[0].w <= width <= lines[0].w + 1  # not 1200: mostly transparent pixels
    kivy_wide = CoreLabel(text=title.text, font_size=title.font_size, text_size=(1200, None), halign="center")
    kivy_wide.refresh()
    assert kivy_wide.texture.size == (1200, height)  # what Kivy alone would make

    two_lines = FitLabel(text="Wat brengt u hier vandaag? Kies wat past bij u", max_font_size=sp(34),
                         halign="center", size=(500, 200))
    (width, _), lines = texture_of(two_lines)
    assert len(lines) == 2 and width == max(round(line.w) for line in lines) <= 500

    left = FitLabel(text="Welkom!", max_font_size=sp(40), halign="left", size=(1200, 80))
    assert texture_of(left)[0][0] == 1200  # drawn from the left edge of its box: it keeps the box's width


def shown(label, text: str):
    """``label`` showing ``text`` now (fitted and rendered, as before the next frame)."""
    label.text = text
    label.fit()
    label.texture_update()
    return label.texture


def test_a_text_shown_again_gets_back_its_texture_and_the_text_in_between_did_not_draw_over_it(app):
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel

    label = FitLabel(max_font_size=sp(30), halign="center", size=(500, 100))
    yes = shown(label, "Ja, graag (texture test)")
    yes_pixels = yes.pixels
    no = shown(label, "Nee (texture test)")
    assert no is not yes and no.size != yes.size
    assert shown(label, "Ja, graag (texture test)") is yes
    assert yes.pixels == yes_pixels and any(yes_pixels[3::4])  # the words, not an empty texture

    twin = FitLabel(max_font_size=sp(30), halign="center", size=(500, 100))
    assert shown(twin, "Nee (texture test)") is no  # another label with the same looks: not rendered again
    assert shown(FitLabel(max_font_size=sp(30), halign="center", size=(500, 100), color=(1, 0, 0, 1)),
                 "Nee (texture test)") is not no  # another colour is another texture


def test_rendered_text_is_kept_up_to_a_bound_and_a_label_keeps_what_it_shows(app, monkeypatch):
    from kivy.metrics import sp

    from kiosk.ui import sizes

    monkeypatch.setattr(sizes, "RENDERED_KEPT_BYTES", 300_000)
    label = sizes.FitLabel(max_font_size=sp(30), halign="center", size=(500, 100))
    first = shown(label, "Eerste woord (bound test)")
    for n in range(40):
        shown(label, f"Woord nummer {n} (bound test)")
    kept = sum(r.texture.width * r.texture.height * 4 for r in sizes._rendered.values())
    assert kept == sizes._rendered_bytes <= 300_000
    texts = [key[0] for key in sizes._rendered]
    assert "Woord nummer 39 (bound test)" in texts and "Woord nummer 38 (bound test)" in texts
    assert "Eerste woord (bound test)" not in texts  # let go, the least recently shown first
    assert shown(label, "Eerste woord (bound test)") is not first  # so rendered again
    last = shown(label, "Woord nummer 39 (bound test)")
    assert last.size[0] > 100 and any(last.pixels[3::4])


def assert_shows_its_own_words(label) -> None:
    """``label`` shows a texture rendered from its own text, as large as that text renders now."""
    from kivy.core.text import Label as CoreLabel

    fresh = CoreLabel(text=label.text, text_size=label.text_size, **{
        k: label._label.options[k] for k in ("font_size", "font_name", "bold", "halign", "padding")})
    width, height = fresh.render()
    assert label.texture_size[1] == height, label.text
    assert label.texture_size[0] <= width and label.texture is label._shown.texture, label.text
    assert label._shown.text == label.text


def test_after_languages_change_back_and_forth_every_label_shows_its_own_words(app):
    from visitor_robot import frames
    from kiosk.ui.sizes import FitLabel

    for lang in ("fr", "en", "nl", "fr"):
        app.set_language(lang)
        frames(2)
    labels = [w for w in app.root.current_screen.walk(restrict=True) if isinstance(w, FitLabel) and w.text]
    assert len(labels) > 8
    try:
        for label in labels:
            assert_shows_its_own_words(label)
    finally:
        app.set_language("nl")
        frames(2)


def test_labels_on_a_hidden_screen_wait_for_it_and_show_their_own_words_when_it_comes_back(app):
    from visitor_robot import frames
    from kiosk.ui import sizes
    from kiosk.ui.sizes import FitLabel

    app.start_flow("question")
    frames(2)
    screen = app.root.current_screen
    app.go_home()
    frames(2)
    labels = [w for w in screen.walk(restrict=True) if isinstance(w, FitLabel) and w.text]
    assert len(labels) > 3 and screen.parent is None
    try:
        app.set_language("fr")
        frames(2)
        waiting = [label for label in labels if label in sizes._waiting]
        assert waiting, "a language switch redrew the labels of a screen that is not shown"
        assert all(label._shown.text != label.text for label in waiting)  # still the Dutch words' texture
        app.start_flow("question")
        frames(2)
        assert app.root.current_screen is screen and not any(label in sizes._waiting for label in labels)
        for label in labels:
            assert_shows_its_own_words(label)
    finally:
        app.go_home()
        app.set_language("nl")
        frames(2)
