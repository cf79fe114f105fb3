"""What every visitor meets: language switch, privacy, smileys, the idea wall's hearts, idle care."""

import time

import pytest

from conftest import frames, new_records, record_count, screen, settle, tap, tile


def test_language_switch_is_one_tap_and_changes_every_text(app):
    home = screen(app)
    checkin = tile(app, "checkin")
    assert checkin.text == "Ik ben er"
    french = next(b for b in home.ids.languages.children if b.lang == "fr")
    tap(app, french)
    assert app.lang == "fr" and checkin.text == "Je suis là"
    assert app.today_text.split()[0] in ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def test_privacy_screen_opens_from_home_and_has_back_and_home(app):
    tap(app, screen(app).ids.privacy)
    assert app.current == "privacy"
    tap(app, screen(app).ids.nav.ids.back)
    assert app.current == "home"


def test_smileys_count_once_when_mashed(app):
    before = record_count(app)
    row = screen(app).ids.smileys
    smileys = [w for w in row.ids.smileys.children if hasattr(w, "score")]
    assert len(smileys) == 4
    tap(app, smileys[0])
    assert app.feedback_thanks == "Thank you!"  # at once (it goes after a few seconds of real time)
    for smiley in smileys * 3:
        tap(app, smiley)
    stored = [r for r in new_records(app, before) if r["type"] == "feedback"]
    assert len(stored) == 1 and stored[0]["data"]["where"] == "home"


def test_idea_wall_hearts_once_per_visit(app):
    from kiosk.core import ideas

    idea = ideas.propose(app.services.recorder, "walking", "Wandeling rond de Zillebeke vijver")
    ideas.moderate(app.services.recorder, idea["id"], "approve")
    before = record_count(app)
    tap(app, tile(app, "wall"))
    assert app.current == "wall"
    card = next(c for c in screen(app).ids.cards.children if c.idea_id == idea["id"])
    assert card.title == "Wandeling rond de Zillebeke vijver" and card.support == 0
    heart = card.ids.heart
    assert (heart.icon, heart.text) == ("heart_outline", "0")  # not given yet: an outline, without colour too
    tap(app, card.ids.heart)
    tap(app, card.ids.heart)
    assert card.support == 1 and card.supported
    assert (heart.icon, heart.text) == ("heart", "✓ 1")  # given: a filled heart and a tick
    screen(app).measure()  # as when the window's width changes: the cards are filled again
    frames(2)
    card = next(c for c in screen(app).ids.cards.children if c.idea_id == idea["id"])
    assert card.support == 1 and card.supported
    votes = [r for r in new_records(app, before) if r["type"] == "vote"]
    assert [v["data"]["idea"] for v in votes] == [idea["id"]]
    app.end_visit()  # the next visitor may support it again
    settle(app)
    tap(app, tile(app, "wall"))
    card = next(c for c in screen(app).ids.cards.children if c.idea_id == idea["id"])
    assert card.support == 1 and not card.supported


def test_idle_overlay_counts_down_then_ends_the_visit(app):
    app.idle_timeout, app.idle_countdown = 1, 2
    try:
        tap(app, next(b for b in screen(app).ids.languages.children if b.lang == "en"))
        tap(app, tile(app, "checkin"))
        count = screen(app)
        tap(app, count.ids.adult_count.children[0])  # something typed / chosen: 2 adults
        assert count.adult_count == 2
        wait_until(app, lambda: app.overlay.is_open, 4)
        tap(app, app.overlay.ids.yes)  # "Yes, I'm still here" keeps everything
        assert not app.overlay.is_open and app.current == "checkin_count" and count.adult_count == 2
        wait_until(app, lambda: app.overlay.is_open, 4)
        wait_until(app, lambda: app.current == "home", 6)  # nobody answers
        assert not app.overlay.is_open
        assert count.adult_count == 1  # wiped for the next visitor
        assert app.lang == "nl"  # back to the default language
    finally:
        app.idle_timeout, app.idle_countdown = 60, 20


