"""The staff pages fit the window they get: upright (Raspberry Pi Touch Display 2, a tablet on a stand), the
7" displays and the default, in every language, as ``kiosk layout-check`` measures them; and staff can still
tap through them with a finger there."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from conftest import bring_into_sight, new_records, record_count, screen, settle, tap
from test_staff import log_in, menu

from kiosk.clock import TIMEZONE
from kiosk.core import ideas, question
from kiosk.core.records import RecordType
from kiosk.ui.layoutcheck import check_screen
from kiosk.ui.staff.widgets import StaffMenuButton

#: Upright first: there the staff pages broke (tabs 10 px wide, idea titles one letter a line).
SIZES = [(720, 1280), (800, 1280), (1024, 600), (800, 480), (1280, 800)]
#: The pages after the PIN that need nothing more than the kiosk's records (the phone pages start a server).
PAGES = ["staff_today", "staff_questions", "staff_ideas", "staff_log", "staff_privacy", "staff_place",
         "staff_signups"]


@pytest.fixture
def busy_day(app):
    """What makes the staff pages long: a question with words and a contact, an idea waiting for staff, a
    sign-up with a name for tomorrow (the idea, sign-up and question records)."""
    recorder = app.services.recorder
    asked = question.ask(recorder, "digital", True, "Hoe installeer ik itsme op mijn gsm?", consent=True,
                 first_name="Maria", phone="0470 12 34 56")
    idea = ideas.propose(recorder, "learning", "Nederlands oefenen bij een koffie")
    tomorrow = datetime.combine(app.services.clock.now().date() + timedelta(days=1), time(12), TIMEZONE).isoformat()
    signup = recorder.record(RecordType.SIGNUP, {"activity": "samen-koken", "occurrence": f"samen-koken@{tomorrow}",
                                        "title": "Samen koken met groenten uit de tuin", "start": tomorrow,
                                        "persons": 2, "first_name": "Maria"})
    return idea, signup, asked


@pytest.mark.parametrize("window_size", SIZES, indirect=True, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_staff_page_passes_the_layout_check_in_every_language(app, window_size, busy_day):
    small = window_size == (800, 480)
    log_in(app)
    found = []
    try:
        for lang in ("nl", "fr", "en"):
            app.set_language(lang)
            for name in PAGES:
                app.staff.show(name)
                settle(app)
                assert app.current == name
                found += check_screen(app, name, lang, small)
        app.go_home()
        app.staff.open_pad()
        settle(app)
        found += check_screen(app, "staff_pin", "en", small)
    finally:
        app.set_language("nl")
        app.go_home()
        settle(app)
    assert found == []


@pytest.mark.parametrize("window_size", [(720, 1280)], indirect=True, ids=["720x1280"])
def test_upright_the_menu_is_a_grid_of_finger_sized_tabs_on_every_page(app, window_size):
    log_in(app)
    try:
        for name in PAGES:
            tap(app, menu(app, name))
            assert app.current == name
            tabs = [w for w in screen(app).walk() if isinstance(w, StaffMenuButton)]
            assert len(tabs) == 7
            # three in a row above the page, each wide enough for its word (they were 10 px on "Who is coming")
            assert {round(tab.width) for tab in tabs} == {round(tabs[0].width)}, name
            assert tabs[0].width >= window_size[0] / 4 and min(tab.height for tab in tabs) >= 48, name
            assert len({round(tab.y) for tab in tabs}) == 3, name
            bar = tabs[0].parent
            [page_box] = [w for w in bar.parent.children if w is not bar]
            assert page_box.top <= bar.y + 1 and page_box.width >= window_size[0] - 1, name  # the page under it
    finally:
        app.set_language("nl")
        app.go_home()
        settle(app)


@pytest.mark.parametrize("window_size", [(720, 1280), (800, 480)], indirect=True, ids=["720x1280", "800x480"])
def test_upright_and_small_staff_show_an_idea_and_cancel_a_sign_up_with_a_finger(app, window_size, busy_day):
    idea, signup, asked = busy_day
    log_in(app)
    try:
        tap(app, menu(app, "staff_ideas"))
        page = app.screen("staff_ideas")

        def card():
            return next(c for c in page.cards() if c.idea_id == idea["id"])
        assert card().orientation == "vertical"  # the button under the words: the card is too narrow beside them
        assert card().ids.moderate.width >= card().width * 0.8
        before = record_count(app)
        tap(app, bring_into_sight(app, page.ids.idea_cards.parent, lambda: card().ids.moderate))
        assert [r["data"] for r in new_records(app, before)] == [{"idea": idea["id"], "action": "approve"}]
        assert card().status == "shown"

        tap(app, menu(app, "staff_signups"))
        page = app.screen("staff_signups")
        chosen = next(b for b in page.activity_buttons() if b.title.startswith("Samen koken"))
        tap(app, chosen)
        def cancel():  # found again each time: the page may refill itself
            return next(r for r in page.row_widgets() if r.signup_id == signup["id"]).ids.cancel
        before = record_count(app)
        tap(app, bring_into_sight(app, page.ids.rows.parent, cancel))
        tap(app, bring_into_sight(app, page.ids.rows.parent, cancel))  # "Sure? Tap again"
        assert [r["type"] for r in new_records(app, before)] == ["signup_cancel"]

        tap(app, menu(app, "staff_privacy"))
        page = app.screen("staff_privacy")

        def erase():
            return next(c for c in page.cards() if c.record_id == asked["id"]).ids.erase
        tap(app, bring_into_sight(app, page.ids.cards.parent, erase))
        assert "0470\u00a012\u00a034\u00a056" in erase().parent.ids.texts.children[0].text  # one line, never split
        for lang in ("nl", "fr", "en"):  # "Tap again to erase" fits the narrower button too
            app.set_language(lang)
            settle(app)
            assert check_screen(app, "staff_privacy", lang, window_size == (800, 480)) == []
    finally:
        app.set_language("nl")
        app.go_home()
        settle(app)
