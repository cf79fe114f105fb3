"""The check-in flow, tapped through in the real window."""

from conftest import at_every_window_size, new_records, record_count, screen, settle, tap, tile


@at_every_window_size
def test_check_in_stores_one_record_before_the_welcome(app, window_size):
    before = record_count(app)
    tap(app, tile(app, "checkin"))
    assert app.current == "checkin_count"
    count = screen(app)
    tap(app, count.ids.adult_count.children[0])  # the + of the adults row (children are in reverse)
    tap(app, count.ids.child_count.children[0])
    tap(app, count.ids.child_count.children[0])
    assert (count.adult_count, count.child_count) == (2, 2)
    tap(app, count.ids.next)
    assert app.current == "checkin_first"
    tap(app, tile(app, "no"))
    assert app.current == "checkin_reason"
    assert record_count(app) == before  # nothing stored before the last answer
    tap(app, tile(app, "question"))
    assert app.current == "done"
    [record] = new_records(app, before)
    assert record["type"] == "checkin"
    assert record["data"] == {"adults": 2, "children": 2, "first_time": False, "reasons": ["question"]}
    assert screen(app).error == ""


@at_every_window_size
def test_back_and_home_on_every_step(app, window_size):
    before = record_count(app)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.adult_count.children[0])  # + adults: 2
    tap(app, screen(app).ids.next)
    assert app.current == "checkin_first"
    tap(app, screen(app).ids.nav.ids.back)
    assert app.current == "checkin_count" and screen(app).adult_count == 2  # back keeps the count
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "yes"))
    tap(app, screen(app).ids.nav.ids.home)
    assert app.current == "home"
    assert record_count(app) == before


def test_nobody_cannot_check_in(app):
    tap(app, tile(app, "checkin"))
    count = screen(app)
    tap(app, count.ids.adult_count.children[2])  # − on the adults row: 1 → 0
    assert count.adult_count == 0 and count.ids.next.disabled
    tap(app, count.ids.next)
    assert app.current == "checkin_count"


def test_a_double_tap_stores_once(app):
    from kivy.tests import UnitTestTouch

    from visitor_robot import frames

    before = record_count(app)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "skip"))
    coffee = tile(app, "coffee")
    x, y = coffee.to_window(*coffee.center)
    for _ in range(2):  # two quick taps, both delivered before the screen changes
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
    frames(2)
    settle(app)
    assert len(new_records(app, before)) == 1


def test_welcome_goes_home_by_itself(app):
    app.done_seconds = 1
    try:
        tap(app, tile(app, "checkin"))
        tap(app, screen(app).ids.next)
        tap(app, tile(app, "skip"))
        tap(app, tile(app, "coffee"))
        assert app.current == "done"
        import time

        deadline = time.monotonic() + 5
        while app.current != "home" and time.monotonic() < deadline:
            settle(app)
        assert app.current == "home"
    finally:
        app.done_seconds = 10
