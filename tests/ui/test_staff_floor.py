"""Staff on the floor, in the real window: who is coming (cancel frees places for visitors at once),
who is waiting to talk (the Today page), and the phone page without personal details by default."""

from __future__ import annotations

import pytest
import requests
from conftest import new_records, press, record_count, screen, settle, tap, tile
from test_activities import card
from test_staff import log_in, menu, qr_matrix, wait_until

from kiosk.core import participants, question


def free_the_meal(app):
    """Cancel whatever earlier tests signed up for, so the meal has all its places."""
    records = participants.list_records(app.services.repo, app.services.clock.now().date())
    for activity in participants.activity_lists(records):
        for p in activity.participants:
            if not p.cancelled:
                participants.cancel(app.services.recorder, participants.list_records(
                    app.services.repo, app.services.clock.now().date()), p.id)


def sign_up_for_the_meal(app, name_keys):
    tap(app, tile(app, "activities"))
    tap(app, card(app, "Samen Tafelen").ids.sign_up)
    tap(app, screen(app).ids.adult_count.children[0])  # + : 2 persons
    tap(app, screen(app).ids.next)
    press(app, *name_keys)
    tap(app, screen(app).ids.next)
    assert app.current == "done" and screen(app).error == ""
    app.end_visit()
    settle(app)


def test_staff_see_a_sign_up_cancel_it_and_the_visitor_screen_shows_the_places_freed(app):
    free_the_meal(app)
    app.go_home()
    settle(app)
    sign_up_for_the_meal(app, ["A", "n", "n", "a"])
    tap(app, tile(app, "activities"))
    assert card(app, "Samen Tafelen").places == 1
    app.go_home()
    settle(app)

    log_in(app)
    tap(app, menu(app, "staff_signups"))
    page = screen(app)
    assert app.current == "staff_signups" and "Samen Tafelen" in [b.title for b in page.activity_buttons() if b.chosen]
    [row] = [r for r in page.row_widgets() if not r.cancelled]
    assert (row.first_name, row.persons) == ("Anna", 2)
    assert page.persons == 2
    before = record_count(app)
    tap(app, row.ids.cancel)
    assert row.confirming and record_count(app) == before  # one tap only asks "sure?"
    tap(app, row.ids.cancel)
    [cancel] = new_records(app, before)
    assert cancel["type"] == "signup_cancel" and cancel["data"]["persons"] == 2
    assert screen(app).persons == 0 and "vrij" in screen(app).ids.message.text

    app.go_home()
    settle(app)
    tap(app, tile(app, "activities"))
    assert card(app, "Samen Tafelen").places == 3


def test_marking_a_sign_up_present_writes_a_record_and_the_row_says_so(app):
    free_the_meal(app)
    app.go_home()
    settle(app)
    sign_up_for_the_meal(app, ["B", "o", "b"])
    log_in(app)
    tap(app, menu(app, "staff_signups"))
    [row] = [r for r in screen(app).row_widgets() if not r.cancelled]
    before = record_count(app)
    tap(app, row.ids.present)
    [present] = new_records(app, before)
    assert present["type"] == "signup_present"
    [row] = [r for r in screen(app).row_widgets() if not r.cancelled]
    assert row.present and row.ids.present.disabled
    free_the_meal(app)


def test_today_shows_how_many_wait_to_talk_and_the_longest_wait_in_big_numbers(app):
    from datetime import timedelta

    from kiosk.core.records import Recorder

    clock = app.services.clock
    for item in question.question_queue(app.services.repo.records_for_day(clock.now().date())):
        if item.is_open:
            question.handle(app.services.recorder, item.id, "not_needed")

    class Earlier:
        def now(self):
            return clock.now() - timedelta(minutes=17)

    question.ask(Recorder(app.services.repo, Earlier(), app.location), "money", True)
    question.ask(app.services.recorder, "digital", True)
    question.ask(app.services.recorder, "housing", False)
    log_in(app)
    board = screen(app).ids.waiting
    assert board.ids.waiting.text == "2" and "17 min" in board.ids.longest.text
    assert board.ids.waiting.font_size >= 2 * screen(app).ids.visits.children[-1].font_size * 0.8


def test_the_phone_page_leaves_names_out_unless_staff_choose_them(app):
    question.ask(app.services.recorder, "digital", True, "mijn itsme werkt niet", True, "Zoë", "0470 12 34 56")
    app.staff.find_address = lambda: "127.0.0.1"
    try:
        log_in(app)
        tap(app, menu(app, "staff_log"))
        tap(app, screen(app).ids.phone)
        page = screen(app)
        assert app.current == "staff_phone" and not page.personal
        plain = requests.get(page.url, timeout=5).text
        assert "Zoë" not in plain and "0470 12 34 56" not in plain and "itsme" not in plain
        assert "Zonder namen" in plain
        wait_until(app, lambda: page.state == "downloaded")
        tap(app, page.ids.personal)
        assert page.personal and "vertrouwt" in page.ids.personal_note.text
        with_names = requests.get(page.url, timeout=5).text
        assert "Zoë" in with_names and "0470 12 34 56" in with_names
        wait_until(app, lambda: page.state == "downloaded")
        tap(app, page.ids.again)  # a new link is without names again, unless chosen again
        assert not page.personal and "Zoë" not in requests.get(page.url, timeout=5).text
    finally:
        app.staff.find_address = lambda: None


