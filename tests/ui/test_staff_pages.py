"""Each staff page is its own controller; the PIN pad always comes back from "checking"."""

from __future__ import annotations

from conftest import settle
from test_staff import PIN, log_in, type_pin

from kiosk.ui.staff.mode import SCREENS
from kiosk.ui.staff.page import StaffPage


def test_a_pin_check_that_breaks_unexpectedly_leaves_the_pad_usable(app, monkeypatch):
    app.staff.lock.set_pin(PIN)
    app.staff.open_pad()
    settle(app)

    def broken(pin):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(app.staff.lock, "try_pin", broken)
    type_pin(app, PIN)  # waits (a few seconds at most) until the pad is no longer checking
    pad = app.screen("staff_pin")
    assert app.current == "staff_pin" and not app.staff.logged_in
    assert pad.message == "This did not work." and pad.entered == ""
    app.go_home()
    settle(app)


def test_every_staff_page_is_filled_by_its_own_controller(app):
    log_in(app)
    try:
        for name, page_class in SCREENS.items():
            if name in ("staff_pin", "staff_phone"):  # the pad and the phone link are the session's
                continue
            assert issubclass(page_class, StaffPage) and "refresh" in vars(page_class), name
            app.staff.show(name)
            settle(app)
            assert app.current == name and app.screen(name).staff is app.staff
    finally:
        app.go_home()
        settle(app)