def wait_until(app, condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        settle(app)


def test_no_tile_label_is_cut_off_in_any_language(app):
    """Every word on every tile fits its tile, in every language (an 80-year-old must read it all)."""
    from kiosk.ui.flows import FLOWS

    choice_steps = [(flow.name, n) for flow in FLOWS.values() for n, step in enumerate(flow.steps)
                    if step.kind == "choice"]
    assert len(choice_steps) >= 7
    too_big = []
    for lang in app.languages:
        app.set_language(lang)
        for flow, n in [*choice_steps, ("home", None)]:
            if n is None:
                app.go_home()
            else:
                app.start_flow(flow)
                app.show_step(n)
            settle(app)
            frames(2)
            shown = app.root.current_screen
            grid = shown.ids.get("grid") or shown.ids.tiles
            for tile_widget in grid.children:
                label = tile_widget.children[0]
                if needed_height(label) > label.height:
                    too_big.append((lang, app.current, label.text))
    assert too_big == [], "\n".join(map(str, too_big))


def needed_height(label) -> float:
    """The height ``label``'s text takes when wrapped to the label's width (its own texture is box-sized)."""
    from kivy.core.text import Label as CoreLabel

    core = CoreLabel(text=label.text, font_size=label.font_size, bold=label.bold, font_name=label.font_name,
                     text_size=(label.width, None), halign=label.halign, padding=label.padding)
    core.refresh()
    return core.texture.size[1]


def test_the_idea_wall_shows_the_first_few_dozen_on_the_few_cards_in_sight(app, monkeypatch):
    import dataclasses

    from kivy.core.window import Window
    from kivy.metrics import dp

    from kiosk.core import ideas
    from kiosk.ui.app import WALL_SIZE

    long_text = "Samen soep koken met groenten uit de moestuin van het dorp, en daarna samen eten. " * 3
    made = [ideas.propose(app.services.recorder, "other", f"Idee {n}", long_text if n % 4 == 0 else "")["id"]
            for n in range(WALL_SIZE + 5)]
    monkeypatch.setattr(app.services, "config", dataclasses.replace(app.services.config, idea_wall="at_once"))
    tap(app, tile(app, "wall"))
    wall = screen(app)
    shown = [item["idea_id"] for item in wall.ids.scroll.data]
    everything = ideas.idea_wall(app.services.repo.records_for_day(app.services.clock.now().date()), wall="at_once")
    assert shown == [idea.id for idea in everything[:WALL_SIZE]]  # the most supported first
    assert len(set(made) - set(shown)) >= 5  # some did not fit
    for size in ((1280, 800), (1024, 600)):  # a smaller tablet: the words wrap again, the cards grow
        Window.size = size
        frames(3)
        wall.ids.scroll.scroll_y = 1
        for _ in range(3):  # top, middle, bottom: every card in sight is as tall as its words
            frames(3)
            cards = wall.ids.cards.children
            assert 2 <= len(cards) <= 10  # cards for what is in sight, not one per idea
            for card in cards:
                words = card.ids.texts.height + dp(2 * card.PADDING_Y)
                assert words <= card.height + 1 and card.height <= max(dp(card.LOWEST), words) + 1, card.title
            wall.ids.scroll.scroll_y -= 0.5
    Window.size = (1280, 800)
    frames(3)


def test_a_long_activity_name_shrinks_instead_of_breaking_in_two(app):
    from kivy.metrics import sp

    from kiosk.ui import theme
    from kiosk.ui.sizes import FitLabel, word_width

    long_word = FitLabel(text="Gezondheidswandeling", max_font_size=sp(34), min_font_size=sp(24), bold=True,
                         size=(380, 100))
    assert sp(24) <= long_word.font_size < sp(34)
    assert word_width("Gezondheidswandeling", long_word.font_size, True) <= 380
    assert long_word.text == "Gezondheidswandeling"
    assert FitLabel(text="Koffie", max_font_size=sp(theme.TILE_LABEL_SP), size=(380, 100)).font_size == sp(34)


def test_a_word_too_long_even_at_the_floor_breaks_only_where_its_translation_allows(app):
    from kivy.metrics import sp

    from kiosk.ui.sizes import FitLabel

    hyphenated = FitLabel(text="Volwas\u00adsenen", max_font_size=sp(30), min_font_size=sp(24), size=(120, 100))
    assert hyphenated.font_size == sp(24) and hyphenated.text == "Volwas-\nsenen"
    unbreakable = FitLabel(text="Volwassenen", max_font_size=sp(30), min_font_size=sp(24), size=(120, 100))
    assert unbreakable.text == "Volwassenen"  # no hyphenation point given: never cut elsewhere (the check says so)
    french = FitLabel(text="Qu'y a-t-il aujourd'hui ?", size=(900, 100))
    assert french.text == "Qu'y a-t-il aujourd'hui\u00a0?"  # the question mark stays with its word


def test_resting_at_home_tidies_memory_up_once(app, monkeypatch):
    from kiosk.ui import memory

    assert memory.release_free_memory() is True  # glibc: malloc_trim is there
    calls = []
    monkeypatch.setattr("kiosk.ui.app.REST_SECONDS", 1)
    monkeypatch.setattr("kiosk.ui.memory.rest", lambda: calls.append(app.current))
    app._on_activity()
    wait_until(app, lambda: calls, 4)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        settle(app)
    assert calls == ["home"]  # once per rest, until the next touch


def test_labels_keep_no_second_copy_of_their_text(app):
    from kivy.uix.label import Label

    label = Label(text="Welkom bij Ter Plekke")
    label.texture_update()
    label.texture.bind()  # renders the text (Kivy fills a label's texture when it is first used)
    assert label.texture.width > 100
    assert label._label._surface is None  # the SDL2 renderer's pixels, once copied into the texture


def test_every_flow_is_shown_on_one_screen_of_each_kind(app):
    """Steps share screens: one screen per step cost ~40 MB, two of each kind 4 MB more than one."""
    import random

    from visitor_robot import Visitor

    Visitor(app, random.Random(3)).every_kind_once()
    step_screens = sorted(n for n in app.root.screen_names if n.startswith(("choice", "count", "text")))
    assert step_screens == ["choice", "count", "text"]
