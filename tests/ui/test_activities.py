"""Today's activities, the coming week, and signing up: tapped in the real window."""

from conftest import at_every_window_size, bring_into_sight, new_records, press, record_count, screen, settle, tap, tile


def cards(app):
    return [c for c in reversed(screen(app).ids.cards.children) if hasattr(c, "occurrence")]


def card(app, title):
    return next(c for c in cards(app) if c.occurrence.title == title)


def test_today_shows_what_is_on_now_and_places_left(app):
    tap(app, tile(app, "activities"))
    assert app.current == "activities"
    titles = [c.occurrence.title for c in cards(app)]
    assert titles == ["Ontmoetingsmoment", "Samen Tafelen"]
    assert card(app, "Ontmoetingsmoment").badge == "Now"
    meal = card(app, "Samen Tafelen")
    assert meal.can_sign_up and meal.places == 3
    assert not card(app, "Ontmoetingsmoment").can_sign_up


def test_the_coming_week_is_one_tap_away(app):
    tap(app, tile(app, "activities"))
    tap(app, screen(app).ids.week)
    assert screen(app).week
    assert "Gezondheidswandeling" in [c.occurrence.title for c in cards(app)]
    headings = [w for w in screen(app).ids.cards.children if hasattr(w, "day") and not hasattr(w, "occurrence")]
    assert len(headings) == 2
    tap(app, screen(app).ids.today)
    assert "Gezondheidswandeling" not in [c.occurrence.title for c in cards(app)]



@at_every_window_size
def test_every_sign_up_step_can_be_tapped_through_at_every_window_size(app, window_size):
    before = record_count(app)
    tap(app, tile(app, "activities"))
    tap(app, screen(app).ids.week)
    tap(app, screen(app).ids.today)
    tap(app, bring_into_sight(app, screen(app).ids.scroll, lambda: card(app, "Samen Tafelen").ids.sign_up))
    assert app.current == "s_persons"
    tap(app, screen(app).ids.adult_count.children[0])  # +
    tap(app, screen(app).ids.adult_count.children[2])  # −
    tap(app, screen(app).ids.next)
    assert app.current == "s_name"
    press(app, "R", "i", "k", "backspace", "space")  # a name starts with a capital by itself
    tap(app, screen(app).ids.nav.ids.back)
    assert app.current == "s_persons"
    tap(app, screen(app).ids.nav.ids.home)
    assert app.current == "home" and record_count(app) == before  # nothing stored before the last step


def test_sign_up_until_full(app):
    before = record_count(app)
    tap(app, tile(app, "activities"))
    tap(app, card(app, "Samen Tafelen").ids.sign_up)
    assert app.current == "s_persons"
    persons = screen(app)
    assert persons.single and persons.ids.child_count.disabled
    tap(app, persons.ids.adult_count.children[0])  # + : 2 persons
    tap(app, persons.ids.next)
    assert app.current == "s_name"
    press(app, "R", "i", "k")  # a name starts with a capital
    tap(app, screen(app).ids.next)
    assert app.current == "done" and screen(app).error == ""
    [signup] = new_records(app, before)
    assert signup["type"] == "signup"
    assert (signup["data"]["persons"], signup["data"]["first_name"], signup["data"]["title"]) == (2, "Rik", "Samen Tafelen")

    app.end_visit()
    settle(app)
    tap(app, tile(app, "activities"))
    assert card(app, "Samen Tafelen").places == 1
    tap(app, card(app, "Samen Tafelen").ids.sign_up)
    tap(app, screen(app).ids.adult_count.ids.plus)  # 1 place left: "+" goes no further
    assert screen(app).adult_count == 1
    tap(app, screen(app).ids.next)
    tap(app, screen(app).ids.skip)
    assert screen(app).error == ""
    app.end_visit()
    settle(app)
    tap(app, tile(app, "activities"))
    full = card(app, "Samen Tafelen")
    assert full.places == 0 and full.ids.sign_up.disabled


def test_check_in_offers_todays_activities_and_says_what_is_next(app):
    before = record_count(app)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "skip"))
    keys = [c.key for c in screen(app).choices]
    assert keys[:2] == ["coffee", "question"] and "activity:meeting@test" in keys and "activity" not in keys
    tap(app, tile(app, "activity:meeting@test"))
    [record] = new_records(app, before)
    assert record["data"]["reasons"] == ["activity:meeting@test"]
    assert screen(app).fields == {"title": "Samen Tafelen", "time": "23:58"}  # what is on next