# -- a ticket in the hand ---------------------------------------------------------------------------
def ask_money_question(app) -> dict:
    before = record_count(app)
    tap(app, tile(app, "question"))
    tap(app, tile(app, "money"))
    tap(app, tile(app, "yes"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert app.current == "done"
    [asked] = new_records(app, before)
    return asked


def test_a_question_prints_its_ticket_in_the_visitors_language_and_the_screen_shows_the_number(app):
    from fake_printer import CUT, FakePrinter

    from kiosk.export.ticket_printer import TicketPrinter

    fake = FakePrinter()
    app.tickets.printer = TicketPrinter("network", f"127.0.0.1:{fake.port}", on_problem=app.tickets._told)
    try:
        app.set_language("fr")
        asked = ask_money_question(app)
        number = asked["data"]["ticket"]
        assert screen(app).ids.ticket.text == str(number)
        assert fake.tickets.wait(10) and CUT in fake.received
        assert f"{number}\n".encode() in fake.received and "Argent et ".encode() in fake.received
        wait_until(app, lambda: app.tickets.problem == "")
    finally:
        app.tickets.printer = TicketPrinter()
        fake.close()
        app.set_language("nl")


def test_an_unplugged_printer_still_shows_the_number_and_warns_staff_on_today(app):
    from fake_printer import free_port

    from kiosk.export.ticket_printer import TicketPrinter

    app.tickets.printer = TicketPrinter("network", f"127.0.0.1:{free_port()}", on_problem=app.tickets._told)
    try:
        asked = ask_money_question(app)
        assert screen(app).ids.ticket.text == str(asked["data"]["ticket"])
        wait_until(app, lambda: app.tickets.problem == "not_found")
        app.go_home()
        settle(app)
        log_in(app)
        assert "ticketprinter" in screen(app).ids.printer.text.lower()
    finally:
        app.tickets.printer = TicketPrinter()
        app.tickets.problem = ""


# -- the live queue on a staff phone -----------------------------------------------------------------
def test_the_live_queue_on_a_phone_sees_a_new_question_within_5_s_and_marks_it_helped_on_the_kiosk(app):
    import time

    app.staff.find_address = lambda: "127.0.0.1"
    try:
        log_in(app)
        tap(app, menu(app, "staff_questions"))
        tap(app, screen(app).ids.live_queue)
        page = screen(app)
        assert app.current == "staff_live_queue" and page.url.startswith("http://127.0.0.1:")
        assert page.ids.qr.modules() == qr_matrix(page.url)
        url = page.url
        phone = requests.Session()
        assert phone.get(url, timeout=5).status_code == 200
        seen = {item["id"] for item in phone.get(url + "/items", timeout=5).json()["items"]}

        app.go_home()  # staff leave staff mode with the link on their phone; a visitor asks a question
        settle(app)
        asked = ask_money_question(app)
        asked_at = time.monotonic()
        while True:
            items = phone.get(url + "/items", timeout=5).json()["items"]
            new = [item for item in items if item["id"] not in seen]
            if new:
                break
            assert time.monotonic() - asked_at < 5, "the phone did not see the new question within 5 s"
            time.sleep(0.2)
        [item] = new
        assert (item["id"], item["ticket"], item["talk_today"]) == (asked["id"], asked["data"]["ticket"], True)

        before = record_count(app)
        assert phone.post(url + "/mark", json={"question": item["id"], "outcome": "helped"}, timeout=5).json() == {"ok": True}
        [handled] = new_records(app, before)
        assert handled["type"] == "handled" and handled["data"]["question"] == asked["id"]
        assert handled["data"]["outcome"] == "helped"
        open_ids = [q.id for q in question.question_queue(app.services.repo.records_for_day(
            app.services.clock.now().date())) if q.is_open]
        assert asked["id"] not in open_ids

        app.go_home()
        settle(app)
        log_in(app)
        tap(app, menu(app, "staff_questions"))
        tap(app, screen(app).ids.live_queue)
        assert screen(app).url == url  # the same link while it runs
        tap(app, screen(app).ids.stop)
        assert screen(app).url == ""
        with pytest.raises(requests.ConnectionError):
            phone.get(url, timeout=5)
    finally:
        app.staff.find_address = lambda: None


def test_the_printable_list_is_saved_on_the_stick_with_the_names_and_room_for_more(app, tmp_path):
    import dataclasses

    free_the_meal(app)
    app.go_home()
    settle(app)
    sign_up_for_the_meal(app, ["C", "a", "t", "o"])
    config = app.services.config
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    app.services.config = dataclasses.replace(config, export_folder=str(stick))
    app.staff.media_roots = (str(tmp_path / "no-media"),)
    try:
        log_in(app)
        tap(app, menu(app, "staff_signups"))
        tap(app, screen(app).ids.save_list)
        wait_until(app, lambda: not screen(app).busy and screen(app).message)
        [saved] = stick.iterdir()
        page = saved.read_text(encoding="utf-8")
        assert saved.name.endswith("-samen-tafelen.html") and "Cato" in page and "size: A4" in page
        assert "KINGSTON" in screen(app).ids.message.text
    finally:
        app.services.config = config
        app.staff.media_roots = ()
        free_the_meal(app)
